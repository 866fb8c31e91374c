import {
  expect,
  expectAccountPage,
  expectAlert,
  expectLoginWithNextAccount,
  failedStatus,
  loginForm,
  signIn,
  submitLogin,
  test,
} from './fixtures';

test('signing in lands on the account page with email, tier and credits, in exactly 2 API requests', async ({ page, sim }) => {
  const account = await sim.createAccount({ tier: 'STANDARD', credit_cents: 4207 });
  await page.goto('/#/login');
  await expect(page).toHaveTitle('Sign in · Gigalixir');
  const form = loginForm(page);
  await form.email.fill(account.email);
  await form.password.fill(account.password);

  const apiRequests: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) apiRequests.push(`${req.method()} ${url.pathname}`);
  });
  await form.submit.click();
  await expectAccountPage(page, account); // Email, "Standard", "$42.07"
  await page.waitForLoadState('networkidle');
  expect(apiRequests).toEqual(['GET /api/login', 'GET /api/users']);
});

test('a wrong password says so and keeps the typed email', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/login'), 'the wrong password is answered 401 on purpose');
  const account = await sim.createAccount();
  await page.goto('/#/login');
  await submitLogin(page, { email: account.email, password: 'not-the-password' });
  await expectAlert(page, 'Wrong email or password.');
  await expect(loginForm(page).email).toHaveValue(account.email);
  await expect(page).toHaveURL(/#\/login$/);
});

test('the help links carry the typed email in their href', async ({ page }) => {
  const typed = 'pat.o+console@example.com';
  await page.goto('/#/login');
  await loginForm(page).email.fill(typed);
  for (const [name, route] of [
    ['Forgot your password?', '#/password/reset'],
    ['Resend confirmation email', '#/confirmation/resend'],
  ]) {
    const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
    expect(href, name).not.toBeNull();
    const [path, query] = href!.split('?');
    expect(path, name).toBe(route);
    expect(new URLSearchParams(query).get('email'), `${name}: ${href}`).toBe(typed);
  }
});

test('a deep link to #/account while signed out returns there after signing in', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await page.goto('/#/account');
  await expectLoginWithNextAccount(page);
  await submitLogin(page, account);
  await expectAccountPage(page, account);
});

test('a route typed without its # opens that page: /login is #/login, a query comes along', async ({ page }) => {
  await page.goto('/login');
  await expect(page).toHaveURL(/\/#\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(loginForm(page).email).toBeVisible();
  await page.goto('/password/reset?email=ana%40example.com');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  await expect(page.getByLabel('Email')).toHaveValue('ana@example.com');
  expect(new URL(page.url()).pathname).toBe('/');
  // A missing file is still a 404, not the page.
  expect((await page.request.get('/missing.js')).status()).toBe(404);
});

test('Back from the not-found page returns to the account page, Forward goes back to it', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await signIn(page, account);
  await page.goto('/#/nope');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found', exact: true })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Gigalixir');
  await page.goBack();
  await expectAccountPage(page, account);
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found', exact: true })).toBeVisible();
  await expect(page).toHaveURL(/#\/nope$/);
});
