import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
import { waitForResetLink } from './email';
import { expect, expectStatus, resetRequestForm, setPasswordForm, signIn, submitLogin, test, expectAccountPage, type Account } from './fixtures';

// Issue 6, security: the deployment headers agree with what the build computed, and secrets
// (passwords, the API key, reset tokens) go nowhere but the API.

const DIST = process.env.GX_DIST_DIR ? path.resolve(process.env.GX_DIST_DIR) : path.resolve(__dirname, '..', '..', 'dist');

/** `_headers` as rules: path → header name (lower case) → value. */
function headerRules(): Map<string, Map<string, string>> {
  const rules = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of fs.readFileSync(path.join(DIST, '_headers'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      current = new Map();
      rules.set(line.trim(), current);
    } else {
      const at = line.indexOf(':');
      current!.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
    }
  }
  return rules;
}

test('the deployment headers file carries the build’s policy, strict headers and immutable hashed assets', async ({ page, request, baseURL }) => {
  const rules = headerRules();
  const index = rules.get('/');
  expect(index, '_headers has a rule for /').toBeDefined();
  expect(rules.get('/index.html')).toEqual(index);
  expect(index!.get('cache-control')).toBe('no-store');
  expect(index!.get('referrer-policy')).toBe('no-referrer');
  expect(index!.get('x-content-type-options')).toBe('nosniff');
  expect(index!.get('strict-transport-security')).toMatch(/^max-age=\d{8,}; includeSubDomains$/);

  // The policy is the meta tag's, plus frame-ancestors, which only a header can carry; the
  // simulator serves the same one.
  await page.goto('/#/login');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(index!.get('content-security-policy')).toBe(`${meta}; frame-ancestors 'none'`);
  const served = await request.get(`${baseURL}/`);
  expect(served.headers()['content-security-policy']).toBe(index!.get('content-security-policy'));
  for (const directive of ["default-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
    expect(meta).toContain(directive);
  }
  expect(meta).not.toContain('unsafe-inline');

  // Every content-hashed file the page loads is cached for good; config.json is not.
  const hashed = fs.readdirSync(DIST).filter((f) => /-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)$/.test(f));
  expect(hashed.length).toBe(3);
  for (const file of hashed) {
    expect(rules.get(`/${file}`)?.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
  }
  expect(rules.get('/config.json')?.get('cache-control')).toBe('no-cache');
});

/** Everything the browser did that a secret could leak through. */
class Recorder {
  readonly urls: string[] = [];
  readonly requests: { url: string; body: string; headers: string }[] = [];
  readonly console: string[] = [];

  constructor(page: Page) {
    page.on('framenavigated', (f) => this.urls.push(f.url()));
    page.on('request', (r: Request) => {
      this.requests.push({ url: r.url(), body: r.postData() ?? '', headers: JSON.stringify(r.headers()) });
    });
    page.on('console', (m) => this.console.push(m.text()));
  }

  /** Also the address bar as it is now (replaceState does not navigate). */
  async snapshot(page: Page) {
    this.urls.push(await page.evaluate(() => location.href));
  }
}

/** All of both storages, key by key. */
async function storage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const [name, s] of [['session', sessionStorage], ['local', localStorage]] as const) {
      for (let i = 0; i < s.length; i++) out[`${name}:${s.key(i)}`] = s.getItem(s.key(i)!) ?? '';
    }
    return out;
  });
}

/** The forms a secret may take on the wire. */
const forms = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];

function expectNowhereBut(rec: Recorder, secret: string, what: string) {
  for (const s of forms(secret)) {
    for (const url of [...rec.urls, ...rec.requests.map((r) => r.url)]) expect(url, `${what} in a URL`).not.toContain(s);
    for (const line of rec.console) expect(line, `${what} in console output`).not.toContain(s);
  }
  for (const r of rec.requests) {
    if (new URL(r.url).pathname.startsWith('/api/')) continue;
    for (const s of forms(secret)) {
      expect(r.body, `${what} in the body of ${r.url}`).not.toContain(s);
      expect(r.headers, `${what} in the headers of ${r.url}`).not.toContain(s);
    }
  }
}

/** Basic credentials of `email:secret` as the console sends them. */
const basic = (email: string, secret: string) => Buffer.from(`${email}:${secret}`).toString('base64');

test('passwords, the API key and reset tokens appear only in API requests and the session entry', async ({ page, sim, request }) => {
  const account: Account = await sim.createAccount();
  const rec = new Recorder(page);

  // Sign in, look at the key, change the password.
  await signIn(page, account, { keep: true });
  await page.goto('/#/account/api-key');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.locator('code.key')).toHaveText(account.api_key);
  const changed = `changed-${crypto.randomBytes(6).toString('hex')}`;
  await page.goto('/#/account/profile');
  const form = page.getByRole('region', { name: 'Change password' });
  await form.getByLabel('Current password').fill(account.password);
  await form.getByLabel('New password', { exact: true }).fill(changed);
  await form.getByLabel('Confirm new password').fill(changed);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expectStatus(page, 'Password changed.');
  await rec.snapshot(page);

  let stored = await storage(page);
  // The key is kept in the one session entry, nowhere else; passwords are not kept at all.
  for (const [key, value] of Object.entries(stored)) {
    if (key !== 'local:gx.session') expect(value, key).not.toContain(account.api_key);
    for (const p of [account.password, changed]) expect(value, key).not.toContain(p);
  }
  expect(stored['local:gx.session']).toContain(account.api_key);

  // Sign out, then reset the password through the emailed link.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/#/password/reset?email=${encodeURIComponent(account.email)}`);
  await resetRequestForm(page).submit.click();
  const link = await waitForResetLink(request, account.email);
  const token = new URLSearchParams(link.slice(link.indexOf('?') + 1)).get('token')!;
  expect(token.length).toBeGreaterThan(10);
  await page.goto(link);
  const set = setPasswordForm(page);
  await expect(set.heading).toBeVisible();
  // The router takes the token out of the address bar before anything else runs.
  await rec.snapshot(page);
  expect(page.url()).not.toContain(token);
  const reset = `reset-${crypto.randomBytes(6).toString('hex')}`;
  await set.password.fill(reset);
  await set.confirm.fill(reset);
  await set.submit.click();
  await submitLogin(page, { email: account.email, password: reset });
  await expectAccountPage(page, account);
  await rec.snapshot(page);
  stored = await storage(page);

  // The page URL history only ever held the link as it arrived: the one navigation to it.
  const withToken = rec.urls.filter((u) => u.includes(token));
  expect(withToken).toEqual([link]);
  rec.urls.splice(rec.urls.indexOf(link), 1);
  expectNowhereBut(rec, token, 'the reset token');
  for (const [key, value] of Object.entries(stored)) expect(value, key).not.toContain(token);
  for (const [secret, what] of [
    [account.password, 'the first password'],
    [changed, 'the changed password'],
    [reset, 'the reset password'],
    [account.api_key, 'the API key'],
  ]) {
    expectNowhereBut(rec, secret, what);
  }
  // The key and passwords did travel, to the API only: the check above is not vacuous.
  const api = rec.requests.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
  expect(api.some((r) => r.headers.includes(basic(account.email, account.api_key)))).toBe(true);
  expect(api.some((r) => r.body.includes(changed))).toBe(true);
  expect(api.some((r) => r.body.includes(token))).toBe(true);
});
