import {
  expect,
  submitLogin,
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

test('by default a new tab joins the open tab\'s session, which still lives in sessionStorage only', async ({ page, context, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account);
  expect((await storedSessions(page))[1], 'localStorage gx.session').toBeNull();
  // As a link opened from an email in a new tab: it asks the open tab, and stays where it was sent.
  const tab = await context.newPage();
  await tab.goto('/#/account/billing');
  await expect(tab).toHaveURL(/#\/account\/billing$/);
  await expect(tab.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible();
  const [perTab, kept] = await storedSessions(tab);
  expect(JSON.parse(perTab!)).toEqual({ email: account.email, api_key: account.api_key });
  expect(kept, 'nothing outlives the browser').toBeNull();

  // With no tab signed in, nothing answers: a new tab asks for sign-in.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  const third = await context.newPage();
  await third.goto('/#/account');
  await expectLoginWithNextAccount(third);
});

test('signing out in one tab says so in the tabs holding that session; a 401 ends only its own session\'s tabs', async ({ page, context, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/users'), 'the simulator answers /api/users with 401 once on purpose');
  const [x, y] = [await sim.createAccount(), await sim.createAccount()];
  // A tab opened before anyone signs in gets no session and signs in as another account.
  const other = await context.newPage();
  await other.goto('/#/login');
  await expect(loginForm(other).heading).toBeVisible();
  await signIn(page, x);
  const joined = await context.newPage();
  await joined.goto('/#/account');
  await expectAccountPage(joined, x);
  await submitLogin(other, y);
  await expectAccountPage(other, y);

  // X's key stops working (a 401 in the first tab): X's tabs end, Y's stays.
  await sim.addFault({ path: '/api/users', kind: 'status', status: 401, times: 1 });
  await page.reload();
  await expectLoginWithNextAccount(page);
  await expect(loginForm(joined).heading).toBeVisible();
  await expect(joined.getByRole('status').filter({ hasText: 'Your session has ended. Please sign in again.' })).toBeVisible();
  await expectAccountPage(other, y);

  // Signing out of Y is said in Y's other tab, in words, rather than dropping it silently.
  await signIn(page, y);
  await other.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'You signed out in another tab.' })).toBeVisible();
  expect(await storedSessions(page)).toEqual([null, null]);
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
