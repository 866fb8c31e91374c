import { base32Decode, expect, hotp, test, totp } from './fixtures';

// The tests compute MFA codes themselves; check the helper against the RFCs' own vectors.

test('HOTP matches the RFC 4226 test vectors', () => {
  const key = Buffer.from('12345678901234567890');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expect(expected.map((_, counter) => hotp(key, counter))).toEqual(expected);
});

test('TOTP matches the RFC 6238 SHA1 vectors (last 6 digits)', () => {
  // Base32 of the ASCII key "12345678901234567890".
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  expect(base32Decode(secret).toString()).toBe('12345678901234567890');
  expect(totp(secret, 59_000)).toBe('287082');
  expect(totp(secret, 1_111_111_109_000)).toBe('081804');
  expect(totp(secret, 1_234_567_890_000)).toBe('005924');
  expect(totp(secret, 2_000_000_000_000)).toBe('279037');
});
