import type { Page } from '@playwright/test';
import {
  type Account,
  descriptionList,
  expect,
  expectAccessible,
  expectAccountPage,
  expectLoginWithNextAccount,
  failedStatus,
  saveScreenshot,
  signIn,
  simUrl,
  storedSessions,
  test,
} from './fixtures';
import { waitForEmail, waitForLink } from './email';

// Account settings (issue 5, first increment): profile with password and email changes,
// the API key, the payment method.

const basic = (email: string, key: string) => `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;

/** Status of GET /api/users made from the test with raw `email:key` credentials. */
async function usersStatus(page: Page, email: string, key: string): Promise<number> {
  const res = await page.request.get('/api/users', { headers: { Authorization: basic(email, key) } });
  return res.status();
}

/** A fresh account, optionally with the simulator's default card on file. */
async function createAccount(page: Page, opts: { card?: boolean; tier?: 'FREE' | 'STANDARD' } = {}): Promise<Account> {
  const email = `acct-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await page.request.post('/__sim/accounts', {
    data: { email, password: 'old-password-1', tier: opts.tier ?? 'STANDARD', credit_cents: 4207, mfa: false, card: opts.card ?? false },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Account;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Account' });

function cardInputs(page: Page) {
  return {
    number: page.getByLabel('Card number'),
    expiry: page.getByLabel('Expiry (MM / YY)'),
    cvc: page.getByLabel('CVC'),
  };
}

const isStripeJs = (url: string) => new URL(url).pathname.startsWith('/__sim/stripe/v3');

test('the side nav reaches every tab, each deep-linkable with aria-current', async ({ page }) => {
  const account = await createAccount(page, { card: true });
  await signIn(page, account);
  await expect(nav(page).getByRole('link')).toHaveText(['Profile', 'Payment method', 'Billing', 'API key', 'SSH keys', 'Two-factor authentication', 'Delete account']);
  await expect(nav(page).getByRole('link', { name: 'Profile' })).toHaveAttribute('aria-current', 'page');

  await nav(page).getByRole('link', { name: 'API key' }).click();
  await expect(page).toHaveURL(/#\/account\/api-key$/);
  await expect(page.getByRole('heading', { level: 1, name: 'API key' })).toBeFocused();
  await expect(page).toHaveTitle('API key · Gigalixir');
  await expect(nav(page).getByRole('link', { name: 'API key' })).toHaveAttribute('aria-current', 'page');
  await expect(nav(page).getByRole('link', { name: 'Profile' })).not.toHaveAttribute('aria-current', /.*/);

  await page.goto('/#/account/payment-method');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment method' })).toBeVisible();
  await expect(page.getByText(/^Visa •••• 4242, expires 12\/\d{4}$/)).toBeVisible();

  await page.goto('/#/account/profile');
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect.poll(() => descriptionList(page)).toMatchObject({ Email: account.email, Tier: 'Standard', Credits: '$42.07' });
});

test('change password: a wrong current password is said by the field, the right one changes it', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/users/change_password'), 'the wrong current password is refused with 422 on purpose');
  const account = await createAccount(page);
  await signIn(page, account);
  const form = page.getByRole('region', { name: 'Change password' });
  const current = form.getByLabel('Current password', { exact: true });
  const next = form.getByLabel('New password', { exact: true });
  const repeat = form.getByLabel('Confirm new password', { exact: true });
  const submit = form.getByRole('button', { name: 'Change password' });

  // Checked before sending.
  await submit.click();
  await expect(form.getByText('Enter your password.')).toBeVisible();
  await expect(form.getByText('Use at least 8 characters.')).toBeVisible();

  await current.fill('not-my-password');
  await next.fill('new-password-2');
  await repeat.fill('new-password-3');
  await submit.click();
  await expect(form.getByText("The passwords don't match.")).toBeVisible();

  await repeat.fill('new-password-2');
  await submit.click();
  await expect(form.getByText("That password isn't right.")).toBeVisible();
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(current).toHaveValue('not-my-password');
  await expect(next).toHaveValue('new-password-2');
  // A 422 is not a 401: still signed in.
  await expect(page).toHaveURL(/#\/account$/);

  await current.fill(account.password);
  await submit.click();
  const status = form.getByRole('status');
  await expect(status).toHaveText('Password changed.');
  await expect(current).toHaveValue('');
  await expect(next).toHaveValue('');
  await expect(repeat).toHaveValue('');

  // The new password signs in; the key kept working.
  const login = await page.request.get('/api/login', {
    headers: { Authorization: basic(encodeURIComponent(account.email), 'new-password-2') },
  });
  expect(login.status()).toBe(200);
  expect(await usersStatus(page, account.email, account.api_key)).toBe(200);
});

test('change email: the confirm link switches the address and the console stays signed in', async ({ page, request }) => {
  const account = await createAccount(page);
  await signIn(page, account);
  const form = page.getByRole('region', { name: 'Change email' });
  const next = `moved-${Date.now()}@example.com`;
  await form.getByLabel('New email', { exact: true }).fill(next);
  await form.getByLabel('Current password', { exact: true }).fill(account.password);
  await form.getByRole('button', { name: 'Change email' }).click();
  await expect(form.getByRole('status')).toHaveText(
    `We sent a confirmation link to ${next}. Your address changes when you open it; we also sent a link to ${account.email} to cancel.`,
  );
  await expect(page.getByText(`Change to ${next} pending: open the link we sent to it.`)).toBeVisible();
  await expect(form.getByLabel('New email', { exact: true })).toHaveValue('');

  const confirm = await waitForLink(request, next, `${simUrl()}/api/users/email/confirm?token=`);
  await page.goto(confirm);
  await expect(page).toHaveURL(/#\/account$/);
  await expect(page.getByRole('status').filter({ hasText: 'Your email address has been changed.' })).toBeVisible();
  await expectAccountPage(page, { ...account, email: next });
  await expect(page.locator('.whoami .email')).toHaveText(next);
  const [perTab] = await storedSessions(page);
  expect(JSON.parse(perTab ?? '{}')).toEqual({ email: next, api_key: account.api_key });
  expect(await usersStatus(page, next, account.api_key)).toBe(200);

  // A reload still works (the stored session has the new address).
  await page.reload();
  await expectAccountPage(page, { ...account, email: next });
});

test('change email: the revoke link cancels the change; a used link says it is invalid', async ({ page, request, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/users/email'), 'the wrong password and the taken address are refused with 422 on purpose');
  const account = await createAccount(page);
  const other = await createAccount(page);
  await signIn(page, account);
  const form = page.getByRole('region', { name: 'Change email' });
  const email = form.getByLabel('New email', { exact: true });
  const password = form.getByLabel('Current password', { exact: true });
  const submit = form.getByRole('button', { name: 'Change email' });

  await email.fill(other.email);
  await password.fill('wrong-password');
  await submit.click();
  await expect(form.getByText("That password isn't right.")).toBeVisible();
  await expect(email).toHaveValue(other.email);

  await password.fill(account.password);
  await submit.click();
  await expect(form.getByText('Has already been taken.')).toBeVisible();

  const next = `revoked-${Date.now()}@example.com`;
  await email.fill(next);
  await submit.click();
  await expect(form.getByRole('status')).toContainText(`We sent a confirmation link to ${next}.`);

  const origin = simUrl();
  const notice = await waitForEmail(request, account.email, { subject: 'Your Gigalixir email is about to change' });
  const revoke = notice.links.find((l) => l.startsWith(`${origin}/api/users/email/revoke?token=`));
  expect(revoke, JSON.stringify(notice.links)).toBeTruthy();
  await page.goto(revoke!);
  await expect(page.getByRole('status').filter({ hasText: 'The email change was cancelled. Your address is unchanged.' })).toBeVisible();
  await expectAccountPage(page, account);
  await expect(page.getByText(/^Change to .* pending/)).toHaveCount(0);

  // The confirm link of the cancelled change no longer works, and the address stays.
  const confirm = await waitForLink(request, next, `${origin}/api/users/email/confirm?token=`);
  await page.goto(confirm);
  await expect(page.getByRole('status').filter({ hasText: "That link isn't valid any more: it was used, replaced by a newer one, or expired." })).toBeVisible();
  await expectAccountPage(page, account);
});

test('API key: masked, revealed, copied; regenerating swaps the key without signing out, the old key gets 401, another tab follows', async ({
  page,
  context,
  browserErrors,
}) => {
  browserErrors.allow(failedStatus(422, '/api/api_keys/regenerate'), 'the wrong password is refused with 422 on purpose');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = await createAccount(page);
  await signIn(page, account, { keep: true });
  const tab = await context.newPage();
  await tab.goto('/#/account/api-key');
  await page.goto('/#/account/api-key');

  const key = page.locator('code.key');
  await expect(key).toHaveText(`••••${account.api_key.slice(-4)}`);
  const reveal = page.getByRole('button', { name: 'Reveal' });
  await expect(reveal).toHaveAttribute('aria-pressed', 'false');
  await reveal.click();
  const hide = page.getByRole('button', { name: 'Hide' });
  await expect(hide).toHaveAttribute('aria-pressed', 'true');
  await expect(key).toHaveText(account.api_key);
  await hide.click();
  await expect(key).toHaveText(`••••${account.api_key.slice(-4)}`);

  await page.getByRole('region', { name: 'API key' }).getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(account.api_key);

  // The dialog: Cancel closes it and focus returns to the button.
  const open = page.getByRole('button', { name: 'Regenerate key' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Regenerate key' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('The current key stops working at once, in the CLI and in every script that uses it.');
  const password = dialog.getByLabel('Current password', { exact: true });
  await expect(password).toBeFocused();
  await expectAccessible(page, 'API key regenerate dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // Esc closes it too.
  await open.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // A wrong password: said by the field, the dialog stays, the text is kept.
  await open.click();
  await password.fill('wrong-password');
  await dialog.getByRole('button', { name: 'Regenerate key' }).click();
  await expect(dialog.getByText("That password isn't right.")).toBeVisible();
  await expect(dialog).toBeVisible();
  await expect(password).toHaveValue('wrong-password');
  expect(await usersStatus(page, account.email, account.api_key)).toBe(200);

  await password.fill(account.password);
  await password.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'New key created.' })).toHaveText(
    'New key created. Sign in to the CLI again and update your scripts.',
  );
  const stored = JSON.parse((await storedSessions(page))[1] ?? '{}') as { email: string; api_key: string };
  expect(stored.email).toBe(account.email);
  expect(stored.api_key).not.toBe(account.api_key);
  await expect(key).toHaveText(`••••${stored.api_key.slice(-4)}`);
  expect(await usersStatus(page, account.email, account.api_key)).toBe(401);
  expect(await usersStatus(page, account.email, stored.api_key)).toBe(200);

  // Still signed in, here and in the other tab, which now holds the new key.
  await page.goto('/#/account');
  await expectAccountPage(page, account);
  await expect(tab.locator('code.key')).toHaveText(`••••${stored.api_key.slice(-4)}`);
  await tab.goto('/#/account');
  await expectAccountPage(tab, account);
});

test('payment method: the card on file, a declined card said by the card, a good one replaces it', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/payment_methods'), 'the declined card is refused with 422 on purpose');
  const account = await createAccount(page, { card: true });
  await signIn(page, account);
  await page.goto('/#/account/payment-method');
  await expect(page.getByText(/^Visa •••• 4242, expires 12\/\d{4}$/)).toBeVisible();
  await page.getByRole('button', { name: 'Edit card' }).click();
  const card = cardInputs(page);
  await expect(card.number).toBeVisible();
  await expectAccessible(page, 'payment method, card form');

  await card.number.fill('4000 0000 0000 0002');
  await card.expiry.fill('12 / 34');
  await card.cvc.fill('123');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/^(⚠ )?Your card was declined\.$/)).toBeVisible();
  await expect(card.number).toHaveValue('4000 0000 0000 0002');

  await card.number.fill('5555 5555 5555 4444');
  await card.cvc.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Card updated.' })).toHaveText('Card updated.');
  await expect(page.getByText(/^MasterCard •••• 4444, expires 12\/2034$/)).toBeVisible();
  await expect(card.number).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Payment method' })).toBeFocused();
});

test('payment method: no card is not an error; one can be added; Stripe.js loads only on this page', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(404, '/api/payment_methods'), 'no card on file is a 404 by contract; the browser logs it');
  const stripeRequests: string[] = [];
  page.on('request', (r) => {
    if (isStripeJs(r.url())) stripeRequests.push(r.url());
  });
  const account = await createAccount(page, { tier: 'FREE' });
  await signIn(page, account);
  await nav(page).getByRole('link', { name: 'API key' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API key' })).toBeVisible();
  await nav(page).getByRole('link', { name: 'Payment method' }).click();
  await expect(page.getByText('No card on file.', { exact: true })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
  expect(stripeRequests, 'Stripe.js before the card form is opened').toEqual([]);

  await page.getByRole('button', { name: 'Add a card' }).click();
  const card = cardInputs(page);
  await expect(card.number).toBeVisible();
  // The first card is added, not edited, and the page says so.
  await expect(page.getByRole('heading', { level: 2, name: 'Add a card' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Edit card' })).toHaveCount(0);
  expect(stripeRequests).toHaveLength(1);
  await card.number.fill('4242 4242 4242 4242');
  await card.expiry.fill('01 / 31');
  await card.cvc.fill('123');
  await card.cvc.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Card added.' })).toHaveText('Card added.');
  await expect(page.getByRole('button', { name: 'Edit card' })).toBeVisible();
  await expect(page.getByText(/^Visa •••• 4242, expires 01\/2031$/)).toBeVisible();

  await nav(page).getByRole('link', { name: 'Profile' }).click();
  await expect(page).toHaveURL(/#\/account\/profile$/);
  await expect.poll(() => descriptionList(page)).toMatchObject({ Email: account.email, Tier: 'Free' });
  expect(stripeRequests).toHaveLength(1);
});

test('payment method: a 500 on load shows the problem and Try again', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(500, '/api/payment_methods'), 'the simulator answers 500 once on purpose');
  const account = await createAccount(page, { card: true });
  await signIn(page, account);
  await sim.addFault({ path: '/api/payment_methods', kind: 'status', status: 500, times: 1 });
  await page.goto('/#/account/payment-method');
  const alert = page.getByRole('alert').filter({ hasText: 'Gigalixir had a problem (error 500).' });
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText(/^Visa •••• 4242, expires 12\/\d{4}$/)).toBeVisible();
  await expect(alert).toHaveCount(0);
});

test('API key outside the browser: the netrc lines, the git remote and the Action secrets, masked until revealed, each copied whole', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = await createAccount(page);
  await signIn(page, account);
  await page.goto('/#/account/api-key');
  const panel = page.getByRole('region', { name: 'Use the key outside the browser' });
  const masked = `••••${account.api_key.slice(-4)}`;
  const netrc = (key: string) =>
    `machine api.gigalixir.com\n\tlogin ${account.email}\n\tpassword ${key}\n` +
    `machine git.gigalixir.com\n\tlogin ${account.email}\n\tpassword ${key}\n`;
  const rows = {
    '~/.netrc': netrc(account.api_key),
    'Git remote': 'https://git.gigalixir.com/your-app.git',
    GIGALIXIR_EMAIL: account.email,
    GIGALIXIR_API_KEY: account.api_key,
  };
  const value = (name: string) => panel.locator('div').filter({ has: page.getByRole('term').filter({ hasText: name }) }).locator('code');
  await expect(value('~/.netrc')).toHaveText(netrc(masked), { useInnerText: true });
  await expect(value('GIGALIXIR_API_KEY')).toHaveText(masked);
  await expect(panel).toContainText('With two-factor on, gigalixir login asks for a code, so CI should use the key');
  await expect(panel).toContainText('Regenerating the key signs out every device and pipeline that uses it');
  expect(await panel.textContent()).not.toContain(account.api_key);

  // Copy takes the whole value, the key included, while the page shows it masked.
  for (const [name, text] of Object.entries(rows)) {
    await panel.locator('div').filter({ has: page.getByRole('term').filter({ hasText: name }) }).getByRole('button', { name: 'Copy' }).click();
    await expect(panel.getByRole('status')).toHaveText('Copied');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  }

  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(value('~/.netrc')).toHaveText(netrc(account.api_key), { useInnerText: true });
  await expect(value('GIGALIXIR_API_KEY')).toHaveText(account.api_key);
  await expectAccessible(page, 'API key outside the browser');
});

test('signed out, every tab returns after sign-in', async ({ page }) => {
  await page.goto('/#/account/api-key');
  await expect(page).toHaveURL(/#\/login\?next=%2Faccount%2Fapi-key$/);
  await page.goto('/#/account');
  await expectLoginWithNextAccount(page);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });
  test('the tabs are one row that scrolls sideways, the current one in view, and the address stays visible', async ({ page }) => {
    const account = await createAccount(page);
    await signIn(page, account);
    const tabs = nav(page).getByRole('list');
    const box = (await tabs.boundingBox())!;
    // One row of tabs (it was four rows, ~190 px, above every page).
    expect(box.height).toBeLessThan(60);
    expect(await tabs.evaluate((ul) => ul.scrollWidth > ul.clientWidth)).toBe(true);
    await expect(page.getByRole('banner').getByText(account.email, { exact: true })).toBeVisible();
    // A deep link to the last tab scrolls the row so that the current tab shows.
    await page.goto('/#/account/delete');
    const current = nav(page).getByRole('link', { name: 'Delete account' });
    await expect(current).toHaveAttribute('aria-current', 'page');
    await expect(current).toBeInViewport({ ratio: 0.99 });
    // The page itself does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});

for (const [size, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['mobile', { width: 375, height: 812 }],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });
      test(`every account tab is accessible (${size}, ${colorScheme})`, async ({ page }) => {
        const account = await createAccount(page, { card: true });
        await signIn(page, account);
        await expectAccessible(page, 'profile');
        await saveScreenshot(page, `account-profile-${size}-${colorScheme}`);
        await page.goto('/#/account/api-key');
        await expect(page.locator('code.key')).toBeVisible();
        await expectAccessible(page, 'API key');
        await saveScreenshot(page, `account-api-key-${size}-${colorScheme}`);
        await page.getByRole('button', { name: 'Regenerate key' }).click();
        await expect(page.getByRole('dialog')).toBeVisible();
        await saveScreenshot(page, `account-api-key-dialog-${size}-${colorScheme}`);
        await page.keyboard.press('Escape');
        await page.goto('/#/account/payment-method');
        await expect(page.getByText(/^Visa •••• 4242/)).toBeVisible();
        await expectAccessible(page, 'payment method');
        await page.getByRole('button', { name: 'Edit card' }).click();
        await expect(cardInputs(page).number).toBeVisible();
        await saveScreenshot(page, `account-payment-method-${size}-${colorScheme}`);
      });
    });
  }
}
