import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { type Account, expect, expectAccessible, failedStatus, saveScreenshot, signIn, test } from './fixtures';

// Issue 15, items 2 and 3: Stop all charges (#/account/stop-charges). Every app with what it
// runs (A23, A28, A30); per app, the four steps of Gigalixir's docs (A27 scale to 0, A29
// remove domains, A31 delete databases, A24 destroy), one button each and one for all of
// them, each behind the app's name typed; a failed step says so and the same buttons carry
// on. The delete-account page lists the same apps with the same steps.

const PASSWORD = 'stop-password-1';
const basic = (a: Account) => `Basic ${Buffer.from(`${a.email}:${a.api_key}`).toString('base64')}`;
const appName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;

/** A fresh Standard account whose apps each have a domain `www.<app>.example.com` and a database. */
async function createAccount(page: Page, apps: string[]): Promise<Account> {
  const email = `stop-${process.pid}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}@example.com`;
  const res = await page.request.post('/__sim/accounts', {
    data: { email, password: PASSWORD, tier: 'STANDARD', credit_cents: 0, mfa: false, apps, addons: true },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Account;
}

/** The account as the API has it: each app's replicas, domains and database ids. */
async function apiState(page: Page, a: Account) {
  const get = async (path: string) => {
    const res = await page.request.get(path, { headers: { Authorization: basic(a) } });
    expect(res.status(), path).toBe(200);
    return (await res.json()).data;
  };
  const apps = (await get('/api/apps')) as { unique_name: string; replicas: number }[];
  const state: Record<string, { replicas: number; domains: string[]; databases: string[] }> = {};
  for (const app of apps) {
    const databases = (await get(`/api/apps/${app.unique_name}/databases`)) as { id: string }[];
    state[app.unique_name] = {
      replicas: app.replicas,
      domains: await get(`/api/apps/${app.unique_name}/domains`),
      databases: databases.map((d) => d.id),
    };
  }
  return state;
}

function stopPage(page: Page) {
  const apps = page.getByRole('region', { name: 'Your apps' });
  const dialog = page.getByRole('dialog', { name: "Stop this app's charges?" });
  const steps = dialog.getByRole('listitem');
  return {
    apps,
    rows: apps.getByRole('listitem'),
    dialog,
    steps,
    typed: dialog.getByRole('textbox', { name: "Type the app's name to confirm" }),
    step: (name: string) => dialog.getByRole('button', { name, exact: true }),
    runAll: dialog.getByRole('button', { name: 'Run all four steps' }),
  };
}

/** Each step's line: its button, what it acts on, and how it went. */
const stepLines = (app: string, database: string) => [
  'Scale to 0Replicas: 1',
  `Remove domainswww.${app}.example.com`,
  `Delete databasesSTANDARD ${database}`,
  `Destroy app${app}`,
];

test('stop charges: from Billing, each app with what it runs; steps one at a time, then the rest in one go', async ({ page }) => {
  const [first, second] = [appName('aaa'), appName('bbb')];
  const account = await createAccount(page, [first, second]);
  const before = await apiState(page, account);
  expect(before[first]).toMatchObject({ replicas: 1, domains: [`www.${first}.example.com`] });
  expect(before[first].databases).toHaveLength(1);
  await signIn(page, account);

  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Billing' }).click();
  await page.getByRole('link', { name: 'Stop all charges' }).click();
  await expect(page).toHaveURL(/#\/account\/stop-charges$/);
  await expect(page).toHaveTitle('Stop all charges · Gigalixir');
  await expect(page.getByRole('heading', { level: 1, name: 'Stop all charges' })).toBeFocused();
  await expect(page.getByText('Its docs stop them in four steps per app')).toBeVisible();
  const stop = stopPage(page);
  await expect(stop.rows).toHaveCount(2);
  await expect(stop.rows.first()).toContainText(first);
  await expect(stop.rows.first()).toContainText('Replicas: 1 · Domains: 1 · Databases: 1');

  const opener = stop.rows.first().getByRole('button', { name: `Stop charges ${first}` });
  await opener.click();
  await expect(stop.dialog).toBeVisible();
  await expect(stop.dialog).toContainText('Scaling to 0 takes the app offline; the other steps cannot be undone.');
  await expect(stop.typed).toBeFocused();
  await expect(stop.steps).toHaveText(stepLines(first, before[first].databases[0]));

  // Nothing runs until the name is typed; what was typed stays.
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/apps/')) writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await stop.typed.fill(second);
  await stop.step('Scale to 0').click();
  await expect(stop.dialog.getByText("Type the app's name exactly as shown.")).toBeVisible();
  await expect(stop.typed).toHaveValue(second);
  await expect(stop.typed).toBeFocused();
  expect(writes).toEqual([]);

  await stop.typed.fill(first);
  await stop.step('Scale to 0').click();
  await expect(stop.steps.nth(0)).toHaveText('Scale to 0Replicas: 0Done');
  await expect(stop.dialog.getByText("Type the app's name exactly as shown.")).toHaveCount(0);
  await stop.step('Remove domains').click();
  await expect(stop.steps.nth(1)).toHaveText('Remove domainsNoneDone');
  expect(writes).toEqual([`PUT /api/apps/${first}/scale`, `DELETE /api/apps/${first}/domains`]);
  const middle = await apiState(page, account);
  expect(middle[first]).toEqual({ replicas: 0, domains: [], databases: before[first].databases });
  expect(middle[second]).toEqual(before[second]);
  await expect(stop.rows.first()).toContainText('Replicas: 0 · Domains: 0 · Databases: 1');

  // The rest in one go: steps with nothing left are done at once.
  await stop.runAll.click();
  await expect(stop.dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: first })).toHaveText(`${first} was destroyed: it costs nothing from now on.`);
  await expect(page.getByRole('heading', { name: 'Your apps' })).toBeFocused();
  await expect(stop.rows).toHaveCount(1);
  await expect(stop.rows.first()).toContainText(second);
  expect(writes.slice(2)).toEqual([`DELETE /api/apps/${first}/databases/${before[first].databases[0]}`, `DELETE /api/apps/${first}`]);
  expect(await apiState(page, account)).toEqual({ [second]: before[second] });
});

test('stop charges: a failed step stops the run and says why; the same button carries on with what is left', async ({
  page,
  sim,
  browserErrors,
}) => {
  const app = appName('fail');
  const account = await createAccount(page, [app]);
  const [database] = (await apiState(page, account))[app].databases;
  await signIn(page, account);
  await page.goto('/#/account/stop-charges');
  const stop = stopPage(page);
  await stop.rows.first().getByRole('button', { name: `Stop charges ${app}` }).click();
  await stop.typed.fill(app);

  browserErrors.allow(failedStatus(500, `/api/apps/${app}/databases/${database}`), 'the database delete fails once, on purpose');
  await sim.addFault({ method: 'DELETE', path: `/api/apps/${app}/databases/*`, kind: 'status', status: 500, times: 1 });
  await stop.typed.press('Enter');
  await expect(stop.dialog.getByRole('alert')).toHaveText('Gigalixir had a problem (error 500). Please try again in a moment.');
  await expect(stop.steps).toHaveText(['Scale to 0Replicas: 0Done', 'Remove domainsNoneDone', `Delete databasesSTANDARD ${database}Failed`, `Destroy app${app}`]);
  await expect(stop.typed).toHaveValue(app);
  expect(await apiState(page, account)).toEqual({ [app]: { replicas: 0, domains: [], databases: [database] } });

  await stop.runAll.click();
  await expect(stop.dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: app })).toHaveText(`${app} was destroyed: it costs nothing from now on.`);
  await expect(stop.apps).toContainText('You have no apps, so nothing runs that is charged.');
  expect(await apiState(page, account)).toEqual({});
});

test('delete account: the apps that must go first are listed with the same steps, and Stop all charges is linked', async ({ page }) => {
  const app = appName('left');
  const account = await createAccount(page, [app]);
  await signIn(page, account);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Delete account' }).click();
  const stop = stopPage(page);
  await expect(stop.rows).toHaveCount(1);
  await expect(stop.rows.first()).toContainText(`${app}Replicas: 1 · Domains: 1 · Databases: 1`);
  await expect(page.getByRole('link', { name: 'Stop all charges' })).toHaveAttribute('href', '#/account/stop-charges');
  await stop.rows.first().getByRole('button', { name: `Stop charges ${app}` }).click();
  await stop.typed.fill(app);
  await stop.step('Destroy app').click();
  await expect(stop.dialog).toBeHidden();
  await expect(stop.apps).toContainText('You have no apps');
  expect(await apiState(page, account)).toEqual({});
});

test('billing: the old #/account/invoices lands on #/account/billing', async ({ page }) => {
  const account = await createAccount(page, []);
  await signIn(page, account);
  await page.goto('/#/account/invoices');
  await expect(page).toHaveURL(/#\/account\/billing$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible();
  await expect(page).toHaveTitle('Billing · Gigalixir');
  await page.goBack();
  await expect(page).not.toHaveURL(/invoices/);
});

for (const [size, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['mobile', { width: 375, height: 812 }],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`stop charges is accessible with its dialog open (${size}, ${colorScheme})`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      const app = appName('look');
      const account = await createAccount(page, [app]);
      await signIn(page, account);
      await page.goto('/#/account/stop-charges');
      const stop = stopPage(page);
      await expect(stop.rows).toHaveCount(1);
      await expectAccessible(page, 'stop charges');
      await saveScreenshot(page, `stop-charges-${size}-${colorScheme}`);
      await stop.rows.first().getByRole('button', { name: `Stop charges ${app}` }).click();
      await stop.typed.fill(app);
      await stop.step('Scale to 0').click();
      await expect(stop.steps.nth(0)).toContainText('Done');
      await expectAccessible(page, 'stop charges, steps dialog');
      const noScroll = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
      expect(noScroll, 'no sideways scroll').toBe(true);
      await saveScreenshot(page, `stop-charges-dialog-${size}-${colorScheme}`);
    });
  }
}
