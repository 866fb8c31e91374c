import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import {
  type Account,
  expect,
  expectAccessible,
  ed25519,
  expectAlert,
  failedStatus,
  loginForm,
  saveScreenshot,
  signIn,
  submitLogin,
  test,
} from './fixtures';

// Account tabs of issue 5, second part: SSH keys (A25) and deleting apps (A23, A24) and the
// account itself (A11), with the goodbye page. Helpers are local to this file.

const PASSWORD = 'danger-password-1';
const basic = (a: Account) => `Basic ${Buffer.from(`${a.email}:${a.api_key}`).toString('base64')}`;

/** A unique app name the simulator accepts (globally unique, lower case, starts with a letter). */
const appName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;

/** A fresh account with the given apps (no card, no SSH key). */
async function createAccount(page: Page, apps: string[] = []): Promise<Account> {
  const email = `danger-${process.pid}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}@example.com`;
  const res = await page.request.post('/__sim/accounts', {
    data: { email, password: PASSWORD, tier: 'STANDARD', credit_cents: 0, mfa: false, apps },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Account;
}

async function apiKeys(page: Page, a: Account): Promise<{ id: number; key: string; fingerprint: string }[]> {
  const res = await page.request.get('/api/ssh_keys', { headers: { Authorization: basic(a) } });
  expect(res.status()).toBe(200);
  return (await res.json()).data;
}

async function addKeyByApi(page: Page, a: Account, line: string) {
  const res = await page.request.post('/api/ssh_keys', { headers: { Authorization: basic(a) }, data: { ssh_key: line } });
  expect(res.status(), await res.text()).toBe(201);
}

async function apiApps(page: Page, a: Account): Promise<string[]> {
  const res = await page.request.get('/api/apps', { headers: { Authorization: basic(a) } });
  expect(res.status()).toBe(200);
  return ((await res.json()).data as { unique_name: string }[]).map((x) => x.unique_name);
}

/** `gx.*` keys left in [sessionStorage, localStorage]. */
const gxKeys = (page: Page) =>
  page.evaluate(() => [Object.keys(sessionStorage), Object.keys(localStorage)].map((ks) => ks.filter((k) => k.startsWith('gx.'))));

/** Counts requests to `path` (with `method`) made by `page` from now on. */
function countRequests(page: Page, method: string, path: string) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.method() === method && new URL(r.url()).pathname === path) seen.push(r.url());
  });
  return seen;
}

function sshPage(page: Page) {
  const list = page.getByRole('region', { name: 'Your keys' });
  const form = page.getByRole('region', { name: 'Add an SSH key' });
  return {
    list,
    rows: list.getByRole('listitem'),
    form,
    key: form.getByLabel('Public key'),
    add: form.getByRole('button', { name: 'Add an SSH key' }),
    error: form.locator('#ssh-key-error'),
    dialog: page.getByRole('dialog', { name: 'Remove this SSH key?' }),
  };
}

function deletePage(page: Page) {
  const apps = page.getByRole('region', { name: 'Your apps' });
  const form = page.getByRole('region', { name: 'Delete your account' });
  const dialog = page.getByRole('dialog', { name: "Stop this app's charges?" });
  return {
    what: page.getByRole('region', { name: 'What deleting your account does' }),
    apps,
    rows: apps.getByRole('listitem'),
    dialog,
    typed: dialog.getByRole('textbox', { name: "Type the app's name to confirm" }),
    form,
    phrase: form.getByRole('textbox', { name: 'To confirm, type “delete my account”' }),
    password: form.getByLabel('Current password', { exact: true }),
    submit: form.getByRole('button', { name: 'Delete my account' }),
  };
}

async function openSshKeys(page: Page) {
  await page.goto('/#/account/ssh-keys');
  await expect(page.getByRole('heading', { level: 1, name: 'SSH keys' })).toBeVisible();
  await expect(page).toHaveTitle('SSH keys · Gigalixir');
}

async function openDelete(page: Page) {
  await page.goto('/#/account/delete');
  await expect(page.getByRole('heading', { level: 1, name: 'Delete account' })).toBeVisible();
  await expect(page).toHaveTitle('Delete account · Gigalixir');
}

// ------------------------------------------------------------------ SSH keys

test('SSH keys: each key shows its name, SHA256 fingerprint in monospace, and the key cut to one line', async ({ page }) => {
  const account = await createAccount(page);
  const key = ed25519('laptop@home');
  await addKeyByApi(page, account, key.line);
  await signIn(page, account);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'SSH keys' }).click();
  await expect(page.getByRole('link', { name: 'SSH keys' })).toHaveAttribute('aria-current', 'page');
  const ssh = sshPage(page);
  await expect(ssh.rows).toHaveCount(1);
  const row = ssh.rows.first();
  await expect(row.locator('strong')).toHaveText('laptop@home');
  const [fingerprint, text] = [row.locator('code').first(), row.locator('code.clip')];
  await expect(fingerprint).toHaveText(key.fingerprint);
  expect(await fingerprint.evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/monospace/);
  await expect(text).toHaveText(key.line);
  expect(await text.evaluate((e) => [getComputedStyle(e).textOverflow, getComputedStyle(e).whiteSpace])).toEqual(['ellipsis', 'nowrap']);
  expect(await text.evaluate((e) => e.scrollWidth > e.clientWidth), 'the key is cut').toBe(true);
  await expect(row.getByRole('button', { name: `Remove laptop@home ${key.fingerprint}` })).toBeVisible();
});

test('SSH keys: empty at first; a generated ed25519 key is added, announced and listed with its fingerprint', async ({ page }) => {
  const account = await createAccount(page);
  await signIn(page, account);
  await openSshKeys(page);
  const ssh = sshPage(page);
  await expect(ssh.list.getByText('No SSH keys yet: add one below.')).toBeVisible();
  await expect(ssh.rows).toHaveCount(0);

  const key = ed25519('ci@runner');
  await ssh.key.fill(`  ${key.line}\n`);
  await ssh.add.click();
  await expect(page.getByRole('status').filter({ hasText: 'Key added.' })).toHaveText('Key added.');
  await expect(ssh.rows).toHaveCount(1);
  await expect(ssh.rows.first().locator('code').first()).toHaveText(key.fingerprint);
  await expect(ssh.key).toHaveValue('');
  const stored = await apiKeys(page, account);
  expect(stored.map((k) => [k.key, k.fingerprint])).toEqual([[key.line, key.fingerprint]]);
});

test('SSH keys: a private key, garbage or nothing is refused next to the field, before any request, and the text stays', async ({ page }) => {
  const account = await createAccount(page);
  await signIn(page, account);
  await openSshKeys(page);
  const ssh = sshPage(page);
  const posts = countRequests(page, 'POST', '/api/ssh_keys');
  const key = ed25519('x@y');
  const cases: [string, string][] = [
    ['', 'Paste your public key.'],
    [key.privatePem, "That's a private key: keep it secret. Paste the public key (the .pub file) instead."],
    ['hello world', 'Use a key that starts with ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa or sk-.'],
    ['ssh-dss AAAAB3NzaC1kc3MAAACBAP1 me', 'Use a key that starts with ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa or sk-.'],
    ['ssh-ed25519 me@laptop', "This isn't a whole key: copy the complete line of the .pub file."],
    [`ssh-ed25519 ${key.body.slice(0, -1)} me`, "This isn't a whole key: copy the complete line of the .pub file."],
  ];
  for (const [text, message] of cases) {
    await ssh.key.fill(text);
    await ssh.add.click();
    await expect(ssh.error).toHaveText(message);
    await expect(ssh.key).toHaveAttribute('aria-invalid', 'true');
    await expect(ssh.key).toHaveAttribute('aria-describedby', /ssh-key-error/);
    await expect(ssh.key).toBeFocused();
    await expect(ssh.key).toHaveValue(text);
  }
  // Typing clears the message.
  await ssh.key.press('End');
  await ssh.key.type('x');
  await expect(ssh.error).toHaveCount(0);
  await expect(ssh.key).not.toHaveAttribute('aria-invalid', /.*/);
  expect(posts).toEqual([]);
});

test("SSH keys: the API's refusal of a key the console accepts is said next to the field", async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/ssh_keys'), 'the simulator refuses the key with 422 on purpose');
  const account = await createAccount(page);
  const key = ed25519('dup@x');
  await addKeyByApi(page, account, key.line);
  await signIn(page, account);
  await openSshKeys(page);
  const ssh = sshPage(page);
  await expect(ssh.rows).toHaveCount(1);

  // Four characters short: still whole Base64, but no longer an Ed25519 key.
  const truncated = `ssh-ed25519 ${key.body.slice(0, -4)} cut@x`;
  await ssh.key.fill(truncated);
  await ssh.add.click();
  await expect(ssh.error).toHaveText('This key is not a valid SSH public key.');
  await expect(ssh.key).toHaveValue(truncated);
  await expect(ssh.key).toHaveAttribute('aria-invalid', 'true');

  await ssh.key.fill(key.line);
  await ssh.add.click();
  await expect(ssh.error).toHaveText('This key has already been added.');
  await expect(ssh.rows).toHaveCount(1);
});

test('SSH keys: Remove asks in a dialog; Cancel keeps the key, Remove removes it', async ({ page }) => {
  const account = await createAccount(page);
  const [a, b] = [ed25519('first@x'), ed25519('second@x')];
  await addKeyByApi(page, account, a.line);
  await addKeyByApi(page, account, b.line);
  await signIn(page, account);
  await openSshKeys(page);
  const ssh = sshPage(page);
  await expect(ssh.rows).toHaveCount(2);

  const remove = ssh.rows.filter({ hasText: 'first@x' }).getByRole('button', { name: /^Remove/ });
  await remove.click();
  await expect(ssh.dialog).toBeVisible();
  await expect(ssh.dialog).toContainText('Git pushes with this key will stop working.');
  await expect(ssh.dialog).toContainText(`first@x ${a.fingerprint}`);
  const confirm = ssh.dialog.getByRole('button', { name: 'Remove' });
  await expect(confirm).toBeFocused();
  await ssh.dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(ssh.dialog).toBeHidden();
  await expect(remove).toBeFocused();
  expect(await apiKeys(page, account)).toHaveLength(2);

  await remove.click();
  await confirm.click();
  await expect(ssh.dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Key removed.' })).toHaveText('Key removed.');
  await expect(ssh.rows).toHaveCount(1);
  await expect(ssh.rows.first()).toContainText('second@x');
  await expect(ssh.list.getByRole('heading', { name: 'Your keys' })).toBeFocused();
  expect((await apiKeys(page, account)).map((k) => k.fingerprint)).toEqual([b.fingerprint]);

  // The last one, by keyboard.
  await ssh.rows.first().getByRole('button', { name: /^Remove/ }).focus();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ssh.list.getByText('No SSH keys yet: add one below.')).toBeVisible();
  expect(await apiKeys(page, account)).toEqual([]);
});

test('SSH keys: a 500 on load shows the problem, and Try again loads the keys', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(500, '/api/ssh_keys'), 'the simulator answers 500 once on purpose');
  const account = await createAccount(page);
  const key = ed25519('retry@x');
  await addKeyByApi(page, account, key.line);
  await signIn(page, account);
  await sim.addFault({ path: '/api/ssh_keys', method: 'GET', kind: 'status', status: 500, times: 1 });
  await openSshKeys(page);
  const alert = page.getByRole('alert').filter({ hasText: 'Gigalixir had a problem (error 500).' });
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(sshPage(page).rows.first().locator('code').first()).toHaveText(key.fingerprint);
  await expect(alert).toHaveCount(0);
});

// ------------------------------------------------------------------ deleting

test('delete: what happens is said; apps are listed; a wrong typed name is refused, the right one stops and destroys the app', async ({ page }) => {
  const [keep, gone] = [appName('keep'), appName('gone')];
  const account = await createAccount(page, [keep, gone]);
  await signIn(page, account);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Delete account' }).click();
  const del = deletePage(page);
  await expect(del.what.getByRole('listitem')).toHaveText([
    'Usage up to now is billed and charged as usual.',
    'Every app and database must go first: Stop charges, below, takes each app through the steps that end with destroying it.',
    'This cannot be undone.',
  ]);
  await expect(del.rows).toHaveCount(2);
  await expect(del.rows.locator('strong')).toHaveText([gone, keep]);

  const deletes = countRequests(page, 'DELETE', `/api/apps/${gone}`);
  const destroy = del.rows.filter({ hasText: gone }).getByRole('button', { name: `Stop charges ${gone}` });
  await destroy.click();
  await expect(del.dialog).toBeVisible();
  await expect(del.dialog).toContainText('Scaling to 0 takes the app offline; the other steps cannot be undone.');
  await expect(del.dialog).toContainText(gone);
  await expect(del.typed).toBeFocused();
  await del.typed.fill(keep);
  await del.dialog.getByRole('button', { name: 'Destroy app' }).click();
  await expect(del.dialog.getByText("Type the app's name exactly as shown.")).toBeVisible();
  await expect(del.typed).toHaveAttribute('aria-invalid', 'true');
  await expect(del.typed).toHaveValue(keep);
  expect(deletes).toEqual([]);
  expect(await apiApps(page, account)).toEqual([gone, keep]);

  // Cancel forgets what was typed.
  await page.keyboard.press('Escape');
  await expect(del.dialog).toBeHidden();
  await expect(destroy).toBeFocused();
  await destroy.click();
  await expect(del.typed).toHaveValue('');

  await del.typed.fill(gone);
  await del.typed.press('Enter');
  await expect(del.dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: gone })).toHaveText(`${gone} was destroyed: it costs nothing from now on.`);
  await expect(del.rows.locator('strong')).toHaveText([keep]);
  expect(deletes).toHaveLength(1);
  expect(await apiApps(page, account)).toEqual([keep]);
  await expect(del.apps.getByRole('heading', { name: 'Your apps' })).toBeFocused();
});

test('delete: a wrong phrase is refused before sending; a wrong password is said by its field and the phrase is kept', async ({
  page,
  browserErrors,
}) => {
  browserErrors.allow(failedStatus(422, '/api/users/destroy'), 'the wrong password is refused with 422 on purpose');
  const account = await createAccount(page);
  await signIn(page, account);
  await openDelete(page);
  const del = deletePage(page);
  await expect(del.apps.getByText(/^You have no apps/)).toBeVisible();
  const destroys = countRequests(page, 'DELETE', '/api/users/destroy');

  await del.phrase.fill('delete my acount');
  await del.password.fill(PASSWORD);
  await del.submit.click();
  await expect(del.form.locator('#delete-phrase-error')).toHaveText('Type “delete my account” exactly as shown.');
  await expect(del.phrase).toBeFocused();
  expect(destroys).toEqual([]);

  await del.phrase.fill('Delete my account');
  await del.password.fill('not-the-password');
  await del.submit.click();
  await expect(del.form.locator('#delete-password-error')).toHaveText("That password isn't right.");
  await expect(del.password).toHaveAttribute('aria-invalid', 'true');
  await expect(del.password).toBeFocused();
  await expect(del.phrase).toHaveValue('Delete my account');
  await expect(del.form.locator('#delete-phrase-error')).toHaveCount(0);
  expect(destroys).toHaveLength(1);
  await expect(page).toHaveURL(/#\/account\/delete$/);
  expect(await apiApps(page, account)).toEqual([]);
});

for (const keep of [true, false]) {
  test(`delete: the account goes; goodbye page, no gx.* key stored, sign-in refused (keep me signed in: ${keep})`, async ({
    page,
    context,
    browserErrors,
  }) => {
    browserErrors.allow(failedStatus(401, '/api/login'), 'signing in to the deleted account is refused on purpose');
    const app = appName('last');
    const account = await createAccount(page, [app]);
    await signIn(page, account, { keep });
    // With "keep me signed in" the session is shared: a second tab is signed in too.
    const tab = keep ? await context.newPage() : null;
    if (tab) {
      await tab.goto('/#/account/ssh-keys');
      await expect(tab.getByRole('heading', { level: 1, name: 'SSH keys' })).toBeVisible();
    }
    await openDelete(page);
    const del = deletePage(page);
    await expect(del.rows).toHaveCount(1);

    // While an app remains the API refuses (A11 422), and the form says why, in words.
    browserErrors.allow(failedStatus(422, '/api/users/destroy'), 'an account with an app left is refused on purpose');
    await del.phrase.fill('delete my account');
    await del.password.fill(PASSWORD);
    await del.submit.click();
    await expect(del.form.getByRole('alert')).toContainText('You must first destroy all apps and databases.');
    await expect(del.phrase).toHaveValue('delete my account');
    await del.rows.first().getByRole('button', { name: /^Stop charges/ }).click();
    await del.typed.fill(app);
    await del.dialog.getByRole('button', { name: 'Destroy app' }).click();
    await expect(del.apps.getByText(/^You have no apps/)).toBeVisible();

    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/users/destroy', async (route) => {
      await held;
      await route.continue();
    });
    await del.phrase.fill('delete my account');
    await del.password.fill(PASSWORD);
    await del.password.press('Enter');
    // Pending: the button says so and can't be pressed again.
    await expect(del.form.getByRole('button', { name: 'Deleting…' })).toBeDisabled();
    release();

    await expect(page).toHaveURL(/#\/success\?msg=account_deleted$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Account deleted' })).toBeVisible();
    await expect(page).toHaveTitle('Account deleted · Gigalixir');
    await expect(page.getByText('Your account is deleted. Thank you for using Gigalixir.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '#/signup');
    await expect(page.getByRole('link', { name: 'Go to gigalixir.com' })).toHaveAttribute('href', 'https://www.gigalixir.com/');
    await expect(page.getByRole('status').filter({ hasText: /signed out/ })).toHaveCount(0);
    expect(await gxKeys(page)).toEqual([[], []]);

    if (tab) {
      await expect(tab).toHaveURL(/#\/login\?next=%2Faccount%2Fssh-keys$/);
      await expect(loginForm(tab).heading).toBeVisible();
      expect(await gxKeys(tab)).toEqual([[], []]);
    }

    await page.getByRole('link', { name: 'Sign up again' }).click();
    await expect(page).toHaveURL(/#\/signup$/);
    await page.goto('/#/login');
    await submitLogin(page, { email: account.email, password: PASSWORD });
    await expectAlert(page, 'Wrong email or password.');
    const res = await page.request.get('/api/users', { headers: { Authorization: basic(account) } });
    expect(res.status(), 'the old API key').toBe(401);
  });
}

// ------------------------------------------------------------------ accessibility, layout

test('no horizontal scroll at 320 px with a long key, an app and open dialogs', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  const account = await createAccount(page, [appName('a-long-application-name-for-narrow')]);
  const longKey = `ssh-ed25519 ${ed25519('x').body} ${'a-very-long-comment-without-spaces@'.repeat(3)}host`;
  await addKeyByApi(page, account, longKey);
  await signIn(page, account);
  const noScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  await openSshKeys(page);
  await expect(sshPage(page).rows).toHaveCount(1);
  expect(await noScroll(), 'SSH keys page').toBe(true);
  await sshPage(page).rows.first().getByRole('button', { name: /^Remove/ }).click();
  expect(await noScroll(), 'remove dialog').toBe(true);
  await page.keyboard.press('Escape');
  await openDelete(page);
  await expect(deletePage(page).rows).toHaveCount(1);
  expect(await noScroll(), 'delete page').toBe(true);
  await deletePage(page).rows.first().getByRole('button', { name: /^Stop charges/ }).click();
  expect(await noScroll(), 'destroy dialog').toBe(true);
});

for (const [size, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['mobile', { width: 375, height: 812 }],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });
      test(`SSH keys, delete account and goodbye pages are accessible (${size}, ${colorScheme})`, async ({ page, browserErrors }) => {
        browserErrors.allow(failedStatus(422, '/api/ssh_keys'), 'a refused key, on purpose');
        browserErrors.allow(failedStatus(422, '/api/users/destroy'), 'a wrong password, on purpose');
        const shot = (name: string) => saveScreenshot(page, `danger-${name}-${size}-${colorScheme}`);
        const account = await createAccount(page, [appName('web'), appName('worker')]);
        await addKeyByApi(page, account, ed25519('me@laptop').line);
        await signIn(page, account);

        await openSshKeys(page);
        const ssh = sshPage(page);
        await expect(ssh.rows).toHaveCount(1);
        await ssh.key.fill('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAU cut@x');
        await ssh.add.click();
        await expect(ssh.error).toBeVisible();
        await expectAccessible(page, 'SSH keys');
        await shot('ssh-keys');
        await ssh.rows.first().getByRole('button', { name: /^Remove/ }).click();
        await expect(ssh.dialog).toBeVisible();
        await expectAccessible(page, 'SSH keys, remove dialog');
        await shot('ssh-keys-dialog');
        await page.keyboard.press('Escape');

        await openDelete(page);
        const del = deletePage(page);
        await expect(del.rows).toHaveCount(2);
        await del.phrase.fill('delete my account');
        await del.password.fill('wrong-password');
        await del.submit.click();
        await expect(del.form.getByText("That password isn't right.")).toBeVisible();
        await expectAccessible(page, 'delete account');
        await shot('delete');
        await del.rows.first().getByRole('button', { name: /^Stop charges/ }).click();
        await del.typed.fill('nope');
        await del.dialog.getByRole('button', { name: 'Destroy app' }).click();
        await expect(del.typed).toHaveAttribute('aria-invalid', 'true');
        await expectAccessible(page, 'delete account, destroy dialog');
        await shot('delete-dialog');
        await page.keyboard.press('Escape');

        // The apps go first; then the account.
        for (let left = await del.rows.count(); left > 0; left--) {
          const name = (await del.rows.first().locator('strong').textContent())!;
          await del.rows.first().getByRole('button', { name: /^Stop charges/ }).click();
          await del.typed.fill(name);
          await del.dialog.getByRole('button', { name: 'Destroy app' }).click();
          await expect(del.rows.filter({ hasText: name })).toHaveCount(0);
        }
        await del.password.fill(PASSWORD);
        await del.submit.click();
        await expect(page.getByRole('heading', { level: 1, name: 'Account deleted' })).toBeVisible();
        await expectAccessible(page, 'goodbye');
        await shot('goodbye');
      });
    });
  }
}
