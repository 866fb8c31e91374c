import type { Page } from '@playwright/test';
import {
  type Account,
  descriptionList,
  expect,
  expectAccessible,
  failedStatus,
  saveScreenshot,
  signIn,
  storedSessions,
  submitLogin,
  test,
} from './fixtures';

// Billing tabs (issue 5): the upgrade to Standard (A19) and invoices and usage (A20, A21).

const basic = (email: string, key: string) => `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;

/** A fresh account (no card on file). */
async function createAccount(page: Page, tier: 'FREE' | 'STANDARD'): Promise<Account> {
  const email = `bill-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await page.request.post('/__sim/accounts', {
    data: { email, password: 'billing-password-1', tier, credit_cents: 0, mfa: false },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Account;
}

/** A5 as the API sees the account now. */
async function apiUser(page: Page, account: Account): Promise<{ tier: string; credit_cents: number }> {
  const res = await page.request.get('/api/users', { headers: { Authorization: basic(account.email, account.api_key) } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { tier: string; credit_cents: number } }).data;
}

/** Every Stripe.js request the page makes, as it makes them. */
function watchStripe(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/__sim/stripe/v3')) seen.push(r.url());
  });
  return seen;
}

function upgradeForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Upgrade to Standard' }),
    number: page.getByLabel('Card number'),
    expiry: page.getByLabel('Expiry (MM / YY)'),
    cvc: page.getByLabel('CVC'),
    promo: page.getByRole('textbox', { name: 'Promo code (optional)' }),
    submit: page.getByRole('button', { name: /^Upgrad/ }),
  };
}

async function fillCard(page: Page, number: string) {
  const form = upgradeForm(page);
  await form.number.fill(number);
  await form.expiry.fill('12 / 34');
  await form.cvc.fill('123');
}

const fieldError = (text: string) => new RegExp(`^(⚠ )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** Rows of the table in the panel named `name`, as arrays of the cells' visible texts (head and foot included). */
async function tableRows(page: Page, name: string): Promise<string[][]> {
  const rows = page.getByRole('region', { name, exact: true }).getByRole('row');
  return rows.evaluateAll((trs) =>
    trs.map((tr) =>
      [...tr.children].map((cell) => {
        const seen = cell.cloneNode(true) as HTMLElement;
        seen.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
        return (seen.textContent ?? '').trim();
      }),
    ),
  );
}

/** The browser's own medium date for an RFC 3339 time, read in UTC, kept on one line (what the page should show). */
const localDay = (page: Page, time: string) =>
  page.evaluate((t) => new Date(t).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).replace(/ /g, '\u00a0'), time);

async function signInAsDemo(page: Page) {
  await page.goto('/#/login');
  await submitLogin(page, { email: 'demo@example.com', password: 'demo-password' });
  await expect(page).toHaveURL(/#\/account$/);
}

test('upgrade: a Free account goes Standard at once, with the promo code upper-cased; Stripe.js loads only on this page', async ({ page, sim }) => {
  const stripe = watchStripe(page);
  const account = await createAccount(page, 'FREE');
  await signIn(page, account);
  await page.goto('/#/account/billing');
  await expect(page.getByRole('heading', { level: 2, name: 'Invoices', exact: true })).toBeVisible();
  await page.goto('/#/account');
  expect(stripe, 'Stripe.js on the profile and invoices pages').toEqual([]);

  // The profile offers the upgrade to a Free account.
  await page.getByRole('link', { name: 'Upgrade to Standard' }).click();
  await expect(page).toHaveURL(/#\/account\/upgrade$/);
  await expect(page).toHaveTitle('Upgrade to Standard · Gigalixir');
  const form = upgradeForm(page);
  await expect(page.getByRole('region', { name: 'What Standard adds' }).getByRole('listitem')).toHaveCount(4);
  await expect(page.getByRole('link', { name: 'See pricing' })).toHaveAttribute('href', 'https://www.gigalixir.com/pricing');
  await expect(form.number).toBeVisible();
  expect(stripe).toHaveLength(1);

  // Unfinished card: nothing is sent.
  await form.submit.click();
  await expect(page.getByText(fieldError('Fill in the card number, expiry date and security code.'))).toBeVisible();

  await fillCard(page, '4242 4242 4242 4242');
  await form.promo.fill(' welcome10 ');
  await sim.addFault({ path: '/api/upgrade', kind: 'latency', latency_ms: 1500, times: 1 });
  const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/upgrade');
  await form.submit.click();
  await expect(page.getByRole('button', { name: 'Upgrading…' })).toBeDisabled();
  expect((await sent).postDataJSON()).toEqual({ stripe_token: expect.stringMatching(/^tok_/), promo_code: 'WELCOME10' });

  // The new tier at once, announced; the form is gone and focus is on the heading.
  await expect(page.getByRole('status').filter({ hasText: 'Upgraded' })).toHaveText('Upgraded: your account is now on the Standard tier.');
  await expect(form.number).toHaveCount(0);
  await expect(form.heading).toBeFocused();
  expect(await apiUser(page, account)).toMatchObject({ tier: 'STANDARD', credit_cents: 1000 });
  // Not a dead end: the page leads on to what Standard costs.
  await page.getByRole('link', { name: 'See what you pay on Billing' }).click();
  await expect(page).toHaveURL(/#\/account\/billing$/);

  await page.goto('/#/account');
  await expect.poll(() => descriptionList(page)).toMatchObject({ Tier: 'Standard', Credits: '$10.00' });
  await expect(page.getByRole('link', { name: 'Upgrade to Standard' })).toHaveCount(0);
  expect(stripe).toHaveLength(1);
});

test('upgrade: a declined card is said by the card and the promo stays; an unknown promo is said by its field', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, '/api/upgrade'), 'the declined card and the unknown promo are refused with 422 on purpose');
  const account = await createAccount(page, 'FREE');
  await signIn(page, account);
  await page.goto('/#/account/upgrade');
  const form = upgradeForm(page);

  await fillCard(page, '4000 0000 0000 0002');
  await form.promo.fill('welcome10');
  await form.submit.click();
  const declined = page.getByText(fieldError('Your card was declined.'));
  await expect(declined).toBeVisible();
  await expect(page.getByRole('group', { name: 'Card', exact: true })).toHaveAttribute('aria-describedby', 'card-error');
  await expect(form.number).toHaveValue('4000 0000 0000 0002');
  await expect(form.promo).toHaveValue('welcome10');
  await expect(form.promo).not.toHaveAttribute('aria-invalid', /.*/);
  await expect(form.submit).toBeEnabled();

  await form.number.fill('4242 4242 4242 4242');
  await form.promo.fill('nope');
  await form.submit.click();
  await expect(page.getByText(fieldError("That promo code isn't valid. Check it, or leave the field empty."))).toBeVisible();
  await expect(form.promo).toHaveAttribute('aria-invalid', 'true');
  await expect(form.promo).toHaveValue('nope');
  await expect(declined).toHaveCount(0);
  await expect(form.number).toHaveValue('4242 4242 4242 4242');
  expect(await apiUser(page, account)).toMatchObject({ tier: 'FREE' });
});

test('upgrade: a Standard account is told it already is, and Stripe.js is not loaded', async ({ page }) => {
  const stripe = watchStripe(page);
  const account = await createAccount(page, 'STANDARD');
  await signIn(page, account);
  await expect(page.getByRole('link', { name: 'Upgrade to Standard' })).toHaveCount(0);
  await page.goto('/#/account/upgrade');
  await expect(page.getByRole('status').filter({ hasText: 'Standard' })).toHaveText('Your account is already on the Standard tier.');
  await expect(page.getByRole('link', { name: 'See what you pay on Billing' })).toHaveAttribute('href', '#/account/billing');
  await expect(page.getByLabel('Card number')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Upgrade to Standard' })).toHaveCount(0);
  await expectAccessible(page, 'upgrade, already Standard');
  for (const [w, tag] of [[1280, 'desktop'], [375, 'mobile']] as const) {
    await page.setViewportSize({ width: w, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await saveScreenshot(page, `billing-upgrade-standard-${tag}-${scheme}`);
    }
  }
  expect(stripe).toEqual([]);
});

test('invoices and usage: the demo account in dollars and the browser’s dates, with PDF links; no Stripe.js', async ({ page }) => {
  const stripe = watchStripe(page);
  await signInAsDemo(page);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page).toHaveURL(/#\/account\/billing$/);
  await expect(page).toHaveTitle('Billing · Gigalixir');
  await expect(page.getByRole('heading', { level: 1, name: 'Billing' })).toBeFocused();

  await expect.poll(() => tableRows(page, 'Usage this period')).toEqual([
    ['App', 'Amount'],
    ['demo-app', '$5.23'],
    ['demo-worker', '$1.18'],
    ['Total', '$6.41'],
  ]);
  // Since the newest invoice's end, and the whole period at today's rate, as A22 says.
  const session = JSON.parse((await storedSessions(page))[0] ?? '{}') as { email: string; api_key: string };
  const rate = await page.request.get('/api/usage/run_rate', { headers: { Authorization: basic(session.email, session.api_key) } });
  const cents = ((await rate.json()) as { data: { amount_cents: number } }).data.amount_cents;
  const usage = page.getByRole('region', { name: 'Usage this period' });
  await expect(usage.locator('p.lede')).toHaveText(
    `Since ${await localDay(page, '2026-11-01T00:00:00Z')}. At today's rate, the whole period comes to $${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}.`,
  );
  const period = async (from: string, to: string) => `${await localDay(page, from)}\u00a0– ${await localDay(page, to)}`;
  const expected = [
    ['Period', 'Amount', 'Status', 'PDF'],
    [await period('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'), '$12.34', 'Unpaid', ''],
    [await period('2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'), '$26.50', 'Paid', 'PDF'],
    [await period('2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z'), '$24.00', 'Paid', 'PDF'],
  ];
  // Periods are UTC months: the first day shown is the 1st whatever the time zone.
  expect(expected[1][0]).toMatch(/\b1\b/);
  await expect.poll(() => tableRows(page, 'Invoices')).toEqual(expected);
  // The unpaid one stands out, and the panel says what to do about it.
  await expect(page.locator('strong.due')).toHaveText('Unpaid');
  const note = page.getByRole('region', { name: 'Invoices', exact: true }).locator('p.notice');
  await expect(note).toContainText('An invoice is unpaid. We charge the card on file again');
  await expect(note.getByRole('link', { name: 'Payment method' })).toHaveAttribute('href', '#/account/payment-method');

  // One link per paid invoice, named by its period, to a PDF.
  const invoices = page.getByRole('region', { name: 'Invoices', exact: true });
  const links = invoices.getByRole('link', { name: /^PDF / });
  await expect(links).toHaveCount(2);
  await expect(links.first()).toHaveAccessibleName(`PDF ${expected[2][0]}`);
  const href = await links.first().getAttribute('href');
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sim\/invoices\/[^/]+$/);
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');

  // Both lists as CSV files made in the browser: dated names, the same numbers as the tables.
  const csv = async (name: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: (await import('node:fs')).readFileSync(path!, 'utf8') };
  };
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  const usageFile = await csv('Usage as CSV');
  expect(usageFile.name).toBe(`gigalixir-usage-${today}.csv`);
  expect(usageFile.text).toBe('app,amount_usd\r\n"demo-app",5.23\r\n"demo-worker",1.18\r\n');
  const invoicesFile = await csv('Invoices as CSV');
  expect(invoicesFile.name).toBe(`gigalixir-invoices-${today}.csv`);
  const lines = invoicesFile.text.trimEnd().split('\r\n');
  expect(lines[0]).toBe('period_start,period_end,amount_usd,paid,pdf');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual([
    ['"2026-10-01T00:00:00Z"', '"2026-11-01T00:00:00Z"', '12.34', 'false'],
    ['"2026-09-01T00:00:00Z"', '"2026-10-01T00:00:00Z"', '26.50', 'true'],
    ['"2026-08-01T00:00:00Z"', '"2026-09-01T00:00:00Z"', '24.00', 'true'],
  ]);
  // The blob: URL is let go once the file is saved.
  await expect(page.getByRole('link', { name: 'Invoices as CSV' })).toHaveAttribute('href', 'data:text/plain,');

  await expectAccessible(page, 'invoices and usage');
  expect(stripe).toEqual([]);
});

test('the chart draws the latest twelve invoices with the table’s amounts, the unpaid one marked', async ({ page, sim }) => {
  // Fourteen months, oldest first, from Sep 2025: one free month, the newest unpaid.
  const month = (n: number) => Date.UTC(2025, 8 + n, 1) / 1000;
  const cents = (n: number) => (n === 9 ? 0 : 1000 + n * 1537);
  const invoices = Array.from({ length: 14 }, (_, n) => [month(n), month(n + 1), cents(n), n !== 13] as [number, number, number, boolean]);
  const account = await sim.createAccount({ invoices });
  await signIn(page, account);
  await page.goto('/#/account/billing');

  const chart = page.getByRole('img', { name: 'Your latest invoices as bars, newest first. The table below has the same amounts.' });
  await expect(chart).toBeVisible();
  const texts = await chart.locator('text').allTextContents();
  const drawn = Array.from({ length: texts.length / 2 }, (_, i) => [texts[2 * i].replace(/\u00a0/g, ' '), texts[2 * i + 1]]);
  // The table lists all fourteen, newest first; the chart the first twelve of them, with the same amounts.
  const table = (await tableRows(page, 'Invoices')).slice(1);
  expect(table).toHaveLength(14);
  expect(drawn.map(([, amount]) => amount)).toEqual(table.slice(0, 12).map((row) => row[1]));
  // Each bar named by the month its period starts in, as the browser writes it.
  const months = await page.evaluate(
    (starts) => starts.map((s) => new Date(s * 1000).toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' })),
    invoices.map(([start]) => start).reverse().slice(0, 12),
  );
  expect(drawn.map(([label]) => label)).toEqual(months);
  expect(drawn[0]).toEqual(['Oct 2026', '$209.81']);
  // Lengths follow the amounts: the largest whole, the free month none; the unpaid one in the warning colour.
  const bars = await chart.locator('rect').evaluateAll((rects) => rects.map((r) => [r.getAttribute('width'), r.getAttribute('class')]));
  expect(bars).toHaveLength(12);
  expect(bars[0]).toEqual(['100%', 'marked']);
  expect(bars[1]).toEqual([`${Math.ceil((cents(12) * 100) / cents(13))}%`, 'bar']);
  expect(bars[4]).toEqual(['0%', 'bar']);
  await expectAccessible(page, 'the invoices chart');
  await saveScreenshot(page, 'billing-chart-desktop-light');
});

test('a spending line kept on this device warns on every account page once today’s rate passes it', async ({ page }) => {
  await signInAsDemo(page);
  const asked: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/usage/run_rate') asked.push(page.url());
  });
  const session = JSON.parse((await storedSessions(page))[0] ?? '{}') as { email: string; api_key: string };
  const rate = await page.request.get('/api/usage/run_rate', { headers: { Authorization: basic(session.email, session.api_key) } });
  const cents = ((await rate.json()) as { data: { amount_cents: number } }).data.amount_cents;
  const projected = `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  // The account pages' warning, above the page (the form's own status is further down).
  const banner = page.locator('main > [role="status"]', { hasText: 'past the' });
  // The warning's check has been answered: its request finished, and the page has had a
  // moment to handle the answer (there is nothing to see when the answer is "no warning").
  const checked = async (go: () => Promise<void>) => {
    const finished = page.waitForEvent('requestfinished', (r) => new URL(r.url()).pathname === '/api/usage/run_rate');
    await go();
    await finished;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  };
  const line = page.getByRole('region', { name: 'Spending warning' });
  const field = line.getByLabel("Warn me on this device when this period's bill at today's rate passes ($)");
  const save = line.getByRole('button', { name: 'Save warning' });

  // No line yet: the account pages ask nothing more of the API than before.
  await page.goto('/#/account/billing');
  await expect(field).toHaveValue('');
  asked.length = 0;
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.getByText('demo@example.com').last()).toBeVisible();
  await expect(banner).toHaveCount(0);
  expect(asked).toEqual([]);

  // A wrong amount is said by the field, and what was typed stays.
  await page.goto('/#/account/billing');
  await field.fill('fifty');
  await save.click();
  await expect(field).toHaveAccessibleDescription('Enter an amount in dollars, like 50 or 49.99.');
  await expect(field).toHaveValue('fifty');
  await expect(field).toBeFocused();
  await expectAccessible(page, 'the spending line with a wrong amount');

  // A line above today's rate: saved on this device only, no banner.
  await field.fill('$1,000,000');
  await save.click();
  await expect(line.getByRole('status')).toHaveText(
    "Saved. On this device, the account pages will warn you when this period's bill at today's rate passes $1,000,000.00.",
  );
  expect(await page.evaluate((k) => localStorage.getItem(k), `gx.spend.${session.email}`)).toBe('1000000.00');
  await expect(banner).toHaveCount(0);
  asked.length = 0;
  await checked(() => page.getByRole('link', { name: 'Profile' }).click());
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  expect(asked.length).toBe(1);
  await expect(banner).toHaveCount(0);

  // A line below it: said at once, then a banner on every account page, after a reload too.
  await page.getByRole('link', { name: 'Billing' }).click();
  await expect(field).toHaveValue('1000000.00');
  await field.fill('1');
  await save.click();
  const passed = `At today's rate, this period's bill comes to ${projected}, past the $1.00 you set.`;
  await expect(line.getByRole('status')).toContainText(passed);
  // Billing has the rate already: its warning follows the save, with no request of its own,
  // and no link to the page it is on.
  await expect(banner).toHaveText(passed);
  await expect(banner.getByRole('link')).toHaveCount(0);
  await saveScreenshot(page, 'spending-banner-billing-desktop-light');
  await page.getByRole('link', { name: 'API key' }).click();
  await expect(banner).toHaveText(`${passed} Billing`);
  await expect(banner.getByRole('link', { name: 'Billing' })).toHaveAttribute('href', '#/account/billing');
  await page.reload();
  await expect(banner).toHaveText(`${passed} Billing`);
  for (const [w, tag] of [[1280, 'desktop'], [375, 'mobile']] as const) {
    await page.setViewportSize({ width: w, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectAccessible(page, `the spending banner (${tag}, ${scheme})`);
      await saveScreenshot(page, `spending-banner-${tag}-${scheme}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });

  // On Billing, the page's own request is the only one.
  asked.length = 0;
  await page.getByRole('navigation').getByRole('link', { name: 'Billing' }).click();
  await expect(field).toHaveValue('1.00');
  await expect(banner).toHaveText(passed);
  expect(asked.length).toBe(1);

  // Emptied: no line, no banner, no question.
  await field.fill('');
  await save.click();
  await expect(line.getByRole('status')).toHaveText('Saved: no spending warning on this device.');
  await expect(banner).toHaveCount(0);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  asked.length = 0;
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(banner).toHaveCount(0);
  expect(asked).toEqual([]);
});

test('invoices and usage: a new account sees that there is nothing yet', async ({ page }) => {
  const account = await createAccount(page, 'STANDARD');
  await signIn(page, account);
  await page.goto('/#/account/billing');
  await expect(page.getByRole('region', { name: 'Usage this period' })).toContainText('No usage this period.');
  await expect(page.getByRole('region', { name: 'Invoices', exact: true })).toContainText('No invoices yet.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await expectAccessible(page, 'invoices and usage, empty');
});

test('invoices and usage: a 500 on load shows the problem, and Try again loads both lists', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(500, '/api/invoices'), 'the simulator answers 500 once on purpose');
  await signInAsDemo(page);
  await sim.addFault({ path: '/api/invoices', kind: 'status', status: 500, times: 1 });
  await page.goto('/#/account/billing');
  const alert = page.getByRole('alert').filter({ hasText: 'Gigalixir had a problem (error 500).' });
  await expect(alert).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('region', { name: 'Invoices', exact: true }).getByRole('row')).toHaveCount(4);
  await expect(page.getByRole('region', { name: 'Usage this period' }).getByRole('row')).toHaveCount(4);
  await expect(alert).toHaveCount(0);
});

for (const [size, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['mobile', { width: 320, height: 700 }],
] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });
      test(`both billing tabs are accessible and fit the screen (${size}, ${colorScheme})`, async ({ page }) => {
        const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
        const account = await createAccount(page, 'FREE');
        await signIn(page, account);
        await page.goto('/#/account/upgrade');
        await expect(page.getByLabel('Card number')).toBeVisible();
        await expectAccessible(page, 'upgrade');
        expect(await fits(), 'no sideways scrolling on the upgrade page').toBe(true);
        await saveScreenshot(page, `billing-upgrade-${size}-${colorScheme}`);

        await page.getByRole('button', { name: 'Sign out' }).click();
        await signInAsDemo(page);
        await page.goto('/#/account/billing');
        await expect(page.getByRole('region', { name: 'Invoices', exact: true }).getByRole('row')).toHaveCount(4);
        await expectAccessible(page, 'invoices and usage');
        expect(await fits(), 'no sideways scrolling on the invoices page').toBe(true);
        const boxesFit = await page.locator('.table-box').evaluateAll((boxes) => boxes.every((b) => b.scrollWidth <= b.clientWidth));
        expect(boxesFit, 'the demo tables fit without scrolling their boxes').toBe(true);
        await saveScreenshot(page, `billing-invoices-${size}-${colorScheme}`);
      });
    });
  }
}
