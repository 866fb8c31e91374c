import type { Page } from '@playwright/test';
import { unknownEmail } from './email';
import { expect, expectAccessible, expectAccountPage, expectAlert, saveScreenshot, storedSessions, test } from './fixtures';

// "Continue with Google" (issue 3, A2/A3 and A4's Google step) against the simulator's
// consent stand-in: a popup when the browser allows it, this tab when it doesn't.

const POLL = /\/api\/oauth\/google\/[^/]+$/;
const refusedPoll = (status: number) =>
  new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status} .*/api/oauth/google/[^/]+$`);

const googleButton = (page: Page) => page.getByRole('button', { name: 'Continue with Google', exact: true });
const waiting = (page: Page, text = 'Waiting for Google… Finish in the window that opened.') =>
  page.getByRole('status').filter({ hasText: text });

/** Clicks "Continue with Google" and returns the consent popup once it shows the form. */
async function openConsent(page: Page): Promise<Page> {
  const popupOpened = page.waitForEvent('popup');
  await googleButton(page).click();
  const popup = await popupOpened;
  await expect(popup.getByRole('heading', { name: 'Sign in with Google (simulator)' })).toBeVisible();
  return popup;
}

async function consent(popup: Page, email: string) {
  await popup.getByLabel('Google account email').fill(email);
  await popup.getByRole('button', { name: 'Continue', exact: true }).click();
}

test('Continue with Google signs in through a popup that cannot reach back into the console', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await page.goto('/#/login');
  const polls: string[] = [];
  page.on('request', (r) => {
    if (POLL.test(new URL(r.url()).pathname)) polls.push(r.url());
  });
  const popup = await openConsent(page);
  await expect(waiting(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  await expect.poll(() => polls.length, { message: 'the console polls while the user decides' }).toBeGreaterThan(0);
  await expectAccessible(page, 'sign-in waiting for Google');
  await saveScreenshot(page, 'login-google-waiting-desktop-light');

  await consent(popup, account.email);
  await expectAccountPage(page, account);
  await expect.poll(() => popup.isClosed(), { message: 'the console closes the popup' }).toBe(true);
  const [perTab] = await storedSessions(page);
  expect(JSON.parse(perTab!)).toEqual({ email: account.email, api_key: account.api_key });
});

test('Google: Cancel on the consent page is reported, and Cancel in the console stops waiting', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(refusedPoll(403), 'the cancelled consent answers 403 on purpose');
  await page.goto('/#/login');
  let popup = await openConsent(page);
  await popup.getByRole('button', { name: 'Cancel', exact: true }).click();
  // Said neutrally, as news rather than an error.
  await expect(page.getByRole('status').filter({ hasText: 'You cancelled signing in with Google. Nothing was changed.' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
  await expect(googleButton(page)).toBeVisible();

  // Typed email survives the whole thing.
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill('typed@example.com');
  popup = await openConsent(page);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(googleButton(page)).toBeVisible();
  await expect(waiting(page)).toHaveCount(0);
  await expect.poll(() => popup.isClosed()).toBe(true);
  let later = 0;
  page.on('request', (r) => (later += POLL.test(new URL(r.url()).pathname) ? 1 : 0));
  await page.waitForTimeout(2_500);
  expect(later, 'no poll after Cancel').toBe(0);
  await expect(page.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue('typed@example.com');
  expect(await storedSessions(page)).toEqual([null, null]);
  void sim;
});

test('Google: closing its window stops the wait at once and says so', async ({ page }) => {
  await page.goto('/#/login');
  const popup = await openConsent(page);
  await expect(waiting(page)).toBeVisible();
  await popup.close();
  await expect(page.getByRole('status').filter({ hasText: "The Google window was closed before you finished." })).toBeVisible();
  await expect(googleButton(page)).toBeVisible();
  let later = 0;
  page.on('request', (r) => (later += POLL.test(new URL(r.url()).pathname) ? 1 : 0));
  await page.waitForTimeout(2_500);
  expect(later, 'no poll once the window is closed').toBe(0);
  // Another go works, and the old word goes.
  const again = await openConsent(page);
  await expect(page.getByText('The Google window was closed', { exact: false })).toHaveCount(0);
  await again.close();
});

test('Google with a blocked popup: this tab goes to Google, and coming back picks the wait up and signs in', async ({ page, sim, context }) => {
  const account = await sim.createAccount();
  await context.addInitScript(() => {
    window.open = () => null;
  });
  await page.goto('/#/login');
  await googleButton(page).click();
  await expect(page.getByRole('heading', { name: 'Sign in with Google (simulator)' })).toBeVisible();
  await consent(page, account.email);
  await expect(page.getByRole('heading', { name: 'Done' })).toBeVisible();
  await page.getByRole('link', { name: 'Return to the Gigalixir console' }).click();
  await expectAccountPage(page, account);
  expect(await page.evaluate(() => sessionStorage.getItem('gx.google'))).toBeNull();
});

test('Google gives up after about two minutes with a clear message', async ({ page }) => {
  await page.clock.install();
  await page.goto('/#/login');
  const firstPoll = page.waitForRequest((r) => POLL.test(new URL(r.url()).pathname));
  const popup = await openConsent(page);
  await firstPoll;
  await page.clock.fastForward(121_000);
  await expectAlert(page, 'Google sign-in took too long, so we stopped waiting. Try again.');
  await expect(googleButton(page)).toBeVisible();
  await expect.poll(() => popup.isClosed()).toBe(true);
});

test('Google sign-in for an address with no account says to sign up; Google sign-up for a taken one says to sign in', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(refusedPoll(422), 'both refusals are 422 on purpose');
  await page.goto('/#/login');
  let popup = await openConsent(page);
  await consent(popup, unknownEmail());
  // No dead end: sign-up is offered.
  await expect(page.getByRole('status').filter({ hasText: 'No Gigalixir account uses that Google address yet.' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
  for (const [w, tag] of [[1280, 'desktop'], [375, 'mobile']] as const) {
    await page.setViewportSize({ width: w, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectAccessible(page, `sign-in with an unknown Google address ${tag} ${scheme}`);
      await saveScreenshot(page, `login-google-no-account-${tag}-${scheme}`);
    }
  }
  await page.getByRole('link', { name: 'Create an account with Google' }).click();
  await expect(page).toHaveURL(/#\/signup$/);
  await expect(googleButton(page)).toBeVisible();

  const existing = await sim.createAccount();
  await page.goto('/#/signup');
  popup = await openConsent(page);
  await expect(popup.getByLabel('Google account email')).toHaveValue('');
  await consent(popup, existing.email);
  await expectAlert(page, "Google sign-in didn't finish: This Google address already has a Gigalixir account. Sign in instead.");
  expect(await storedSessions(page)).toEqual([null, null]);
});

test('sign-up with Google skips the code and password: plan, then signed in', async ({ page }) => {
  const address = unknownEmail();
  await page.goto('/#/signup');
  const popup = await openConsent(page);
  await consent(popup, address);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your plan');
  await expect(page.locator('.progress')).toHaveText('Step 2 of 2');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/#\/account$/);
  await expect(page.getByRole('definition').first()).toHaveText(address);
});
