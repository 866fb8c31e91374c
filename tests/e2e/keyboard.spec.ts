import type { Locator, Page } from '@playwright/test';
import { expect, expectAccountPage, expectStatus, loginForm, test } from './fixtures';

// Issue 6: the main signed-in flow by keyboard alone, with a focus ring that can be seen on
// everything that takes focus. (Sign-up, reset and MFA have their own keyboard-only tests.)

/** Presses Tab until `target` has focus, checking each stop shows a visible focus ring. */
async function tabTo(page: Page, target: Locator, what: string) {
  for (let i = 0; i < 40; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return 'nothing focused';
      const s = getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth} on ${el.outerHTML.slice(0, 80)}`;
    });
    // Between the last stop and the first, focus is in the browser's own UI.
    if (ring !== 'nothing focused') expect(ring, `focus ring while tabbing to ${what}`).toMatch(/^(solid|auto) [1-9]/);
  }
  throw new Error(`Tab never reached ${what}`);
}

test('keyboard only: sign in, skip to content, move between tabs, reveal the key, change the password, sign out', async ({ page, sim }) => {
  const account = await sim.createAccount();
  await page.goto('/#/login');
  const login = loginForm(page);
  await expect(login.heading).toBeVisible();
  await tabTo(page, login.email, 'the Email field');
  await page.keyboard.type(account.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(account.password);
  await page.keyboard.press('Enter');
  await expectAccountPage(page, account);

  // On a fresh load the first Tab stop is the skip link; it puts focus in the content. (After
  // signing in, focus is already on the page's heading.)
  await page.reload();
  await expectAccountPage(page, account);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();

  // The side nav, then the key tab's Reveal button with Space.
  const nav = page.getByRole('navigation', { name: 'Account' });
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, nav.getByRole('link', { name: 'API key' }), 'the API key tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'API key' })).toBeVisible();
  const reveal = page.getByRole('button', { name: 'Reveal' });
  await tabTo(page, reveal, 'Reveal');
  await page.keyboard.press('Space');
  await expect(page.locator('code.key')).toHaveText(account.api_key);

  // Back to the profile, and a password change typed and sent with Enter.
  await tabTo(page, nav.getByRole('link', { name: 'Profile' }), 'the Profile tab');
  await page.keyboard.press('Enter');
  const form = page.getByRole('region', { name: 'Change password' });
  await tabTo(page, form.getByLabel('Current password'), 'Current password');
  await page.keyboard.type(account.password);
  await tabTo(page, form.getByLabel('New password', { exact: true }), 'New password');
  await page.keyboard.type('keyboard-only-password');
  await tabTo(page, form.getByLabel('Confirm new password'), 'Confirm new password');
  await page.keyboard.type('keyboard-only-password');
  await page.keyboard.press('Enter');
  await expectStatus(page, 'Password changed.');

  await tabTo(page, page.getByRole('button', { name: 'Sign out' }), 'Sign out');
  await page.keyboard.press('Enter');
  await expect(login.heading).toBeVisible();
});
