import type { Page } from '@playwright/test';
import { descriptionList, dollars, expect, expectAccessible, expectAlert, failedNetwork, failedStatus, saveScreenshot, test } from './fixtures';

// The Spanish locale (issue 6): picked from the browser's languages, switched and remembered
// on this device (gx.lang), and fitting a 320 px screen although its sentences run longer.
// Spanish is a file (es.txt) fetched only by those who want it.

test.use({ locale: 'es-ES' });

/** The Spanish sign-in form. */
function formularioDeAcceso(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Iniciar sesión', exact: true }),
    email: page.getByRole('textbox', { name: 'Correo electrónico', exact: true }),
    password: page.getByLabel('Contraseña', { exact: true }),
    keep: page.getByRole('checkbox', { name: 'Mantener la sesión iniciada', exact: true }),
    submit: page.getByRole('button', { name: 'Iniciar sesión', exact: true }),
  };
}

const englishHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Sign in', exact: true });

/** The page scrolls sideways by this many pixels (0 when everything fits). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a Spanish browser gets the sign-in page in Spanish', async ({ page }) => {
  const fetched = spanishFetches(page);
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.goto('/#/login');
  const form = formularioDeAcceso(page);
  await expect(form.heading).toBeVisible();
  // The page's preload of es.txt is the request the console uses: one request, no warning
  // about an unused preload.
  expect(fetched).toHaveLength(1);
  expect(warnings.filter((w) => w.includes('es.txt'))).toEqual([]);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page).toHaveTitle('Iniciar sesión · Gigalixir');
  await expect(form.email).toBeVisible();
  await expect(form.password).toBeVisible();
  await expect(form.keep).toBeVisible();
  await expect(form.submit).toBeVisible();
  await expect(page.getByRole('link', { name: '¿Olvidaste tu contraseña?', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continuar con Google', exact: true })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Idioma', exact: true })).toHaveValue('es');
  // Nothing chosen on this device yet: the browser decided.
  expect(await page.evaluate(() => localStorage.getItem('gx.lang'))).toBeNull();

  // Validation speaks Spanish too.
  await form.submit.click();
  await expect(page.getByText('Ingresa tu correo electrónico.', { exact: true })).toBeVisible();
});

test('the switch redraws the page in English, is remembered after a reload, and switches back', async ({ page }) => {
  await page.goto('/#/login');
  await expect(formularioDeAcceso(page).heading).toBeVisible();

  await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en');
  await expect(englishHeading(page)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Sign in · Gigalixir');
  await expect(page.getByRole('link', { name: 'Forgot your password?', exact: true })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Language', exact: true })).toHaveValue('en');
  expect(await page.evaluate(() => localStorage.getItem('gx.lang'))).toBe('en');

  // The device's choice beats the browser's Spanish.
  await page.reload();
  await expect(englishHeading(page)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Sign in · Gigalixir');

  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
  await expect(formularioDeAcceso(page).heading).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  expect(await page.evaluate(() => localStorage.getItem('gx.lang'))).toBe('es');
  await page.reload();
  await expect(formularioDeAcceso(page).heading).toBeVisible();
});

test('signed in: the account page, the side nav and API errors in Spanish', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(401, '/api/login'), 'the wrong password is refused with 401 on purpose');
  const account = await sim.createAccount({ tier: 'STANDARD', credit_cents: 1250 });
  await page.goto('/#/login');
  const form = formularioDeAcceso(page);

  // A wrong password: the API's 401 in Spanish.
  await form.email.fill(account.email);
  await form.password.fill('no-es-la-contraseña');
  await form.submit.click();
  await expectAlert(page, 'Correo electrónico o contraseña incorrectos.');

  await form.password.fill(account.password);
  await form.submit.click();
  await expect(page).toHaveURL(/#\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Perfil', exact: true })).toBeVisible();
  await expect(page).toHaveTitle('Perfil · Gigalixir');
  await expect
    .poll(() => descriptionList(page))
    .toEqual({
      'Correo electrónico': account.email,
      Plan: 'Standard',
      Créditos: dollars(1250),
      'Autenticación en dos pasos': 'Desactivada',
    });

  const nav = page.getByRole('navigation', { name: 'Cuenta', exact: true });
  await expect(nav.getByRole('link')).toHaveText([
    'Perfil',
    'Método de pago',
    'Facturación',
    'Clave de API',
    'Claves SSH',
    'Autenticación en dos pasos',
    'Eliminar cuenta',
  ]);
  await expect(nav.getByRole('link', { name: 'Perfil', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Cerrar sesión', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Cambiar contraseña', exact: true })).toBeVisible();

  // The header's switch works the same way.
  await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Account', exact: true }).getByRole('link').first()).toHaveText('Profile');
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
  await expect(page.getByRole('heading', { level: 1, name: 'Perfil', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Cerrar sesión', exact: true }).click();
  await expect(form.heading).toBeVisible();
  await expect(page.getByText('Cerraste sesión.', { exact: true })).toBeVisible();
});

/** Counts the requests for the Spanish file. */
function spanishFetches(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/es.txt') seen.push(r.url());
  });
  return seen;
}

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });

  test('never downloads Spanish until it is chosen, then once', async ({ page }) => {
    const fetched = spanishFetches(page);
    await page.goto('/#/login');
    await expect(englishHeading(page)).toBeVisible();
    await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password', exact: true })).toBeVisible();
    expect(fetched, 'no request for es.txt in English').toEqual([]);

    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('ana@example.com');
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
    await expect(page.getByRole('heading', { level: 1, name: 'Restablece tu contraseña', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    expect(fetched).toHaveLength(1);

    // Back and forth again: Spanish is already here.
    await page.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en');
    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password', exact: true })).toBeVisible();
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
    await expect(page.getByRole('heading', { level: 1, name: 'Restablece tu contraseña', exact: true })).toBeVisible();
    expect(fetched).toHaveLength(1);
  });

  test('a slow Spanish file: the switch says it is loading, then the page is Spanish', async ({ page }) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/es.txt', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/#/login');
    await expect(englishHeading(page)).toBeVisible();
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
    const note = page.getByRole('status').filter({ hasText: 'Loading the language…' });
    await expect(note).toBeVisible();
    await expect(englishHeading(page), 'the page stays as it is meanwhile').toBeVisible();
    await saveScreenshot(page, 'login-language-loading');
    release();
    await expect(formularioDeAcceso(page).heading).toBeVisible();
    await expect(page.getByText('Loading the language…')).toHaveCount(0);
    await expect(page.getByText('Cargando el idioma…')).toHaveCount(0);
  });

  test('a Spanish file that cannot be had: said next to the switch, the page stays English with its input, and a retry works', async ({ page, browserErrors }) => {
    browserErrors.allow(failedNetwork('/es.txt'), 'the Spanish file is cut off on purpose');
    browserErrors.allow(failedStatus(503, '/es.txt'), 'the Spanish file answers 503 on purpose');
    await page.goto('/#/login');
    await expect(englishHeading(page)).toBeVisible();
    const email = page.getByRole('textbox', { name: 'Email', exact: true });
    await email.fill('ana@example.com');
    const language = page.getByRole('combobox', { name: 'Language', exact: true });

    for (const fault of ['dropped', '503'] as const) {
      await page.route('**/es.txt', (route) =>
        fault === 'dropped' ? route.abort('connectionreset') : route.fulfill({ status: 503, body: 'busy' }),
      );
      await language.selectOption('es');
      await expectAlert(page, "Couldn't load that language. Check your connection and try again.");
      await expect(language, `${fault}: the switch shows the language in use`).toHaveValue('en');
      await expect(englishHeading(page)).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(email, `${fault}: typed input kept`).toHaveValue('ana@example.com');
      if (fault === 'dropped') await saveScreenshot(page, 'login-language-failed');
      expect(await page.evaluate(() => localStorage.getItem('gx.lang')), 'nothing remembered').toBeNull();
      await page.unroute('**/es.txt');
    }

    // A file that is not the console's strings (a proxy's error page, say) is refused too.
    await page.route('**/es.txt', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>Sorry</p>' }));
    await language.selectOption('es');
    await expectAlert(page, "Couldn't load that language. Check your connection and try again.");
    await expect(englishHeading(page)).toBeVisible();
    await page.unroute('**/es.txt');

    await language.selectOption('es');
    await expect(formularioDeAcceso(page).heading).toBeVisible();
    await expect(page.getByText("Couldn't load that language")).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('gx.lang'))).toBe('es');
  });
});

test('a Spanish browser whose Spanish file cannot be had opens in English, and no page error', async ({ page, browserErrors }) => {
  browserErrors.allow(failedNetwork('/es.txt'), 'the Spanish file is cut off on purpose');
  await page.route('**/es.txt', (route) => route.abort('connectionreset'));
  await page.goto('/#/login');
  await expect(englishHeading(page)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('combobox', { name: 'Language', exact: true })).toHaveValue('en');
  await page.unroute('**/es.txt');
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
  await expect(formularioDeAcceso(page).heading).toBeVisible();
});

test.describe('at 320 px', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('the Spanish sign-in and account pages fit without scrolling sideways, and sign-in is accessible', async ({ page, sim }) => {
    const account = await sim.createAccount();
    await page.goto('/#/login');
    const form = formularioDeAcceso(page);
    await expect(form.heading).toBeVisible();
    await expectAccessible(page, 'Spanish login');
    expect(await sidewaysOverflow(page), 'sideways overflow on the Spanish login page').toBe(0);
    await saveScreenshot(page, 'login-es-320');

    await form.email.fill(account.email);
    await form.password.fill(account.password);
    await form.submit.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Perfil', exact: true })).toBeVisible();
    await expect(page.getByRole('definition').first()).toHaveText(account.email);
    await expectAccessible(page, 'Spanish account page');
    expect(await sidewaysOverflow(page), 'sideways overflow on the Spanish account page').toBe(0);
    await saveScreenshot(page, 'account-es-320');
  });
});
