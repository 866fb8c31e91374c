import type { Page, Request, Response } from '@playwright/test';
import jsQR from 'jsqr';
import fs from 'node:fs';
import { PNG } from 'pngjs';
import {
  expect,
  expectAccessible,
  expectAlert,
  failedStatus,
  loginForm,
  mfaForm,
  saveScreenshot,
  storedSessions,
  submitLogin,
  test,
  totp,
  wrongTotp,
  type Account,
} from './fixtures';

// MFA management (issue 4: A13–A16) end to end: the QR code is decoded from a screenshot,
// the key is read from "Can't scan?" and codes are computed here, as an authenticator would.

const PAGE_TITLE = 'Two-factor authentication';
const SIGN_IN_AGAIN = 'Two-factor authentication is on. Sign in again with your password and a code from your app.';
const CODES_LOST =
  "Two-factor authentication is on. If you didn't save its recovery codes, sign in with a code from your app and get new ones under Two-factor authentication.";
const LEAVE_CODES = "Your recovery codes won't be shown again. Leave without saving them?";
const WRONG_CODE = "That code didn't work. Check your authenticator app and try again.";
const WRONG_PASSWORD = "That password isn't right.";

const fieldError = (text: string) => new RegExp(`^(⚠ )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const isApi = (path: string, method = 'POST') => (r: Request) => new URL(r.url()).pathname === path && r.method() === method;

function mfaPage(page: Page) {
  const dialog = page.getByRole('dialog');
  return {
    heading: page.getByRole('heading', { level: 1, name: PAGE_TITLE, exact: true }),
    navLink: page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: PAGE_TITLE, exact: true }),
    status: page.locator('#mfa-status'),
    turnOn: page.getByRole('button', { name: 'Turn on two-factor authentication', exact: true }),
    newCodes: page.getByRole('button', { name: 'Get new recovery codes', exact: true }),
    turnOff: page.getByRole('button', { name: 'Turn off two-factor authentication', exact: true }),
    setupHeading: page.getByRole('heading', { level: 2, name: 'Set up your authenticator app', exact: true }),
    qr: page.getByRole('img', { name: 'QR code that adds your Gigalixir account to an authenticator app', exact: true }),
    cantScan: page.getByText("Can't scan it?", { exact: true }),
    secret: page.locator('dd code.secret'),
    copyKey: page.getByRole('button', { name: 'Copy key', exact: true }),
    code: page.getByRole('textbox', { name: 'Authentication code', exact: true }),
    confirmOn: page.getByRole('button', { name: 'Turn on', exact: true }),
    cancelSetup: page.getByRole('button', { name: 'Cancel', exact: true }),
    codesHeading: page.getByRole('heading', { level: 2, name: 'Save your recovery codes', exact: true }),
    codes: page.getByRole('list', { name: 'Recovery codes', exact: true }).getByRole('listitem'),
    copyAll: page.getByRole('button', { name: 'Copy all', exact: true }),
    download: page.getByRole('link', { name: 'Download .txt', exact: true }),
    print: page.getByRole('button', { name: 'Print', exact: true }),
    saved: page.getByRole('checkbox', { name: 'I have saved these codes', exact: true }),
    done: page.getByRole('button', { name: 'Done', exact: true }),
    dialog,
    dialogHeading: dialog.getByRole('heading', { level: 2 }),
    password: dialog.getByLabel('Current password', { exact: true }),
    dialogCancel: dialog.getByRole('button', { name: 'Cancel', exact: true }),
  };
}

/** What the definition list under "Can't scan?" says, term → definition. */
async function keyFacts(page: Page): Promise<Record<string, string>> {
  return page.locator('details dl').evaluate((dl) => {
    const out: Record<string, string> = {};
    dl.querySelectorAll('div').forEach((row) => {
      out[row.querySelector('dt')!.textContent!.trim()] = row.querySelector('dd')!.textContent!.trim();
    });
    return out;
  });
}

/** Signs in with a TOTP code for `step` (defaults to now). */
async function signInWithCode(page: Page, account: Account, secret: string, step?: number) {
  await page.goto('/#/login');
  await submitLogin(page, account);
  const mfa = mfaForm(page);
  await expect(mfa.heading).toBeVisible();
  await mfa.code.fill(step === undefined ? totp(secret) : totp(secret, step * 30_000));
  await mfa.verify.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();
}

/** Signs in (with a code when the account has MFA) and opens the MFA page from the side nav. */
async function openMfaPage(page: Page, account: Account) {
  if (account.totp_secret) {
    await signInWithCode(page, account, account.totp_secret);
  } else {
    await page.goto('/#/login');
    await submitLogin(page, account);
    await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();
  }
  const mfa = mfaPage(page);
  await mfa.navLink.click();
  await expect(page).toHaveURL(/#\/account\/mfa$/);
  await expect(mfa.heading).toBeVisible();
  await expect(page).toHaveTitle(`${PAGE_TITLE} · Gigalixir`);
  await expect(mfa.navLink).toHaveAttribute('aria-current', 'page');
}

interface Activation {
  /** The `otpauth://` URI from A13. */
  uri: string;
  /** The base32 secret, as read from "Can't scan?". */
  secret: string;
  /** The TOTP step the activating code was computed for. */
  step: number;
  /** The recovery codes A14 answered. */
  codes: string[];
}

/** Turns MFA on through the page: A13, the key from "Can't scan?", a computed code, A14. */
async function activate(page: Page): Promise<Activation> {
  const mfa = mfaPage(page);
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
  const started = page.waitForResponse((r) => isApi('/api/mfa/start')(r.request()));
  await mfa.turnOn.click();
  const uri = ((await (await started).json()) as { data: { url: string } }).data.url;
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  await expect(mfa.setupHeading).toBeFocused();
  await mfa.cantScan.click();
  const secret = (await mfa.secret.innerText()).replace(/\s+/g, '');
  expect(uri).toContain(`secret=${secret}&`);
  const step = Math.floor(Date.now() / 30_000);
  await mfa.code.fill(totp(secret, step * 30_000));
  const verified = page.waitForResponse((r) => isApi('/api/mfa/verify')(r.request()));
  await mfa.confirmOn.click();
  const answer = await verified;
  expect(answer.status()).toBe(200);
  const codes = ((await answer.json()) as { data: { recovery_codes: string[] } }).data.recovery_codes;
  expect(codes).toHaveLength(10);
  await expect(mfa.codesHeading).toBeFocused();
  return { uri, secret, step, codes };
}

/** Decodes the QR image on the page from a screenshot of its SVG. */
async function decodeQr(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await mfaPage(page).qr.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

test('deep link: #/account/mfa signed out goes through sign-in and back', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await page.goto('/#/account/mfa');
  await expect(page).toHaveURL(/#\/login\?next=%2Faccount%2Fmfa$/);
  await submitLogin(page, account);
  await expect(page).toHaveURL(/#\/account\/mfa$/);
  const mfa = mfaPage(page);
  await expect(mfa.heading).toBeVisible();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
  await expect(mfa.turnOn).toBeVisible();
  await expect(mfa.turnOff).toBeHidden();
  await expect(mfa.newCodes).toBeHidden();
  // The side nav is a list of tabs; the profile is still one of them.
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(page).toHaveURL(/#\/account\/profile$/);
});

test('activation: the QR code holds the A13 URI, the typed key and a computed code turn MFA on; codes are shown once', async ({ page, sim, context, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/mfa/verify'), 'a wrong code is refused with 422 on purpose');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = await sim.createAccount({ tier: 'FREE', credit_cents: 0 });
  await openMfaPage(page, account);
  const mfa = mfaPage(page);
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
  await expectAccessible(page, 'MFA off');

  const started = page.waitForResponse((r) => isApi('/api/mfa/start')(r.request()));
  await mfa.turnOn.click();
  const startAnswer: Response = await started;
  expect(startAnswer.status()).toBe(200);
  const uri = ((await startAnswer.json()) as { data: { url: string } }).data.url;
  await expect(mfa.setupHeading).toBeFocused();

  // The QR code is drawn here, as inline SVG, and scans to exactly the URI the API gave.
  await expect(mfa.qr).toBeVisible();
  expect(await mfa.qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
  expect(await decodeQr(page)).toBe(uri);
  await expectAccessible(page, 'MFA setup');

  // "Can't scan?" spells the key out in fours, with what an app asks for when typing it.
  await expect(mfa.secret).toBeHidden();
  await mfa.cantScan.click();
  await expect(mfa.secret).toBeVisible();
  const grouped = await mfa.secret.innerText();
  expect(grouped).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  const secret = grouped.replace(/ /g, '');
  expect(uri).toBe(
    `otpauth://totp/Gigalixir:${encodeURIComponent(account.email)}?secret=${secret}&issuer=Gigalixir&algorithm=SHA1&digits=6&period=30`,
  );
  expect(await keyFacts(page)).toEqual({
    'Setup key': grouped,
    Account: account.email,
    Issuer: 'Gigalixir',
    Digits: '6',
    Interval: '30 seconds',
  });
  await mfa.copyKey.click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await expectAccessible(page, 'MFA setup, key shown');
  // Before "Turn on", what it does to the key: said beside the button and read with it.
  await expect(mfa.confirmOn).toHaveAccessibleDescription(
    'Turning it on replaces your API key: the console and the gigalixir CLI sign out, and deploy scripts or CI that use the key will need the new one.',
  );

  // A wrong code is said next to the field; the QR code and the typed code stay.
  const wrong = wrongTotp(secret);
  await mfa.code.fill(wrong);
  await mfa.confirmOn.click();
  await expect(page.getByText(fieldError(WRONG_CODE))).toBeVisible();
  await expect(mfa.code).toHaveAttribute('aria-invalid', 'true');
  await expect(mfa.code).toHaveValue(wrong);
  await expect(mfa.code).toBeFocused();
  await expect(mfa.qr).toBeVisible();
  expect(await decodeQr(page)).toBe(uri);

  // The right code: MFA is on, the key is revoked, and from here on nothing is asked of the
  // API until Done (a 401 would sign out and lose the codes).
  const step = Math.floor(Date.now() / 30_000);
  await mfa.code.fill(totp(secret, step * 30_000));
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  const verified = page.waitForResponse((r) => isApi('/api/mfa/verify')(r.request()));
  await mfa.confirmOn.click();
  const verifyAnswer = await verified;
  expect(verifyAnswer.status()).toBe(200);
  const codes = ((await verifyAnswer.json()) as { data: { recovery_codes: string[] } }).data.recovery_codes;
  expect(codes).toHaveLength(10);
  await expect(mfa.codesHeading).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication is on.' })).toHaveText('Two-factor authentication is on.');
  await expect(page.getByText('For your security, your API key was replaced, so the console and the gigalixir CLI are signed out.')).toBeVisible();

  // Shown once, numbered in an ordered list, exactly as answered.
  expect(await mfa.codes.allInnerTexts()).toEqual(codes);
  expect(await page.getByRole('list', { name: 'Recovery codes' }).evaluate((ol) => ol.tagName)).toBe('OL');
  await expectAccessible(page, 'recovery codes');

  // Copy all, one per line.
  await mfa.copyAll.click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'));

  // Download: a .txt named for the account and today, a header line, then exactly the codes.
  const downloading = page.waitForEvent('download');
  await mfa.download.click();
  const download = await downloading;
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  expect(download.suggestedFilename()).toBe(`gigalixir-recovery-codes-${account.email}-${today}.txt`);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  expect(header).toBe(`Gigalixir recovery codes for ${account.email}, saved ${today}. Each code works once.`);
  expect(lines).toEqual(codes);
  // Through a blob: URL that is revoked after the download: the codes do not stay in the link.
  expect(download.url()).toMatch(/^blob:/);
  await expect(mfa.download).toHaveAttribute('href', 'data:text/plain,');

  // Print calls the browser's print, and the print stylesheet shows the codes alone.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await mfa.print.click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(mfa.codesHeading).toBeVisible();
  for (const code of codes) await expect(mfa.codes.filter({ hasText: code })).toBeVisible();
  await expect(mfa.heading).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Account' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await expect(mfa.done).toBeHidden();
  await expect(mfa.download).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(mfa.heading).toBeVisible();

  // Done waits for the checkbox.
  await expect(mfa.done).toBeDisabled();
  await mfa.saved.check();
  await expect(mfa.done).toBeEnabled();
  await mfa.done.click();

  // Signed out everywhere, on sign-in with the email filled in and the reason said.
  await expect(page).toHaveURL(new RegExp(`#/login\\?email=${encodeURIComponent(account.email).replace(/[.+]/g, '\\$&')}$`));
  await expect(loginForm(page).heading).toBeVisible();
  await expect(loginForm(page).email).toHaveValue(account.email);
  await expect(page.getByRole('status').filter({ hasText: SIGN_IN_AGAIN })).toHaveText(SIGN_IN_AGAIN);
  expect(await storedSessions(page)).toEqual([null, null]);
  expect(apiCalls, 'no API call between activation and Done').toEqual(['POST /api/mfa/verify']);
  await expect(page.getByRole('alert').filter({ hasText: 'Your session has ended' })).toHaveCount(0);

  // Signing in now asks for a code; the activating step is spent, the next one works.
  await loginForm(page).password.fill(account.password);
  await loginForm(page).submit.click();
  const login = mfaForm(page);
  await expect(login.heading).toBeVisible();
  // The code that turned MFA on, typed again: refused, as the API refuses any second use,
  // and said for what it is rather than as a wrong code.
  await login.code.fill(totp(secret, step * 30_000));
  await login.verify.click();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText(
    'That code was just used, and each code works once. Wait for the next one in your authenticator app.',
  );
  await login.code.fill(totp(secret, (step + 1) * 30_000));
  await login.verify.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();
});

test('a recovery code from activation signs in once', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await openMfaPage(page, account);
  const { codes } = await activate(page);
  const mfa = mfaPage(page);
  await mfa.saved.check();
  await mfa.done.click();
  await expect(loginForm(page).heading).toBeVisible();

  const login = mfaForm(page);
  await loginForm(page).password.fill(account.password);
  await loginForm(page).submit.click();
  await login.useRecovery.click();
  await login.recoveryCode.fill(codes[3]);
  await login.verify.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await submitLogin(page, account);
  await login.useRecovery.click();
  await login.recoveryCode.fill(codes[3]);
  await login.verify.click();
  await expectAlert(page, "That recovery code didn't work. Each code can be used once.");
});

test('leaving unsaved codes asks first: links, sign-out and reload; cancelling keeps the codes', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/users'), 'the key died with activation; the profile page finds out on purpose');
  const account = await sim.createAccount();
  await openMfaPage(page, account);
  const { codes } = await activate(page);
  const mfa = mfaPage(page);
  const asked: string[] = [];
  const answer = (accept: boolean) =>
    page.once('dialog', (d) => {
      asked.push(`${d.type()}: ${d.message()}`);
      void (accept ? d.accept() : d.dismiss());
    });

  // An in-app link asks; cancelling puts the address back and keeps the codes.
  answer(false);
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect.poll(() => asked).toEqual([`confirm: ${LEAVE_CODES}`]);
  await expect(page).toHaveURL(/#\/account\/mfa$/);
  expect(await mfa.codes.allInnerTexts()).toEqual(codes);

  // So does signing out.
  answer(false);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect.poll(() => asked).toHaveLength(2);
  expect(asked[1]).toBe(`confirm: ${LEAVE_CODES}`);
  await expect(mfa.codesHeading).toBeVisible();
  expect((await storedSessions(page))[0]).not.toBeNull();

  // Reload and close get the browser's own question.
  answer(false);
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toHaveLength(3);
  expect(asked[2]).toMatch(/^beforeunload: /);
  expect(page.isClosed()).toBe(false);
  expect(await mfa.codes.allInnerTexts()).toEqual(codes);

  // Accepting leaves. The key died with activation, so the next page finds the session over,
  // and sign-in says how to get codes again.
  answer(true);
  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect.poll(() => asked).toHaveLength(4);
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: CODES_LOST })).toHaveText(CODES_LOST);
  // Nothing is guarded any more.
  page.on('dialog', (d) => {
    asked.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto('/#/password/reset');
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  expect(asked).toHaveLength(4);
});

test('activation\'s codes lost to a reload or a closed tab: the sign-in that follows says how to get new ones', async ({ page, sim, context, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/users'), 'the key died with activation; the reloaded page finds out on purpose');
  const account = await sim.createAccount();
  await openMfaPage(page, account);
  await activate(page);
  page.on('dialog', (d) => void d.accept());
  await page.reload();
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: CODES_LOST })).toHaveText(CODES_LOST);
  // A flag, never the codes, and said once.
  expect(await page.evaluate(() => localStorage.getItem('gx.codes_shown'))).toBeNull();
  await page.reload();
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page.getByText(CODES_LOST)).toHaveCount(0);

  // A closed tab: the console opened again says it too.
  const other = await sim.createAccount();
  await openMfaPage(page, other);
  const { codes } = await activate(page);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  for (const code of codes) expect(stored).not.toContain(code);
  await page.close();
  const again = await context.newPage();
  await again.goto('/#/login');
  await expect(again.getByRole('status').filter({ hasText: CODES_LOST })).toHaveText(CODES_LOST);
});

test('new recovery codes: the current password is checked, the old codes stop working, the new ones sign in', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/mfa/recovery_codes'), 'a wrong password is refused with 422 on purpose');
  const account = await sim.createAccount({ mfa: true });
  await openMfaPage(page, account);
  const mfa = mfaPage(page);
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');
  await expect(mfa.turnOn).toBeHidden();
  await expectAccessible(page, 'MFA on');

  await mfa.newCodes.click();
  await expect(mfa.dialog).toBeVisible();
  await expect(mfa.dialog).toHaveAccessibleName('Get new recovery codes');
  await expect(mfa.password).toBeFocused();
  await expect(mfa.password).toHaveAttribute('autocomplete', 'current-password');
  const confirm = mfa.dialog.getByRole('button', { name: 'Get new codes', exact: true });

  await mfa.password.fill('not-the-password');
  const refusedRequest = page.waitForRequest(isApi('/api/mfa/recovery_codes'));
  await confirm.click();
  expect((await refusedRequest).postDataJSON()).toEqual({ current_password: 'not-the-password' });
  await expect(mfa.dialog.getByText(fieldError(WRONG_PASSWORD))).toBeVisible();
  await expect(mfa.dialog).toBeVisible();
  await expect(mfa.password).toHaveValue('not-the-password');
  await expect(mfa.password).toHaveAttribute('aria-invalid', 'true');
  await expect(mfa.password).toBeFocused();
  await expectAccessible(page, 'password dialog with an error');

  await mfa.password.fill(account.password);
  const answered = page.waitForResponse((r) => isApi('/api/mfa/recovery_codes')(r.request()));
  await confirm.click();
  const response = await answered;
  expect(response.status()).toBe(200);
  const codes = ((await response.json()) as { data: { recovery_codes: string[] } }).data.recovery_codes;
  expect(codes).toHaveLength(10);
  expect(codes.filter((c) => account.recovery_codes.includes(c))).toEqual([]);
  await expect(mfa.dialog).toBeHidden();
  await expect(mfa.codesHeading).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'New recovery codes are ready.' })).toHaveText(
    'New recovery codes are ready. The old ones no longer work.',
  );
  expect(await mfa.codes.allInnerTexts()).toEqual(codes);
  // Not an activation: the key still works and Done stays on the page.
  await expect(page.getByText('your API key was replaced')).toBeHidden();
  await mfa.saved.check();
  await mfa.done.click();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');
  await expect(mfa.status).toBeFocused();
  await page.reload();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');

  // The old codes are dead; a new one works, once.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  const login = mfaForm(page);
  await submitLogin(page, account);
  await login.useRecovery.click();
  await login.recoveryCode.fill(account.recovery_codes[0]);
  await login.verify.click();
  await expectAlert(page, "That recovery code didn't work. Each code can be used once.");
  await login.recoveryCode.fill(codes[0]);
  await login.verify.click();
  // Signing out leads to a plain sign-in, which ends on the profile.
  await expect(page).toHaveURL(/#\/account$/);
  await page.goto('/#/account/mfa');
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');
});

test('turning off: the dialog holds focus, Esc and Cancel give it back, a wrong password keeps it open; then sign-in asks no code', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/mfa'), 'a wrong password is refused with 422 on purpose');
  const account = await sim.createAccount({ mfa: true });
  await openMfaPage(page, account);
  const mfa = mfaPage(page);
  // Where focus is: inside the dialog, or out of the page entirely (the browser's own UI,
  // which a modal dialog leaves reachable); never on the page behind it.
  const focusIn = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'outside the page';
      return el.closest('dialog') ? 'dialog' : `page: ${el.outerHTML.slice(0, 80)}`;
    });

  // Opening moves focus into the modal dialog; the page behind is inert to Tab and pointer.
  await mfa.turnOff.click();
  await expect(mfa.dialog).toBeVisible();
  await expect(mfa.dialog).toHaveAccessibleName('Turn off two-factor authentication?');
  expect(await mfa.dialog.evaluate((d) => d.matches(':modal'))).toBe(true);
  await expect(mfa.password).toBeFocused();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press(i < 5 ? 'Tab' : 'Shift+Tab');
    expect(['dialog', 'outside the page'], `after key ${i + 1}`).toContain(await focusIn());
  }
  const behind = await page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Sign out')!;
    const r = button.getBoundingClientRect();
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === button;
  });
  expect(behind, 'the page behind the dialog takes no pointer').toBe(false);
  await mfa.password.focus();

  // Esc closes it and focus returns to the button that opened it; what was typed is forgotten.
  await mfa.password.fill('typed');
  await page.keyboard.press('Escape');
  await expect(mfa.dialog).toBeHidden();
  await expect(mfa.turnOff).toBeFocused();
  await mfa.turnOff.click();
  await expect(mfa.password).toHaveValue('');
  await mfa.dialogCancel.click();
  await expect(mfa.dialog).toBeHidden();
  await expect(mfa.turnOff).toBeFocused();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');

  // A wrong password: said by the field, dialog open, typed password kept.
  await page.keyboard.press('Enter');
  await expect(mfa.dialog).toBeVisible();
  await mfa.password.fill('not-the-password');
  const refused = page.waitForRequest(isApi('/api/mfa', 'DELETE'));
  await mfa.dialog.getByRole('button', { name: 'Turn off', exact: true }).click();
  expect((await refused).postDataJSON()).toEqual({ current_password: 'not-the-password' });
  await expect(mfa.dialog.getByText(fieldError(WRONG_PASSWORD))).toBeVisible();
  await expect(mfa.dialog).toBeVisible();
  await expect(mfa.password).toHaveValue('not-the-password');
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');

  // The right one turns MFA off.
  await mfa.password.fill(account.password);
  await mfa.password.press('Enter');
  await expect(mfa.dialog).toBeHidden();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
  await expect(mfa.status).toBeFocused();
  const off = page.getByRole('status').filter({ hasText: 'Two-factor authentication is now off.' });
  await expect(off).toBeVisible();
  // Said neutrally: turning protection off is no success to celebrate in green.
  const tone = await off.locator('p').evaluate((p) => [getComputedStyle(p).backgroundColor, getComputedStyle(p).color]);
  const text = await page.evaluate(() => getComputedStyle(document.body).color);
  expect(tone).toEqual(['rgba(0, 0, 0, 0)', text]);
  await expect(mfa.turnOn).toBeVisible();
  await expectAccessible(page, 'MFA turned off');

  // Sign-in is back to email and password alone.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await submitLogin(page, account);
  await expect(page).toHaveURL(/#\/account$/);
  await expect(mfaForm(page).heading).toBeHidden();
  await page.goto('/#/account/mfa');
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
});

test('failures are explained and can be retried: A5 503, A13 500, A16 429', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(503, '/api/users'), 'the simulator answers A5 with 503 on purpose');
  browserErrors.allow(failedStatus(500, '/api/mfa/start'), 'the simulator answers A13 with 500 on purpose');
  browserErrors.allow(failedStatus(429, '/api/mfa/recovery_codes'), 'the simulator answers A16 with 429 on purpose');
  const account = await sim.createAccount();
  await openMfaPage(page, account);
  const mfa = mfaPage(page);

  // The status can't load: say why, offer Try again.
  await sim.addFault({ path: '/api/users', method: 'GET', kind: 'status', status: 503, times: 1 });
  await page.reload();
  await expectAlert(page, 'Gigalixir had a problem (error 503). Please try again in a moment.');
  await expect(mfa.status).toBeHidden();
  await page.getByRole('button', { name: 'Try again', exact: true }).click();
  await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
  await expect(page.getByRole('alert').filter({ hasText: 'error 503' })).toHaveCount(0);

  // Turning on fails once: the button comes back for another go.
  await sim.addFault({ path: '/api/mfa/start', kind: 'status', status: 500, times: 1 });
  await mfa.turnOn.click();
  await expectAlert(page, 'Gigalixir had a problem (error 500). Please try again in a moment.');
  await expect(mfa.turnOn).toBeEnabled();
  await mfa.turnOn.click();
  await expect(mfa.setupHeading).toBeVisible();
  await expect(mfa.qr).toBeVisible();

  // New codes rate-limited: said inside the dialog, the password kept for the retry.
  const mfaAccount = await sim.createAccount({ mfa: true });
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(loginForm(page).heading).toBeVisible();
  await openMfaPage(page, mfaAccount);
  await sim.addFault({ path: '/api/mfa/recovery_codes', kind: 'status', status: 429, retry_after: 7, times: 1 });
  await mfa.newCodes.click();
  await mfa.password.fill(mfaAccount.password);
  const confirm = mfa.dialog.getByRole('button', { name: 'Get new codes', exact: true });
  await confirm.click();
  await expect(mfa.dialog.getByRole('alert')).toHaveText('Too many attempts. Try again in 7 seconds.');
  await expect(mfa.password).toHaveValue(mfaAccount.password);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(mfa.dialog).toBeHidden();
  await expect(mfa.codes).toHaveCount(10);
});

test('keyboard only: turn MFA on with Tab, Enter, Space and typing', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await openMfaPage(page, account);
  const mfa = mfaPage(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const tabTo = async (target: ReturnType<Page['locator']>, max = 25) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) return;
    }
    throw new Error(`Tab never reached ${target}`);
  };

  await tabTo(mfa.turnOn);
  await page.keyboard.press('Enter');
  await expect(mfa.setupHeading).toBeFocused();
  await tabTo(mfa.cantScan, 3);
  await page.keyboard.press('Enter');
  await expect(mfa.secret).toBeVisible();
  const secret = (await mfa.secret.innerText()).replace(/\s+/g, '');
  await tabTo(mfa.code, 3);
  await page.keyboard.type(totp(secret));
  await page.keyboard.press('Enter');
  await expect(mfa.codesHeading).toBeFocused();
  await tabTo(mfa.saved, 6);
  await page.keyboard.press('Space');
  await expect(mfa.saved).toBeChecked();
  await tabTo(mfa.done, 1);
  await page.keyboard.press('Enter');
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: SIGN_IN_AGAIN })).toBeVisible();
});

const sizes = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 375, height: 812 },
} as const;

for (const [size, viewport] of Object.entries(sizes)) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });

      test(`every MFA state is accessible and screenshotted (${size}, ${colorScheme})`, async ({ page, sim, browserErrors }) => {
        browserErrors.allow(failedStatus(422, '/api/mfa'), 'a wrong password is refused with 422 on purpose');
        const shot = (name: string) => saveScreenshot(page, `mfa-${name}-${size}-${colorScheme}`);
        const mfa = mfaPage(page);

        const account = await sim.createAccount();
        await openMfaPage(page, account);
        await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is off');
        await expectAccessible(page, 'off');
        await shot('off');

        await mfa.turnOn.click();
        await expect(mfa.qr).toBeVisible();
        await mfa.cantScan.click();
        await expect(mfa.secret).toBeVisible();
        await expectAccessible(page, 'setup');
        await shot('setup');
        // The QR code scans at this size and in this theme too.
        expect(await decodeQr(page)).toMatch(/^otpauth:\/\/totp\/Gigalixir:/);

        await mfa.code.fill(totp((await mfa.secret.innerText()).replace(/\s+/g, '')));
        await mfa.confirmOn.click();
        await expect(mfa.codesHeading).toBeVisible();
        await expectAccessible(page, 'recovery codes');
        await shot('codes');

        const mfaAccount = await sim.createAccount({ mfa: true });
        await mfa.saved.check();
        await mfa.done.click();
        await expect(loginForm(page).heading).toBeVisible();
        await signInWithCode(page, mfaAccount, mfaAccount.totp_secret!);
        await page.goto('/#/account/mfa');
        await expect(mfa.status).toHaveAccessibleName('Two-factor authentication is on');
        await expectAccessible(page, 'on');
        await shot('on');

        await mfa.turnOff.click();
        await mfa.password.fill('not-the-password');
        await mfa.dialog.getByRole('button', { name: 'Turn off', exact: true }).click();
        await expect(mfa.dialog.getByText(fieldError(WRONG_PASSWORD))).toBeVisible();
        await expectAccessible(page, 'dialog');
        await shot('dialog');
      });
    });
  }
}
