import { expect, expectAccountPage, loginForm, signIn, test } from './fixtures';

// Issue 6: offline, the console says so, keeps what was typed, holds its buttons, and picks
// up by itself when the connection is back.

const OFFLINE = "You're offline. What you typed is kept; buttons come back when the connection does.";

test('offline: said at once, submit held, typed input kept; back online, sign-in works', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await page.goto('/#/login');
  const form = loginForm(page);
  await form.email.fill(account.email);
  await form.password.fill(account.password);

  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: OFFLINE })).toBeVisible();
  await expect(form.submit).toBeDisabled();
  // Enter doesn't get around it either: nothing is sent.
  let sent = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/')) sent += 1;
  });
  await form.password.press('Enter');
  await expect(form.heading).toBeVisible();
  expect(sent).toBe(0);
  await expect(form.email).toHaveValue(account.email);
  await expect(form.password).toHaveValue(account.password);

  await context.setOffline(false);
  await expect(page.getByText(OFFLINE)).toHaveCount(0);
  await expect(form.submit).toBeEnabled();
  await form.submit.click();
  await expectAccountPage(page, account);
});

test('offline in the signed-in console: the banner shows in the shell and the forms wait', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account);
  const form = page.getByRole('region', { name: 'Change password' });
  await form.getByLabel('Current password').fill('typed while offline');
  await context.setOffline(true);
  await expect(page.getByRole('main').getByText(OFFLINE)).toBeVisible();
  await expect(form.getByRole('button', { name: 'Change password' })).toBeDisabled();
  await context.setOffline(false);
  await expect(form.getByRole('button', { name: 'Change password' })).toBeEnabled();
  await expect(form.getByLabel('Current password')).toHaveValue('typed while offline');
});
