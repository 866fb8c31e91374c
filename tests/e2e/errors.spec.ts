import { expect, expectAccountPage, expectAlert, failedNetwork, failedStatus, loginForm, submitLogin, test } from './fixtures';

test('a 500 on sign-in says so, keeps the email, and Sign in again works', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(500, '/api/login'), 'the simulator answers /api/login with 500 on purpose');
  const account = await sim.createAccount();
  await sim.addFault({ path: '/api/login', kind: 'status', status: 500 });
  await page.goto('/#/login');
  await submitLogin(page, account);
  await expectAlert(page, 'Gigalixir had a problem (error 500). Please try again in a moment.');
  await expect(loginForm(page).email).toHaveValue(account.email);

  await sim.clearFaults();
  await loginForm(page).submit.click();
  await expectAccountPage(page, account);
});

test('a dropped connection on sign-in says so, keeps the email, and Sign in again works', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedNetwork('/api/login'), 'the simulator drops the /api/login connection on purpose');
  const account = await sim.createAccount();
  await sim.addFault({ path: '/api/login', kind: 'drop' });
  await page.goto('/#/login');
  await submitLogin(page, account);
  await expectAlert(page, "Can't reach Gigalixir. Check your connection and try again.");
  await expect(loginForm(page).email).toHaveValue(account.email);

  await sim.clearFaults();
  await loginForm(page).submit.click();
  await expectAccountPage(page, account);
});

test('a 429 with Retry-After 30 on sign-in says when to try again', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(429, '/api/login'), 'the simulator answers /api/login with 429 on purpose');
  const account = await sim.createAccount();
  await sim.addFault({ path: '/api/login', kind: 'status', status: 429, retry_after: 30 });
  await page.goto('/#/login');
  await submitLogin(page, account);
  await expectAlert(page, 'Too many attempts. Try again in 30 seconds.');
  await expect(loginForm(page).email).toHaveValue(account.email);
});
