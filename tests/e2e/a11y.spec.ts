import { advanceClock, waitForResetLink } from './email';
import {
  expect,
  expectAccessible,
  expectAccountPage,
  expectTokenAlert,
  expectStatus,
  failedStatus,
  loginForm,
  mfaForm,
  resendForm,
  resetRequestForm,
  resetSentText,
  saveScreenshot,
  sendAgainButton,
  setPasswordForm,
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

      test(`password reset, set password, confirmation resend and notice pages are accessible (${size}, ${colorScheme})`, async ({
        page,
        sim,
        request,
        cspViolations,
        browserErrors,
      }) => {
        browserErrors.allow(failedStatus(422, '/api/users/reset_password'), 'the expired reset token is refused with 422 on purpose');
        const shot = (name: string) => saveScreenshot(page, `${name}-${size}-${colorScheme}`);
        const account = await sim.createAccount();

        await page.goto(`/#/password/reset?email=${encodeURIComponent(account.email)}`);
        const reset = resetRequestForm(page);
        await expect(reset.heading).toBeVisible();
        await expect(reset.email).toHaveValue(account.email);
        await expectAccessible(page, 'reset request');
        await shot('reset-request');

        await reset.submit.click();
        await expectStatus(page, resetSentText(account.email));
        await expect(sendAgainButton(page)).toHaveText(/^Send again in \d+ s$/);
        await expectAccessible(page, 'reset sent');
        await shot('reset-sent');

        await page.goto(await waitForResetLink(request, account.email));
        const set = setPasswordForm(page);
        await expect(set.heading).toBeVisible();
        await expectAccessible(page, 'set password');
        await shot('set-password');

        await set.password.fill('short77');
        await set.confirm.fill('short78');
        await set.submit.click();
        await expect(set.password).toHaveAttribute('aria-invalid', 'true');
        await expectAccessible(page, 'set password with errors');
        await shot('set-password-errors');

        await advanceClock(request, 3700);
        await set.password.fill('long-enough-password');
        await set.confirm.fill('long-enough-password');
        await set.submit.click();
        await expectTokenAlert(page, 'This reset link has expired.');
        await expectAccessible(page, 'expired reset link');
        await shot('reset-expired');

        await page.goto(`/#/confirmation/resend?email=${encodeURIComponent(account.email)}&msg=token_expired`);
        await expect(resendForm(page).heading).toBeVisible();
        await expect(page.getByText('Your confirmation link has expired. Send yourself a new one below.', { exact: true })).toBeVisible();
        await expectAccessible(page, 'confirmation resend (token_expired)');
        await shot('confirmation-resend-expired');

        await page.goto('/#/notify?msg=email_changed&to=%2F%2Fevil.com');
        await expect(page.getByRole('heading', { level: 1, name: 'Notice', exact: true })).toBeVisible();
        await expect(page.getByRole('link', { name: 'Continue', exact: true })).toBeVisible();
        await expectAccessible(page, 'notify');
        await shot('notify');

        expect(cspViolations).toEqual([]);
      });
    });
  }
}
