import {
  expect,
  expectAccessible,
  expectAccountPage,
  loginForm,
  mfaForm,
  saveScreenshot,
  submitLogin,
  test,
  totp,
} from './fixtures';

// axe-core and CSP on every page of issue 2, in both themes and at desktop and mobile sizes;
// full-page screenshots go to tests/artifacts/screenshots/<page>-<size>-<theme>.png.
// CSP violations and console errors fail the test through the fixtures.

const sizes = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 375, height: 812 },
} as const;

for (const [size, viewport] of Object.entries(sizes)) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });

      test(`login, MFA step, account and not-found pages are accessible (${size}, ${colorScheme})`, async ({ page, sim, cspViolations }) => {
        const shot = (name: string) => saveScreenshot(page, `${name}-${size}-${colorScheme}`);
        const account = await sim.createAccount({ mfa: true });

        await page.goto('/#/login');
        await expect(loginForm(page).heading).toBeVisible();
        await expect(page).toHaveTitle('Sign in · Gigalixir');
        await expectAccessible(page, 'login');
        await shot('login');

        await submitLogin(page, account);
        const mfa = mfaForm(page);
        await expect(mfa.heading).toBeVisible();
        await expectAccessible(page, 'MFA step');
        await shot('mfa');

        await mfa.code.fill(totp(account.totp_secret!));
        await mfa.verify.click();
        await expectAccountPage(page, account);
        await expectAccessible(page, 'account');
        await shot('account');

        await page.goto('/#/nope');
        await expect(page.getByRole('heading', { level: 1, name: 'Page not found', exact: true })).toBeVisible();
        await expect(page).toHaveTitle('Page not found · Gigalixir');
        await expect(page.getByRole('link', { name: 'Go to your account', exact: true })).toBeVisible();
        await expectAccessible(page, 'not found');
        await shot('not-found');

        expect(cspViolations).toEqual([]);
      });
    });
  }
}
