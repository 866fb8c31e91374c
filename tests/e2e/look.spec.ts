import { expect, loginForm, signIn, test } from './fixtures';

// Issue 6, look: the dark-mode toggle.

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
  await page.route('**/*.wasm', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.reload({ waitUntil: 'domcontentloaded' });
  await expect(page.getByText('Loading the console…')).toBeVisible();
  expect(await background(page)).toBe(DARK_BG);
  await page.unroute('**/*.wasm');
  await expect(loginForm(page).heading).toBeVisible();

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
