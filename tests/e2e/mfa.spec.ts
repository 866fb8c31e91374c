import { expect, expectAccountPage, expectAlert, expectStatus, loginForm, mfaForm, submitLogin, test, totp, wrongTotp } from './fixtures';

test('MFA sign-in: a wrong code keeps the step, the right code signs in', async ({ page, sim }) => {
  const account = await sim.createAccount({ tier: 'FREE', credit_cents: 0, mfa: true });
  expect(account.totp_secret).toBeTruthy();
  await page.goto('/#/login');
  await submitLogin(page, account);

  const mfa = mfaForm(page);
  await expect(mfa.heading).toBeVisible();
  await mfa.code.fill(wrongTotp(account.totp_secret!));
  await mfa.verify.click();
  await expectAlert(page, "That code didn't work. Check your authenticator app and try again.");
  await expect(mfa.heading).toBeVisible();
  await expect(mfa.code).toBeVisible();

  await mfa.code.fill(totp(account.totp_secret!));
  await mfa.verify.click();
  await expectAccountPage(page, account); // "Free", "$0.00"
});

test('a recovery code signs in once; the same code fails after signing out', async ({ page, sim }) => {
  const account = await sim.createAccount({ mfa: true });
  expect(account.recovery_codes).toHaveLength(10);
  const code = account.recovery_codes[0];
  const mfa = mfaForm(page);

  await page.goto('/#/login');
  await submitLogin(page, account);
  await expect(mfa.heading).toBeVisible();
  await mfa.useRecovery.click();
  await mfa.recoveryCode.fill(code);
  await mfa.verify.click();
  await expectAccountPage(page, account);
  // The API says nothing of how many codes are left; the page says where new ones are.
  await expectStatus(page, "You signed in with a recovery code, so it won't work again. Running low? Open Two-factor authentication and choose Get new recovery codes.");

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(loginForm(page).heading).toBeVisible();
  await submitLogin(page, account);
  await expect(mfa.heading).toBeVisible();
  await mfa.useRecovery.click();
  await mfa.recoveryCode.fill(code);
  await mfa.verify.click();
  await expectAlert(page, "That recovery code didn't work. Each code can be used once.");
  await expect(mfa.heading).toBeVisible();
  await expect(mfa.recoveryCode).toBeVisible();
});

test('switching between the app code and a recovery code keeps what was typed in each', async ({ page, sim }) => {
  const account = await sim.createAccount({ mfa: true });
  const mfa = mfaForm(page);
  await page.goto('/#/login');
  await submitLogin(page, account);
  await expect(mfa.heading).toBeVisible();
  await mfa.code.fill('123');
  await mfa.useRecovery.click();
  await mfa.recoveryCode.fill('abcd-ef');
  await mfa.useApp.click();
  await expect(mfa.code).toHaveValue('123');
  await mfa.useRecovery.click();
  await expect(mfa.recoveryCode).toHaveValue('abcd-ef');
});
