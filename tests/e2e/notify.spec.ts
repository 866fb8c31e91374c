import type { Page } from '@playwright/test';
import { expect, expectStatus, loginForm, simUrl, test } from './fixtures';

// #/notify?msg=&to= and #/success?msg= (issue 3): messages come from a fixed table, `to` must be
// an in-app route, and nothing ever leaves the console's origin.

const MESSAGES = {
  email_confirmed: 'Your email address is confirmed. You can sign in now.',
  email_changed: 'Your email address has been changed.',
  email_change_revoked: 'The email change was cancelled. Your address is unchanged.',
  generic: 'Your request has been processed.',
};

/** Records every request and navigation that leaves the simulator's origin, and any dialog. */
function watchOrigin(page: Page) {
  const origin = new URL(simUrl()).origin;
  const offOrigin: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('about:') && !url.startsWith('data:') && new URL(url).origin !== origin) offOrigin.push(`request ${url}`);
  });
  page.on('framenavigated', (f) => {
    const url = f.url();
    if (!url.startsWith('about:') && new URL(url).origin !== origin) offOrigin.push(`navigation ${url}`);
  });
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return { origin, offOrigin, dialogs };
}

const noticePage = (page: Page) => ({
  heading: page.getByRole('heading', { level: 1, name: 'Notice', exact: true }),
  continue: page.getByRole('link', { name: 'Continue', exact: true }),
});

test('#/notify with an off-site `to` stays in the app: Notice page with the message and Continue', async ({ page }) => {
  const watch = watchOrigin(page);
  await page.goto('/#/notify?msg=email_changed&to=%2F%2Fevil.com');
  const notice = noticePage(page);
  await expect(notice.heading).toBeVisible();
  await expect(page.getByText(MESSAGES.email_changed, { exact: true })).toBeVisible();
  await expect(notice.continue).toBeVisible();
  const href = await notice.continue.getAttribute('href');
  expect(href).not.toBeNull();
  expect(new URL(href!, page.url()).origin, `Continue href ${href}`).toBe(watch.origin);
  expect(href!).not.toContain('evil.com');
  expect(new URL(page.url()).origin).toBe(watch.origin);

  await notice.continue.click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(watch.origin);
  expect(page.url()).not.toContain('evil.com');
  expect(watch.offOrigin).toEqual([]);
  expect(watch.dialogs).toEqual([]);
});

test('#/notify never leaves the origin, whatever `to` says', async ({ page }) => {
  const watch = watchOrigin(page);
  const notRoutes = ['https%3A%2F%2Fevil.com%2F', '%2F%2Fevil.com%2Flogin', 'javascript%3Aalert(1)', 'evil.com', '%5C%5Cevil.com'];
  const odd = ['%2F%5Cevil.com', '%2F%2F%2Fevil.com', '%2F%09%2Fevil.com'];
  for (const to of [...notRoutes, ...odd]) {
    await page.goto('about:blank');
    await page.goto(`/#/notify?msg=email_change_revoked&to=${to}`);
    await expect(page.getByRole('heading', { level: 1 }), `to=${to}`).toBeVisible();
    if (notRoutes.includes(to)) {
      // Not an in-app route: the message on its own page.
      await expect(noticePage(page).heading, `to=${to}`).toBeVisible();
      await expect(page.getByText(MESSAGES.email_change_revoked, { exact: true }), `to=${to}`).toBeVisible();
      await noticePage(page).continue.click();
      await expect(page.getByRole('heading', { level: 1 }), `to=${to}`).toBeVisible();
    }
    expect(new URL(page.url()).origin, `to=${to}`).toBe(watch.origin);
  }
  expect(watch.offOrigin).toEqual([]);
  expect(watch.dialogs).toEqual([]);
});

test('#/notify with an in-app `to` goes straight there (replacing the notify entry) and shows the message', async ({ page }) => {
  await page.goto('/#/notify?msg=email_confirmed&to=%2Flogin');
  await expect(page).toHaveURL(/#\/login$/);
  await expect(loginForm(page).heading).toBeVisible();
  await expectStatus(page, MESSAGES.email_confirmed);
  await expect(noticePage(page).heading).toHaveCount(0);

  // An unknown msg in the same shape (a fresh load, as from an email): the generic sentence, never the key.
  await page.goto('about:blank');
  await page.goto('/#/notify?msg=%3Cb%3Ehi%3C%2Fb%3E&to=%2Flogin');
  await expect(page).toHaveURL(/#\/login$/);
  await expectStatus(page, MESSAGES.generic);
  expect(await page.getByRole('main').innerText()).not.toContain('hi</b>');

  // Back does not return to a #/notify entry.
  await page.goBack();
  expect(page.url()).not.toContain('/notify');
});

test('#/success shows Done with the message from the table and a link to sign in', async ({ page }) => {
  await page.goto('/#/success?msg=nope');
  const heading = page.getByRole('heading', { level: 1, name: 'Done', exact: true });
  await expect(heading).toBeVisible();
  await expect(page.getByText(MESSAGES.generic, { exact: true })).toBeVisible();
  expect(await page.getByRole('main').innerText()).not.toContain('nope');

  await page.goto('/#/success?msg=email_changed');
  await expect(heading).toBeVisible();
  await expect(page.getByText(MESSAGES.email_changed, { exact: true })).toBeVisible();
  const toSignIn = page.getByRole('link', { name: 'Go to sign in', exact: true });
  await toSignIn.click();
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page).toHaveURL(/#\/login/);
});

test('a #/notify link followed inside the running console shows its own message', async ({ page }) => {
  await page.goto('/#/notify?msg=email_confirmed&to=%2Flogin');
  await expectStatus(page, MESSAGES.email_confirmed);
  // Same document: only the hash changes.
  await page.goto('/#/notify?msg=email_change_revoked&to=%2Flogin');
  await expect(page).toHaveURL(/#\/login$/);
  await expectStatus(page, MESSAGES.email_change_revoked);
  await expect(page.getByText(MESSAGES.email_confirmed, { exact: true })).toHaveCount(0);
});
