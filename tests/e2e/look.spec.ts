import fs from 'node:fs';
import path from 'node:path';
import { expect, expectAccessible, loginForm, SCREENSHOTS, signIn, test } from './fixtures';

// Issue 6, look: the dark-mode toggle, and every page's shape.

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT_BG = 'rgb(246, 245, 249)';
const DARK_BG = 'rgb(19, 17, 24)';

test('dark mode follows the system until toggled, and the choice is kept on this device from the first paint', async ({ page, sim }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/#/login');
  await expect(loginForm(page).heading).toBeVisible();
  const toggle = page.getByRole('button', { name: 'Dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await background(page)).toBe(LIGHT_BG);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await background(page)).toBe(DARK_BG);

  // A reload paints dark before the wasm has run: the static shell already has it.
  await page.route(
    '**/*.wasm',
    async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    },
    { times: 1 },
  );
  await page.reload({ waitUntil: 'domcontentloaded' });
  // The sign-in form index.html draws before the wasm has run is dark already, and says so.
  await expect(loginForm(page).heading).toBeVisible();
  expect(await background(page)).toBe(DARK_BG);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // The signed-in shell has the same toggle; choosing light there beats a dark system.
  await page.emulateMedia({ colorScheme: 'dark' });
  const account = await sim.createAccount();
  await signIn(page, account);
  const shellToggle = page.getByRole('banner').getByRole('button', { name: 'Dark mode' });
  await expect(shellToggle).toHaveAttribute('aria-pressed', 'true');
  await shellToggle.click();
  await expect(shellToggle).toHaveAttribute('aria-pressed', 'false');
  expect(await background(page)).toBe(LIGHT_BG);
  expect(await page.evaluate(() => localStorage.getItem('gx.theme'))).toBe('light');
});

// Every page, at 1280 and 375 px, light and dark: the title names the page, there is one
// h1 and headings never skip a level, axe-core finds nothing, and a full-page screenshot is
// kept in tests/artifacts/screenshots/pages/. At 320 px nothing scrolls sideways.

type Visit = { name: string; hash: string; title: string; signedIn?: 'standard' | 'free' };

const PAGES: Visit[] = [
  { name: 'login', hash: '#/login', title: 'Sign in' },
  { name: 'signup', hash: '#/signup', title: 'Create your Gigalixir account' },
  { name: 'password-reset', hash: '#/password/reset', title: 'Reset your password' },
  { name: 'password-set', hash: '#/password/set?token=not-a-real-token', title: 'Choose a new password' },
  { name: 'confirmation-resend', hash: '#/confirmation/resend', title: 'Resend confirmation email' },
  { name: 'notify', hash: '#/notify?msg=email_confirmed', title: 'Notice' },
  { name: 'success', hash: '#/success?msg=unknown', title: 'Done' },
  { name: 'not-found', hash: '#/nope', title: 'Page not found' },
  { name: 'account-profile', hash: '#/account/profile', title: 'Profile', signedIn: 'standard' },
  { name: 'account-payment-method', hash: '#/account/payment-method', title: 'Payment method', signedIn: 'standard' },
  { name: 'account-billing', hash: '#/account/billing', title: 'Billing', signedIn: 'standard' },
  { name: 'account-stop-charges', hash: '#/account/stop-charges', title: 'Stop all charges', signedIn: 'standard' },
  { name: 'account-api-key', hash: '#/account/api-key', title: 'API key', signedIn: 'standard' },
  { name: 'account-ssh-keys', hash: '#/account/ssh-keys', title: 'SSH keys', signedIn: 'standard' },
  { name: 'account-mfa', hash: '#/account/mfa', title: 'Two-factor authentication', signedIn: 'standard' },
  { name: 'account-upgrade', hash: '#/account/upgrade', title: 'Upgrade to Standard', signedIn: 'free' },
  { name: 'account-delete', hash: '#/account/delete', title: 'Delete account', signedIn: 'standard' },
];

/** Heading levels in document order. */
const headingLevels = (page: import('@playwright/test').Page) =>
  page.evaluate(() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter((h) => (h as HTMLElement).offsetParent !== null || h.classList.contains('visually-hidden')).map((h) => Number(h.tagName[1])));

/** Signs in through the form, as `tier`, once per test; later visits reuse the session. */
async function visit(page: import('@playwright/test').Page, sim: import('./fixtures').Sim, v: Visit, signedInAs: { tier?: string }) {
  if (v.signedIn && signedInAs.tier !== v.signedIn) {
    if (signedInAs.tier) await page.getByRole('button', { name: 'Sign out' }).click();
    const account = await sim.createAccount({ tier: v.signedIn === 'free' ? 'FREE' : 'STANDARD' });
    await signIn(page, account);
    signedInAs.tier = v.signedIn;
  } else if (!v.signedIn && signedInAs.tier) {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(loginForm(page).heading).toBeVisible();
    signedInAs.tier = undefined;
  }
  await page.goto(`/${v.hash}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.loading:visible')).toHaveCount(0);
}

for (const [size, viewport] of [['desktop', { width: 1280, height: 800 }], ['mobile', { width: 375, height: 812 }]] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size} ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });
      test(`every page: title, one h1, headings in order, axe clean, screenshot (${size}, ${colorScheme})`, async ({ page, sim, browserErrors }) => {
        browserErrors.allow(/Failed to load resource: the server responded with a status of 404 .*\/api\/payment_methods$/, 'a fresh account has no card (A17 404)');
        const as: { tier?: string } = {};
        for (const v of PAGES) {
          await visit(page, sim, v, as);
          await expect(page, v.name).toHaveTitle(`${v.title} · Gigalixir`);
          const levels = await headingLevels(page);
          expect(levels.filter((l) => l === 1).length, `${v.name}: one h1`).toBe(1);
          expect(levels[0], `${v.name}: h1 first`).toBe(1);
          for (let i = 1; i < levels.length; i++) {
            expect(levels[i], `${v.name}: heading ${i} (levels ${levels.join(',')}) skips a level`).toBeLessThanOrEqual(levels[i - 1] + 1);
          }
          await expectAccessible(page, `${v.name} (${size}, ${colorScheme})`);
          fs.mkdirSync(path.join(SCREENSHOTS, 'pages'), { recursive: true });
          await page.screenshot({ path: path.join(SCREENSHOTS, 'pages', `${v.name}-${viewport.width}-${colorScheme}.png`), fullPage: true });
        }
      });
    });
  }
}

test.describe('320 px', () => {
  test.use({ viewport: { width: 320, height: 640 } });
  test('no page scrolls sideways at 320 px', async ({ page, sim, browserErrors }) => {
    browserErrors.allow(/Failed to load resource: the server responded with a status of 404 .*\/api\/payment_methods$/, 'a fresh account has no card (A17 404)');
    const as: { tier?: string } = {};
    for (const v of PAGES) {
      await visit(page, sim, v, as);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(scroll, `${v.name} is ${scroll} px wide in a ${client} px window`).toBeLessThanOrEqual(client);
    }
  });
});
