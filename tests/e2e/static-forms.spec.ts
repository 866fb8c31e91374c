import type { Page } from '@playwright/test';
import {
  expect,
  expectAccessible,
  expectAccountPage,
  expectStatus,
  loginForm,
  resendForm,
  resetRequestForm,
  resetSentText,
  storedSessions,
  test,
} from './fixtures';

// Sign-in, password reset and confirmation resend are drawn by index.html before the wasm
// arrives (issue 17). These tests hold the wasm back, as a slow network would, and check that
// what was typed meanwhile survives the app taking over.

/** Holds every request for the wasm until the returned function is called. */
async function holdWasm(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Marks the static shell, so that `appTookOver` can tell when the app replaced it. */
async function markStatic(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { staticShell: Element | null }).staticShell = document.querySelector('#app > .auth');
  });
}

async function appTookOver(page: Page) {
  await page.waitForFunction(() => {
    const shell = (window as unknown as { staticShell: Element | null }).staticShell;
    return shell !== null && !shell.isConnected && document.getElementById('email') !== null;
  });
}

/**
 * `#app`'s elements, attributes and text in a canonical form: the release build's HTML
 * minifier reorders attributes, drops `type="submit"` and keeps some whitespace between
 * elements, and Leptos wraps SVG children in `<g>` and leaves comment markers; none of that
 * is drawn.
 */
async function appMarkup(page: Page): Promise<string> {
  return page.evaluate(() => {
    const canon = (node: Node): string => {
      if (node.nodeType !== Node.ELEMENT_NODE) return '';
      const el = node as Element;
      // Adjacent text nodes as one: the app may split a text the document has whole.
      const parts: string[] = [];
      let text = '';
      for (const child of Array.from(el.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) {
          text += child.textContent ?? '';
          continue;
        }
        parts.push(text.replace(/\s+/g, ' ').trim() ? text.replace(/\s+/g, ' ') : '', canon(child));
        text = '';
      }
      parts.push(text.replace(/\s+/g, ' ').trim() ? text.replace(/\s+/g, ' ') : '');
      const inner = parts.join('');
      const tag = el.tagName.toLowerCase();
      if (tag === 'g') return inner;
      const attrs = Array.from(el.attributes).map((a) => `${a.name}="${a.value}"`);
      if (tag === 'button' && !el.hasAttribute('type')) attrs.push('type="submit"');
      return `<${tag} ${attrs.sort().join(' ')}>${inner}</${tag}>`;
    };
    return canon(document.getElementById('app')!);
  });
}

test('sign-in is typable before the wasm arrives; the app adopts the values, the focus and the caret', async ({ page, sim }) => {
  const account = await sim.createAccount();
  const release = await holdWasm(page);
  await page.goto('/#/login');
  const form = loginForm(page);
  await expect(form.heading).toBeVisible();
  await expect(page.getByText('Loading the console…')).toHaveCount(0);
  await markStatic(page);
  await form.email.fill(account.email);
  await form.keep.check();
  // All of the password but its first character, then the caret back to the start.
  await form.password.click();
  await page.keyboard.type(account.password.slice(1));
  await page.keyboard.press('Home');
  release();
  await appTookOver(page);
  await expect(form.email).toHaveValue(account.email);
  await expect(form.keep).toBeChecked();
  await expect(form.password).toBeFocused();
  await page.keyboard.type(account.password[0]);
  await expect(form.password).toHaveValue(account.password);
  await form.submit.click();
  await expectAccountPage(page, account);
  const [, kept] = await storedSessions(page);
  expect(kept, 'Keep me signed in, ticked before the app started, holds').not.toBeNull();
});

test('a sign-in submitted before the wasm arrives says it is starting, then signs in', async ({ page, sim }) => {
  const account = await sim.createAccount();
  const release = await holdWasm(page);
  await page.goto('/#/login?next=%2Faccount%2Fapi-key');
  const form = loginForm(page);
  await markStatic(page);
  await form.email.fill(account.email);
  await form.password.fill(account.password);
  await form.password.press('Enter');
  const starting = page.getByRole('button', { name: 'Starting…', exact: true });
  await expect(starting).toBeVisible();
  await expect(starting).toHaveAttribute('aria-disabled', 'true');
  await expect(page).toHaveURL(/#\/login\?next=%2Faccount%2Fapi-key$/);
  release();
  await appTookOver(page);
  await expect(page).toHaveURL(/#\/account\/api-key$/);
});

test('Show password and Continue with Google, pressed before the wasm arrives, carry over', async ({ page, context }) => {
  let release = await holdWasm(page);
  await page.goto('/');
  const form = loginForm(page);
  await expect(form.heading).toBeVisible();
  await markStatic(page);
  await form.password.fill('shown-while-starting');
  await page.getByRole('button', { name: 'Show password', exact: true }).click();
  await expect(page.locator('#password')).toHaveAttribute('type', 'text');
  release();
  await appTookOver(page);
  await expect(page.locator('#password')).toHaveAttribute('type', 'text');
  await expect(page.locator('#password')).toHaveValue('shown-while-starting');
  await expect(page.getByRole('button', { name: 'Hide password', exact: true })).toHaveAttribute('aria-pressed', 'true');

  await page.unroute(/_bg\.wasm$/);
  release = await holdWasm(page);
  await page.goto('about:blank');
  await page.goto('/#/login');
  await page.getByRole('button', { name: 'Continue with Google', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Starting…', exact: true })).toBeVisible();
  const popup = context.waitForEvent('page', { timeout: 10_000 }).catch(() => null);
  release();
  // Google opens once the app is ready: in a popup, or in this tab when the browser blocks a
  // popup it did not see the user ask for.
  const opened = await popup;
  const consent = /\/__sim\/google\/consent\?session=/;
  if (opened) await expect(opened).toHaveURL(consent);
  else await expect(page).toHaveURL(consent);
});

test('typing through the switch loses no keystroke', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/#/password/reset');
  const form = resetRequestForm(page);
  await markStatic(page);
  await form.email.click();
  const text = 'a-long-address-typed-while-the-app-starts@example.com';
  const typing = page.keyboard.type(text, { delay: 15 });
  await page.waitForTimeout(150);
  release();
  await typing;
  await appTookOver(page);
  await expect(form.email).toHaveValue(text);
  await expect(form.email).toBeFocused();
});

test('a reset link with an email, submitted before the wasm arrives, is sent once the app is ready', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/#/password/reset?email=early%40example.com');
  const form = resetRequestForm(page);
  await expect(form.email).toHaveValue('early@example.com');
  await markStatic(page);
  await form.submit.click();
  await expect(page.getByRole('button', { name: 'Starting…', exact: true })).toBeVisible();
  release();
  await appTookOver(page);
  await expectStatus(page, resetSentText('early@example.com'));
});

test('before the wasm arrives, the typed email goes from sign-in to reset and back again, as the app carries it', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('/#/login');
  await page.getByLabel('Email').fill('early@example.com');
  await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
  const form = resetRequestForm(page);
  await expect(form.email).toHaveValue('early@example.com');
  await markStatic(page);
  // Still the static form: its "Back to sign in" carries the address, as the app's does.
  await expect(form.backToSignIn).toHaveAttribute('href', '#/login?email=early%40example.com');
  release();
  await appTookOver(page);
  await expect(form.backToSignIn).toHaveAttribute('href', '#/login?email=early%40example.com');
});

test('the static forms are the app\'s own markup, accessible, and nothing moves when the app takes over', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { shifts: number }).shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) (window as unknown as { shifts: number }).shifts += (entry as unknown as { value: number }).value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  for (const [hash, heading] of [
    ['#/login', loginForm(page).heading],
    ['#/password/reset', resetRequestForm(page).heading],
    ['#/confirmation/resend', resendForm(page).heading],
  ] as const) {
    const release = await holdWasm(page);
    // A document of its own each time: from one hash to another the app would just go on.
    await page.goto('about:blank');
    await page.goto('/' + hash);
    await expect(heading).toBeVisible();
    await expectAccessible(page, `static ${hash}`);
    await markStatic(page);
    const drawn = await appMarkup(page);
    release();
    await appTookOver(page);
    await expect(heading).toBeVisible();
    expect(await appMarkup(page), `the static ${hash} differs from the app's`).toBe(drawn);
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts), `layout shift on ${hash}`).toBe(0);
    await page.unroute(/_bg\.wasm$/);
  }
});

test('Spanish readers get the Spanish static form', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'es-ES' });
  const page = await context.newPage();
  const release = await holdWasm(page);
  await page.goto('/#/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión', exact: true })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Correo electrónico', exact: true })).toBeVisible();
  await expectAccessible(page, 'static sign-in, Spanish');
  await markStatic(page);
  const drawn = await appMarkup(page);
  release();
  await appTookOver(page);
  expect(await appMarkup(page)).toBe(drawn);
  await context.close();
});

test('other pages, a notice in the link and a signed-in tab keep the loading placeholder', async ({ page, sim }) => {
  const release = await holdWasm(page);
  for (const hash of ['#/signup', '#/confirmation/resend?msg=token_expired', '#/account', '#/nope']) {
    await page.goto('/' + hash);
    await expect(page.getByText('Loading the console…')).toBeVisible();
    await expect(page.locator('#email')).toHaveCount(0);
  }
  // A form shown, then a link to a page without one: the placeholder comes back.
  await page.goto('/#/login');
  await expect(loginForm(page).heading).toBeVisible();
  await page.getByRole('link', { name: 'Create an account', exact: true }).click();
  await expect(page.getByText('Loading the console…')).toBeVisible();
  const account = await sim.createAccount();
  await page.evaluate((key) => sessionStorage.setItem('gx.session', JSON.stringify(key)), { email: account.email, api_key: 'x' });
  await page.goto('/#/login');
  await page.reload();
  await expect(page.getByText('Loading the console…')).toBeVisible();
  await expect(page.locator('#email')).toHaveCount(0);
  // The wasm stays held: the made-up session would be refused, which is another test's story.
  void release;
});
