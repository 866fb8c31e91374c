import crypto from 'node:crypto';
import type { Locator, Page, Response } from '@playwright/test';
import { advanceClock, emailsTo, unknownEmail, waitForEmail, waitForResetLink, RESET_SUBJECT } from './email';
import {
  expect,
  expectAccountPage,
  expectAlert,
  expectTokenAlert,
  expectStatus,
  failedStatus,
  loginForm,
  resetRequestForm,
  resetSentText,
  sendAgainButton,
  setPasswordForm,
  submitLogin,
  test,
} from './fixtures';

// Password reset (issue 3, A7/A8), end to end through the simulator's outbox: every emailed
// link is opened in the browser as a user clicking it would.

const RESET_API = '/api/users/reset_password';
const isResetRequest = (method: 'PUT' | 'POST') => (r: Response) =>
  new URL(r.url()).pathname === RESET_API && r.request().method() === method;

/** A field error as its accessible description: the text, after the style's decorative "⚠ " (CSS ::before, as on sign-in since issue 2). */
const fieldError = (text: string) => new RegExp(`^(⚠ )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const freshPassword = () => `new-pw-${crypto.randomBytes(6).toString('hex')}`;

/** The hash's query parameters of the page's current URL. */
function hashParams(page: Page): URLSearchParams {
  const hash = new URL(page.url()).hash;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/** Parses `#/route?query` hrefs into [route, params]. */
function splitHref(href: string | null): [string, URLSearchParams] {
  expect(href).not.toBeNull();
  const [route, query] = href!.split('?');
  return [route, new URLSearchParams(query ?? '')];
}

/** The number in "Send again in N s" (fails if the button says anything else). */
async function cooldownSeconds(page: Page): Promise<number> {
  const text = (await sendAgainButton(page).innerText()).trim();
  const m = /^Send again in (\d+) s$/.exec(text);
  expect(m, `Send again button text: ${JSON.stringify(text)}`).not.toBeNull();
  return Number(m![1]);
}

/** Opens #/password/reset?email=… and sends the request; waits for the success status. */
async function requestReset(page: Page, email: string): Promise<void> {
  await page.goto(`/#/password/reset?email=${encodeURIComponent(email)}`);
  const form = resetRequestForm(page);
  await expect(form.email).toHaveValue(email);
  const answered = page.waitForResponse(isResetRequest('PUT'));
  await form.submit.click();
  expect((await answered).status()).toBe(200);
  await expectStatus(page, resetSentText(email));
}

/** Opens an emailed reset link and checks the token left the address bar at once. */
async function openResetLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page).toHaveURL(/#\/password\/set$/);
  expect(page.url()).not.toContain('token=');
  await expect(setPasswordForm(page).heading).toBeVisible();
}

async function choosePassword(page: Page, password: string, confirm = password): Promise<void> {
  const form = setPasswordForm(page);
  await form.password.fill(password);
  await form.confirm.fill(confirm);
  await form.submit.click();
}

test('password reset end to end: request, emailed link out of the address bar and history, field errors, the new password works and the old one fails', async ({
  page,
  sim,
  request,
  browserErrors,
}) => {
  browserErrors.allow(failedStatus(401, '/api/login'), 'signing in with the old password is refused on purpose');
  browserErrors.allow(failedStatus(422, RESET_API), 'a refused password asks whether the link still works, with no password: A8 answers 422');
  const account = await sim.createAccount();

  // From the sign-in page, with the email typed, via "Forgot your password?".
  await page.goto('/#/login');
  await loginForm(page).email.fill(account.email);
  await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
  const form = resetRequestForm(page);
  await expect(form.heading).toBeVisible();
  await expect(page).toHaveTitle('Reset your password · Gigalixir');
  await expect(page).toHaveURL(/#\/password\/reset\?/);
  expect(hashParams(page).get('email')).toBe(account.email);
  await expect(form.email).toHaveValue(account.email);
  const [backRoute, backParams] = splitHref(await form.backToSignIn.getAttribute('href'));
  expect(backRoute).toBe('#/login');
  expect(backParams.get('email')).toBe(account.email);

  expect(await emailsTo(request, account.email)).toEqual([]);
  const answered = page.waitForResponse(isResetRequest('PUT'));
  await form.submit.click();
  const response = await answered;
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ data: {} });

  // The form is replaced by the status and the cooling-down "Send again".
  await expectStatus(page, resetSentText(account.email));
  await expect(form.email).toHaveCount(0);
  await expect(form.submit).toHaveCount(0);
  const again = sendAgainButton(page);
  await expect(again).toBeDisabled();
  await expect(again).toHaveText(/^Send again in \d+ s$/);
  const n0 = await cooldownSeconds(page);
  expect(n0).toBeGreaterThanOrEqual(25);
  expect(n0).toBeLessThanOrEqual(30);
  await expect.poll(() => cooldownSeconds(page), { message: 'the countdown goes down', timeout: 5_000 }).toBeLessThan(n0);
  await expect(again).toBeDisabled();

  // The emailed link, opened in this tab.
  const email = await waitForEmail(request, account.email, { subject: RESET_SUBJECT });
  expect(email.body).toContain(email.links[0]);
  const link = await waitForResetLink(request, account.email);
  await openResetLink(page, link);

  // Back and Forward never show the token.
  await page.goBack();
  await expect(page).not.toHaveURL(/#\/password\/set/);
  expect(page.url()).not.toContain('token=');
  await page.goForward();
  await expect(page).toHaveURL(/#\/password\/set$/);
  expect(page.url()).not.toContain('token=');

  // The token lives only in the tab's memory: open the link again to get the form back.
  await openResetLink(page, link);
  const set = setPasswordForm(page);
  await expect(set.password).toHaveAttribute('type', 'password');
  await expect(set.password).toHaveAttribute('autocomplete', 'new-password');
  await expect(set.confirm).toHaveAttribute('type', 'password');
  await expect(page.getByRole('button', { name: 'Show password', exact: true })).toHaveCount(2);

  // Whether the link still works is asked once for the link, not at every refused press.
  const probes: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/users/reset_password') && r.postDataJSON()?.password === '') probes.push(r.url());
  });

  // Mismatch: the error is on the confirmation field; both typed values stay.
  await choosePassword(page, 'long-enough-1', 'long-enough-2');
  await expect(page.getByText("The passwords don't match.", { exact: true })).toBeVisible();
  await expect(set.confirm).toHaveAccessibleDescription(fieldError("The passwords don't match."));
  await expect(set.confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(set.password).toHaveValue('long-enough-1');
  await expect(set.confirm).toHaveValue('long-enough-2');
  await expect(page).toHaveURL(/#\/password\/set$/);

  // Too short: the error is on the new-password field; both typed values stay.
  await choosePassword(page, 'short77', 'short77');
  await expect(page.getByText('Use at least 8 characters.', { exact: true })).toBeVisible();
  await expect(set.password).toHaveAccessibleDescription(fieldError('Use at least 8 characters.'));
  await expect(set.password).toHaveAttribute('aria-invalid', 'true');
  await expect(set.password).toHaveValue('short77');
  await expect(set.confirm).toHaveValue('short77');
  await expect(page).toHaveURL(/#\/password\/set$/);
  expect(probes).toHaveLength(1);

  // A good one: back to sign-in, with the email of this tab's request and the status message.
  const newPassword = freshPassword();
  const changed = page.waitForResponse(isResetRequest('POST'));
  await choosePassword(page, newPassword);
  expect((await changed).status()).toBe(200);
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page).toHaveURL(/#\/login\?/);
  expect(hashParams(page).get('email')).toBe(account.email);
  await expectStatus(page, 'Password changed. Please sign in with your new password.');
  await expect(loginForm(page).email).toHaveValue(account.email);

  // The old password fails, the new one signs in.
  await submitLogin(page, { email: account.email, password: account.password });
  await expectAlert(page, 'Wrong email or password.');
  await submitLogin(page, { email: account.email, password: newPassword });
  await expectAccountPage(page, account);
});

test('the Send again cooldown counts down to "Send again", which sends another email', async ({ page, sim, request }) => {
  const account = await sim.createAccount();
  await page.clock.install();
  await requestReset(page, account.email);
  const first = await waitForEmail(request, account.email, { subject: RESET_SUBJECT });

  const again = sendAgainButton(page);
  await expect(again).toBeDisabled();
  const n0 = await cooldownSeconds(page);
  await page.clock.runFor(5_000);
  await expect.poll(() => cooldownSeconds(page)).toBeLessThanOrEqual(n0 - 4);
  await expect(again).toBeDisabled();

  await page.clock.runFor(26_000);
  await expect(again).toHaveText('Send again');
  await expect(again).toBeEnabled();

  const answered = page.waitForResponse(isResetRequest('PUT'));
  await again.click();
  expect((await answered).status()).toBe(200);
  await expectStatus(page, resetSentText(account.email));
  await expect(again).toBeDisabled();
  await expect(again).toHaveText(/^Send again in \d+ s$/);
  const second = await waitForEmail(request, account.email, { subject: RESET_SUBJECT, notIn: [first] });
  expect(second.id).not.toBe(first.id);
});

test('a reset link used a second time says so and offers a new one', async ({ page, sim, request, browserErrors }) => {
  browserErrors.allow(failedStatus(422, RESET_API), 'the used token is refused with 422 on purpose');
  const account = await sim.createAccount();
  await requestReset(page, account.email);
  const link = await waitForResetLink(request, account.email);

  await openResetLink(page, link);
  await choosePassword(page, freshPassword());
  await expectStatus(page, 'Password changed. Please sign in with your new password.');

  // Said at the first press, before any password is typed: the console asks with no
  // password, which the API refuses for the token first and which could set nothing.
  await openResetLink(page, link);
  const refused = page.waitForResponse(isResetRequest('POST'));
  await setPasswordForm(page).submit.click();
  expect((await refused).request().postDataJSON()).toEqual({ token: expect.any(String), password: '' });
  expect((await refused).status()).toBe(422);
  await expectTokenAlert(page, 'This reset link has already been used.');
  const set = setPasswordForm(page);
  const [route, params] = splitHref(await set.newLink.getAttribute('href'));
  expect(route).toBe('#/password/reset');
  if (params.has('email')) expect(params.get('email')).toBe(account.email);
  await set.newLink.click();
  await expect(resetRequestForm(page).heading).toBeVisible();
  await expect(page).toHaveURL(/#\/password\/reset(\?|$)/);
});

test('an expired reset link says so, opened in a new tab', async ({ page, context, sim, request, browserErrors }) => {
  browserErrors.allow(failedStatus(422, RESET_API), 'the expired token is refused with 422 on purpose');
  const account = await sim.createAccount();
  await requestReset(page, account.email);
  const link = await waitForResetLink(request, account.email);
  await advanceClock(request, 3700);

  // As from an email client: a fresh document in another tab.
  const tab = await context.newPage();
  await openResetLink(tab, link);
  const refused = tab.waitForResponse(isResetRequest('POST'));
  await choosePassword(tab, freshPassword());
  expect((await refused).status()).toBe(422);
  await expectTokenAlert(tab, 'This reset link has expired.');
  const [route] = splitHref(await setPasswordForm(tab).newLink.getAttribute('href'));
  expect(route).toBe('#/password/reset');
  expect(tab.url()).not.toContain('token=');

  // The password did not change.
  await tab.goto('/#/login');
  await submitLogin(tab, account);
  await expectAccountPage(tab, account);
});

test('#/password/set without a token says the link is not valid and shows no form', async ({ page }) => {
  await page.goto('/#/password/set');
  await expectTokenAlert(page, "This reset link isn't valid.");
  const set = setPasswordForm(page);
  await expect(set.password).toHaveCount(0);
  await expect(set.confirm).toHaveCount(0);
  await expect(set.submit).toHaveCount(0);
  const [route] = splitHref(await set.newLink.getAttribute('href'));
  expect(route).toBe('#/password/reset');
  await set.newLink.click();
  await expect(resetRequestForm(page).heading).toBeVisible();
});

test('an unknown reset token is refused as not valid', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, RESET_API), 'the unknown token is refused with 422 on purpose');
  await page.goto(`/#/password/set?token=${'x'.repeat(43)}`);
  await expect(page).toHaveURL(/#\/password\/set$/);
  await expect(setPasswordForm(page).heading).toBeVisible();
  const refused = page.waitForResponse(isResetRequest('POST'));
  await choosePassword(page, freshPassword());
  expect((await refused).status()).toBe(422);
  await expectTokenAlert(page, "This reset link isn't valid.");
  await expect(setPasswordForm(page).newLink).toBeVisible();
});

test('no enumeration: the reset request looks the same on the page and on the wire for an unknown email', async ({ page, sim, request }) => {
  const account = await sim.createAccount();
  const nobody = unknownEmail();

  const attempt = async (email: string) => {
    await page.goto('about:blank'); // a fresh page each time, not the previous attempt's sent state
    await page.goto('/#/password/reset');
    await resetRequestForm(page).email.fill(email);
    const answered = page.waitForResponse(isResetRequest('PUT'));
    await resetRequestForm(page).submit.click();
    const response = await answered;
    await expectStatus(page, resetSentText(email));
    const text = (await page.getByRole('main').innerText()).replaceAll(email, '<email>').replace(/\d+ s\b/g, 'N s');
    return { status: response.status(), body: await response.text(), text };
  };

  const known = await attempt(account.email);
  const unknown = await attempt(nobody);
  expect(known.status).toBe(200);
  expect(JSON.parse(known.body)).toEqual({ data: {} });
  expect(unknown.status).toBe(known.status);
  expect(unknown.body).toBe(known.body);
  expect(unknown.text).toBe(known.text);

  // Only the real account got an email.
  await waitForResetLink(request, account.email);
  expect(await emailsTo(request, nobody)).toEqual([]);
});

test('a 429 on the reset request says when to try again and keeps the typed email', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(429, RESET_API), 'the simulator answers the reset request with 429 on purpose');
  await sim.addFault({ path: RESET_API, kind: 'status', status: 429, retry_after: 30 });
  const typed = unknownEmail();
  await page.goto('/#/password/reset');
  const form = resetRequestForm(page);
  await form.email.fill(typed);
  await form.submit.click();
  await expectAlert(page, 'Too many attempts. Try again in 30 seconds.');
  await expect(form.email).toHaveValue(typed);
  await expect(form.submit).toBeDisabled();
});

test('keyboard only: from sign-in to a sent reset request with Tab, Enter and typing', async ({ page, sim, request }) => {
  const account = await sim.createAccount();
  await page.goto('/#/login');
  await expect(loginForm(page).heading).toBeVisible();

  /** Presses Tab until `target` has focus. */
  const tabTo = async (target: Locator, what: string) => {
    for (let i = 0; i < 25; i += 1) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${what}`);
  };

  await tabTo(loginForm(page).email, 'the Email field');
  await page.keyboard.type(account.email);
  await tabTo(page.getByRole('link', { name: 'Forgot your password?', exact: true }), 'the "Forgot your password?" link');
  await page.keyboard.press('Enter');

  const form = resetRequestForm(page);
  await expect(form.heading).toBeVisible();
  await expect(form.email).toHaveValue(account.email);
  await tabTo(form.submit, 'the "Send reset link" button');
  await page.keyboard.press('Enter');
  await expectStatus(page, resetSentText(account.email));
  await waitForResetLink(request, account.email);
});
