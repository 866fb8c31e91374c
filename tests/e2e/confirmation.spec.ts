import type { Page, Response } from '@playwright/test';
import { advanceClock, emailsTo, unknownEmail, waitForConfirmLink, waitForEmail, CONFIRM_SUBJECT } from './email';
import { expect, expectStatus, loginForm, resendForm, resendSentText, sendAgainButton, signIn, test } from './fixtures';

// Confirmation resend (issue 3, A9) and the emailed API link GET /api/confirm?token=…, which
// redirects into the console; each link is opened in the browser as a user clicking it would.

const RECONFIRM_API = '/api/users/reconfirm_email';
const isReconfirm = (r: Response) => new URL(r.url()).pathname === RECONFIRM_API && r.request().method() === 'PUT';

const CONFIRMED = 'Your email address is confirmed. You can sign in now.';
const EXPIRED = 'Your confirmation link has expired. Send yourself a new one below.';
const INVALID = "That confirmation link isn't valid. Send yourself a new one below.";
const OTHER = "There's a problem with your confirmation link. Send yourself a new one below.";

function hashParams(page: Page): URLSearchParams {
  const hash = new URL(page.url()).hash;
  return new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

/** On the resend page with `email` prefilled, press "Send confirmation email"; returns the wire answer. */
async function sendConfirmation(page: Page, email: string): Promise<{ status: number; body: string }> {
  const form = resendForm(page);
  await expect(form.email).toHaveValue(email);
  const answered = page.waitForResponse(isReconfirm);
  await form.submit.click();
  const response = await answered;
  await expectStatus(page, resendSentText(email));
  return { status: response.status(), body: await response.text() };
}

test('confirmation end to end: resend, the emailed API link confirms and lands on sign-in; the same link again is not valid', async ({
  page,
  sim,
  request,
}) => {
  const account = await sim.createAccount({ confirmed: false });
  await page.goto(`/#/confirmation/resend?email=${encodeURIComponent(account.email)}`);
  const form = resendForm(page);
  await expect(form.heading).toBeVisible();
  await expect(page.getByText(EXPIRED, { exact: true })).toHaveCount(0);
  await expect(page.getByText(INVALID, { exact: true })).toHaveCount(0);

  const wire = await sendConfirmation(page, account.email);
  expect(wire.status).toBe(200);
  expect(JSON.parse(wire.body)).toEqual({ data: {} });
  await expect(form.email).toHaveCount(0);
  await expect(form.submit).toHaveCount(0);
  const again = sendAgainButton(page);
  await expect(again).toBeDisabled();
  await expect(again).toHaveText(/^Send again in \d+ s$/);

  const link = await waitForConfirmLink(request, account.email);
  expect(new URL(link).pathname).toBe('/api/confirm');

  // The API redirects to #/notify?msg=email_confirmed&to=%2Flogin, which the console replaces
  // with #/login and the message.
  await page.goto(link);
  await expect(page).toHaveURL(/#\/login$/);
  await expect(loginForm(page).heading).toBeVisible();
  await expectStatus(page, CONFIRMED);
  await page.goBack();
  expect(page.url()).not.toContain('/notify');
  expect(page.url()).not.toContain('/api/confirm');

  // The same link a second time: already confirmed, said as such, on the sign-in page.
  await page.goto(link);
  await expect(page).toHaveURL(/#\/login$/);
  await expectStatus(page, 'Your email address was already confirmed. You can sign in.');
  await expect(page.getByText(INVALID, { exact: true })).toHaveCount(0);

  // Signed in, the link says it is confirmed and goes to the account, not to sign-in.
  await signIn(page, account);
  await page.goto(link);
  await expect(page).toHaveURL(/#\/account$/);
  await expectStatus(page, 'Your email address is confirmed.');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();

  // Now confirmed: asking again answers the same but sends nothing.
  await page.goto(`/#/confirmation/resend?email=${encodeURIComponent(account.email)}`);
  const before = await emailsTo(request, account.email);
  await form.email.fill(account.email);
  expect(await sendConfirmation(page, account.email)).toEqual(wire);
  expect(await emailsTo(request, account.email)).toEqual(before);
});

test('an expired confirmation link lands on the resend page with the email prefilled, and the new link works', async ({
  page,
  sim,
  request,
}) => {
  const account = await sim.createAccount({ confirmed: false });
  await page.goto(`/#/confirmation/resend?email=${encodeURIComponent(account.email)}`);
  await sendConfirmation(page, account.email);
  const first = await waitForEmail(request, account.email, { subject: CONFIRM_SUBJECT });
  const expiredLink = await waitForConfirmLink(request, account.email);
  await advanceClock(request, 90_000);

  await page.goto(expiredLink);
  await expect(page).toHaveURL(/#\/confirmation\/resend\?/);
  expect(hashParams(page).get('email')).toBe(account.email);
  expect(hashParams(page).get('msg')).toBe('token_expired');
  const form = resendForm(page);
  await expect(form.heading).toBeVisible();
  await expect(page.getByText(EXPIRED, { exact: true })).toBeVisible();
  await expect(form.email).toHaveValue(account.email);

  // Send yourself a new one below: it confirms.
  await sendConfirmation(page, account.email);
  const freshLink = await waitForConfirmLink(request, account.email, { notIn: [first] });
  expect(freshLink).not.toBe(expiredLink);
  await page.goto(freshLink);
  await expect(page).toHaveURL(/#\/login$/);
  await expectStatus(page, CONFIRMED);
});

test('no enumeration: the confirmation resend looks the same on the page and on the wire for unknown, confirmed and unconfirmed emails', async ({
  page,
  sim,
  request,
}) => {
  const unconfirmed = await sim.createAccount({ confirmed: false });
  const confirmed = await sim.createAccount({ confirmed: true });
  const nobody = unknownEmail();

  const attempt = async (email: string) => {
    await page.goto('about:blank'); // a fresh page each time, not the previous attempt's sent state
    await page.goto('/#/confirmation/resend');
    await resendForm(page).email.fill(email);
    const wire = await sendConfirmation(page, email);
    const text = (await page.getByRole('main').innerText()).replaceAll(email, '<email>').replace(/\d+ s\b/g, 'N s');
    return { ...wire, text };
  };

  const a = await attempt(unconfirmed.email);
  const b = await attempt(confirmed.email);
  const c = await attempt(nobody);
  expect(a.status).toBe(200);
  expect(JSON.parse(a.body)).toEqual({ data: {} });
  expect(b).toEqual(a);
  expect(c).toEqual(a);

  // Only the unconfirmed account got an email.
  await waitForConfirmLink(request, unconfirmed.email);
  expect(await emailsTo(request, confirmed.email)).toEqual([]);
  expect(await emailsTo(request, nobody)).toEqual([]);
});

test('the msg parameter picks a sentence from a fixed table and is never shown raw', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const raw = '<script>alert(1)</script>';
  for (const msg of [raw, encodeURIComponent(raw), 'token_expired_not', '%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E']) {
    await page.goto('about:blank');
    await page.goto(`/#/confirmation/resend?msg=${msg}`);
    await expect(resendForm(page).heading).toBeVisible();
    await expect(page.getByText(OTHER, { exact: true }), `msg=${msg}`).toBeVisible();
    const text = await page.getByRole('main').innerText();
    for (const bad of ['<script', 'alert(', 'onerror', '<img', 'token_expired_not']) expect(text, `msg=${msg}`).not.toContain(bad);
    await expect(page.getByText(EXPIRED, { exact: true })).toHaveCount(0);
  }
  expect(dialogs).toEqual([]);
});
