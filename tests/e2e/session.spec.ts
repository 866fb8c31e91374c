import {
  expect,
  expectAccountPage,
  expectLoginWithNextAccount,
  failedStatus,
  loginForm,
  signIn,
  storedSessions,
  test,
} from './fixtures';

test('"Keep me signed in" survives a new tab', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account, { keep: true });
  const tab = await context.newPage();
  await tab.goto('/#/account');
  await expectAccountPage(tab, account);
});

test('by default a new tab is signed out (the session lives in sessionStorage)', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account);
  expect((await storedSessions(page))[1], 'localStorage gx.session').toBeNull();
  const tab = await context.newPage();
  await tab.goto('/#/account');
  await expectLoginWithNextAccount(tab);
});

test('signing out clears both storages and signs out another tab', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account, { keep: true });
  const tab = await context.newPage();
  await tab.goto('/#/account');
  await expectAccountPage(tab, account);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(loginForm(page).heading).toBeVisible();
  // Plain sign-in: the next person to sign in here does not land on this account's page.
  await expect(page).toHaveURL(/#\/login$/);
  expect(await storedSessions(page)).toEqual([null, null]);

  // The other tab follows without a reload.
  await expect(loginForm(tab).heading).toBeVisible();
  await expect(tab).toHaveURL(/#\/login/);
  expect(await storedSessions(tab)).toEqual([null, null]);
});

test('a 401 mid-session ends the session with a message and clears storage', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/users'), 'the simulator answers /api/users with 401 on purpose');
  const account = await sim.createAccount();
  await signIn(page, account, { keep: true });
  await sim.addFault({ path: '/api/users', kind: 'status', status: 401 });

  await page.reload();
  await expectLoginWithNextAccount(page);
  const message = 'Your session has ended. Please sign in again.';
  const live = page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: message });
  await expect(live).toBeVisible();
  await expect(live).toHaveText(message);
  expect(await storedSessions(page)).toEqual([null, null]);
});
