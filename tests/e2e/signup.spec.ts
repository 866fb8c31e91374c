import type { Page, Request } from '@playwright/test';
import { advanceClock, emailsTo, unknownEmail, waitForEmail, type Email } from './email';
import { expect, expectAccessible, expectAlert, expectStatus, failedStatus, loginForm, saveScreenshot, sendAgainButton, storedSessions, test } from './fixtures';

// Sign-up (issue 3, A4) end to end: the emailed code is read from the simulator's outbox,
// typed or followed by its link, as a person would.

const CODE_SUBJECT = 'Your Gigalixir sign-up code';
const EXISTING_SUBJECT = 'Someone tried to sign up with your Gigalixir email';
const SIGNUP_API = '/api/signup';

const isSignup = (r: Request) => new URL(r.url()).pathname === SIGNUP_API && r.method() === 'POST';
const fieldError = (text: string) => new RegExp(`^(⚠ )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

function signupForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1 }),
    email: page.getByRole('textbox', { name: 'Email', exact: true }),
    sendCode: page.getByRole('button', { name: 'Email me a code', exact: true }),
    code: page.getByRole('textbox', { name: '6-digit code', exact: true }),
    verify: page.getByRole('button', { name: 'Verify', exact: true }),
    password: page.getByLabel('Password', { exact: true }),
    cont: page.getByRole('button', { name: 'Continue', exact: true }),
    free: page.getByRole('radio', { name: /^Free/ }),
    standard: page.getByRole('radio', { name: /^Standard/ }),
    promo: page.getByRole('textbox', { name: 'Promo code (optional)', exact: true }),
    apply: page.getByRole('button', { name: 'Apply', exact: true }),
    create: page.getByRole('button', { name: 'Create my account', exact: true }),
    progress: page.locator('.progress'),
  };
}

/** The 6-digit code and the continue-in-browser link of a sign-up email. */
function codeOf(email: Email): { code: string; link: string } {
  const code = /^\s*(\d{6})\s*$/m.exec(email.body)?.[1];
  expect(code, `a 6-digit code on its own line in: ${email.body}`).toBeTruthy();
  const link = email.links.find((l) => l.includes('#/signup?'));
  expect(link, `a #/signup link in ${JSON.stringify(email.links)}`).toBeTruthy();
  return { code: code!, link: link! };
}

async function startSignup(page: Page, address: string): Promise<Email> {
  await page.goto('/#/signup');
  const form = signupForm(page);
  await expect(form.heading).toHaveText('Create your Gigalixir account');
  await expect(page).toHaveTitle('Create your Gigalixir account · Gigalixir');
  await form.email.fill(address);
  const answered = page.waitForResponse((r) => isSignup(r.request()));
  await form.sendCode.click();
  expect((await answered).status()).toBe(200);
  await expect(form.heading).toHaveText('Check your email');
  await expect(page.getByText(`We sent a 6-digit code to ${address}. It works for 10 minutes.`)).toBeVisible();
  await expect(form.code).toBeFocused();
  return waitForEmail(page.request, address, { subject: CODE_SUBJECT });
}

test('sign-up on the Free plan: code typed from the email, password strength, plan explained, then signed in on the account', async ({ page }) => {
  const address = unknownEmail();
  const form = signupForm(page);
  const email = await startSignup(page, address);
  await expect(form.progress).toHaveText('Step 2 of 4');

  await form.code.fill(codeOf(email).code);
  await form.verify.click();
  await expect(form.heading).toHaveText('Choose a password');
  await expect(form.password).toBeFocused();
  await expect(form.password).toHaveAttribute('autocomplete', 'new-password');

  // Too short is said next to the field, and what was typed stays.
  await form.password.fill('short');
  await form.cont.click();
  await expect(page.getByText(fieldError('Use at least 8 characters.'))).toBeVisible();
  await expect(form.password).toHaveValue('short');
  await expect(form.password).toHaveAttribute('aria-invalid', 'true');

  // Strength feedback as the password grows.
  await form.password.fill('password123');
  await expect(page.locator('#strength-text')).toHaveText(/^Strength: weak\./);
  await form.password.fill('tkvb mzqr wpln');
  await expect(page.locator('#strength-text')).toHaveText(/^Strength: fair\./);
  const password = 'Correct horse battery 9';
  await form.password.fill(password);
  await expect(page.locator('#strength-text')).toHaveText('Strength: strong. Very hard to guess.');
  // Show/hide keeps the value.
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(form.password).toHaveAttribute('type', 'text');
  await expect(form.password).toHaveValue(password);
  await page.getByRole('button', { name: 'Hide password' }).click();
  await expect(form.password).toHaveAttribute('type', 'password');
  await form.cont.click();

  await expect(form.heading).toHaveText('Choose your plan');
  await expect(form.progress).toHaveText('Step 4 of 4');
  await expect(form.free).toBeChecked();
  await expect(page.getByText('One instance with 0.2 GB of memory and a free PostgreSQL database of up to 10,000 rows.')).toBeVisible();
  await expect(page.getByText(/Needs a card\.$/)).toBeVisible();
  await expectAccessible(page, 'sign-up plan step');
  await form.standard.check();
  await expect(form.progress).toHaveText('Step 4 of 5');
  await expect(page.getByRole('button', { name: 'Continue', exact: true })).toBeVisible();
  await form.free.check();

  const finished = page.waitForResponse((r) => isSignup(r.request()) && r.request().postDataJSON().tier === 'FREE');
  await form.create.click();
  expect((await finished).status()).toBe(200);
  await expect(page).toHaveURL(/#\/account$/);
  await expectStatus(page, 'Welcome to Gigalixir! Your account is ready.');
  await expect(page.getByRole('definition').first()).toHaveText(address);
  const [perTab, kept] = await storedSessions(page);
  expect(JSON.parse(perTab!).email).toBe(address);
  expect(kept).toBeNull();

  // The chosen password signs in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const login = loginForm(page);
  await login.email.fill(address);
  await login.password.fill(password);
  await login.submit.click();
  await expect(page).toHaveURL(/#\/account$/);
});

/** The question an emailed sign-up link asks in a tab that didn't start that sign-up. */
const LINK_QUESTION = 'Continue creating your account?';

test('the emailed link asks before it sends the code, leaves the address bar at once, and a used link says so', async ({ page, context, browser, browserErrors }) => {
  browserErrors.allow(failedStatus(422, SIGNUP_API), 'the finished sign-up refuses its link again with 422');
  const address = unknownEmail();
  const email = await startSignup(page, address);
  const { link, code } = codeOf(email);
  expect(new URL(link).hash).toMatch(/^#\/signup\?uuid=[0-9a-f-]{36}&code=\d{6}$/);

  // Opened in a new tab, as from a mail client: this tab didn't start the sign-up, so the
  // person is asked first, and nothing is sent until they say so.
  const tab = await context.newPage();
  let early = false;
  tab.on('request', (r) => (early ||= isSignup(r)));
  await tab.goto(link);
  await expect(signupForm(tab).heading).toHaveText(LINK_QUESTION);
  await expect(tab).toHaveURL(/#\/signup$/);
  await expect(tab.getByText(address)).toHaveCount(0);
  expect(early).toBe(false);
  const sent = tab.waitForRequest(isSignup);
  await tab.getByRole('button', { name: 'Continue', exact: true }).click();
  expect((await sent).postDataJSON()).toMatchObject({ confirmation_code: code });
  await expect(signupForm(tab).heading).toHaveText('Choose a password');
  await expect(signupForm(tab).progress).toHaveText('Step 3 of 4');
  // No history entry keeps the code: Back leaves the console.
  await tab.goBack();
  expect(tab.url()).not.toContain('code=');

  // The password step in the first tab still waits for its own code: typing it still works.
  await signupForm(page).code.fill(code);
  await signupForm(page).verify.click();
  await expect(signupForm(page).heading).toHaveText('Choose a password');
  await signupForm(page).password.fill('Correct horse battery 9');
  await signupForm(page).cont.click();
  await signupForm(page).create.click();
  await expect(page).toHaveURL(/#\/account$/);

  // Once the account exists, the link is spent. Opened in another browser (this one's tabs
  // would share the new account's session, and a signed-in visitor has nothing to sign up for).
  await tab.close();
  const elsewhere = await (await browser.newContext()).newPage();
  await elsewhere.goto(link);
  await elsewhere.getByRole('button', { name: 'Continue', exact: true }).click();
  await expectAlert(elsewhere, 'This sign-up has expired or was already finished. Start again with your email.');
  await expect(elsewhere).toHaveURL(/#\/signup$/);
  await elsewhere.context().close();
});

test('a crafted sign-up link never shows the address written into it, and the tab that started the sign-up goes straight on', async ({ page, context }) => {
  const address = unknownEmail();
  const email = await startSignup(page, address);
  const { link } = codeOf(email);

  // Someone else's link with an address of the attacker's choosing beside the code.
  const tab = await context.newPage();
  await tab.goto(`${link}&email=${encodeURIComponent('you@example.com')}`);
  await expect(signupForm(tab).heading).toHaveText(LINK_QUESTION);
  await expect(tab.getByText('you@example.com')).toHaveCount(0);
  await expect(tab).toHaveURL(/#\/signup$/);
  for (const [w, tag] of [[1280, 'desktop'], [375, 'mobile']] as const) {
    await tab.setViewportSize({ width: w, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await tab.emulateMedia({ colorScheme: scheme });
      await expectAccessible(tab, `sign-up link question ${tag} ${scheme}`);
      await saveScreenshot(tab, `signup-link-${tag}-${scheme}`);
    }
  }
  // Continuing says nothing of an address either.
  await tab.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(signupForm(tab).heading).toHaveText('Choose a password');
  await expect(tab.getByText('you@example.com')).toHaveCount(0);
  await tab.close();

  // A link pasted into the address bar of the tab whose sign-up it is needs no question.
  const mine = await context.newPage();
  const own = codeOf(await startSignup(mine, unknownEmail()));
  const sent = mine.waitForRequest(isSignup);
  await mine.goto(own.link);
  expect((await sent).postDataJSON()).toMatchObject({ confirmation_code: own.code });
  await expect(signupForm(mine).heading).toHaveText('Choose a password');
  await mine.close();
});

test('a wrong code is said next to the field and kept; an expired code says so; Send again cools down for 30 s and sends a new code', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, SIGNUP_API), 'wrong and expired codes are refused with 422 on purpose');
  await page.clock.install();
  const address = unknownEmail();
  const form = signupForm(page);
  const first = await startSignup(page, address);
  const right = codeOf(first).code;
  const wrong = right === '000000' ? '111111' : '000000';

  await form.code.fill(wrong);
  await form.verify.click();
  await expect(page.getByText(fieldError("That code isn't right. Check the latest email from us and try again."))).toBeVisible();
  await expect(form.code).toHaveValue(wrong);
  await expect(form.code).toBeFocused();

  // Letters are refused before any request.
  await form.code.fill('12ab56');
  let sent = false;
  page.on('request', (r) => (sent ||= isSignup(r)));
  await form.verify.click();
  await expect(page.getByText(fieldError('Enter the 6 digits from the email.'))).toBeVisible();
  expect(sent).toBe(false);

  await expect(sendAgainButton(page)).toBeDisabled();
  await expect(sendAgainButton(page)).toHaveText(/^Send again in \d+ s$/);

  // The code expires after 10 minutes.
  await advanceClock(page.request, 601);
  await form.code.fill(right);
  await form.verify.click();
  await expect(page.getByText(fieldError('That code has expired. Send yourself a new one.'))).toBeVisible();

  // After the cooldown, Send again mails a new code, which works.
  await page.clock.runFor(31_000);
  await expect(sendAgainButton(page)).toHaveText('Send again');
  await expect(sendAgainButton(page)).toBeEnabled();
  const before = await emailsTo(page.request, address);
  await sendAgainButton(page).click();
  await expectAlert(page, `We sent a new code to ${address}. Only the newest code works.`);
  const second = await waitForEmail(page.request, address, { subject: CODE_SUBJECT, notIn: before });
  await form.code.fill(codeOf(second).code);
  await form.verify.click();
  await expect(form.heading).toHaveText('Choose a password');
});

test('an address that already has an account gets the same answer (no enumeration), and its owner gets a notice, not a code', async ({ page, sim }) => {
  const existing = await sim.createAccount();
  const fresh = unknownEmail();
  const statuses: number[] = [];
  await page.goto('/#/signup');
  for (const address of [existing.email, fresh]) {
    if (address === fresh) await page.getByRole('button', { name: 'Use a different email' }).click();
    await signupForm(page).email.fill(address);
    const answered = page.waitForResponse((r) => isSignup(r.request()));
    await signupForm(page).sendCode.click();
    const res = await answered;
    statuses.push(res.status());
    expect(Object.keys((await res.json()).data)).toEqual(['uuid']);
    await expect(page.getByText(`We sent a 6-digit code to ${address}. It works for 10 minutes.`)).toBeVisible();
  }
  expect(statuses).toEqual([200, 200]);
  await waitForEmail(page.request, existing.email, { subject: EXISTING_SUBJECT });
  expect((await emailsTo(page.request, existing.email)).filter((e) => e.subject === CODE_SUBJECT)).toEqual([]);
});

test('a VPN sign-up (202) asks for a note, then ends "under review" without signing in', async ({ page }) => {
  const address = `vpn-${Date.now()}@vpn.example.com`;
  const form = signupForm(page);
  await page.goto('/#/register');
  await expect(form.heading).toHaveText('Create your Gigalixir account');
  await form.email.fill(address);
  const answered = page.waitForResponse((r) => isSignup(r.request()));
  await form.sendCode.click();
  expect((await answered).status()).toBe(202);
  await expect(form.heading).toHaveText('Tell us a little about you');
  await expect(page.getByText(/comes through a VPN or proxy/)).toBeVisible();
  const note = page.getByRole('textbox', { name: 'What will you use Gigalixir for?' });
  await form.cont.click();
  await expect(page.getByText(fieldError('Write a sentence or two for the reviewer.'))).toBeVisible();
  await note.fill('A side project: a Phoenix app for my chess club.');
  await form.cont.click();
  await expect(form.heading).toHaveText('Check your email');
  const email = await waitForEmail(page.request, address, { subject: CODE_SUBJECT });
  await form.code.fill(codeOf(email).code);
  await form.verify.click();
  await form.password.fill('Correct horse battery 9');
  await form.cont.click();
  const finished = page.waitForResponse((r) => isSignup(r.request()) && r.request().postDataJSON().tier === 'FREE');
  await form.create.click();
  expect((await finished).status()).toBe(202);
  await expect(form.heading).toHaveText("Thanks! We're reviewing your sign-up");
  await expect(page.getByText(`We'll email ${address} once your account is ready`, { exact: false })).toBeVisible();
  expect(await storedSessions(page)).toEqual([null, null]);
  await expect(page.getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', `#/login?email=${encodeURIComponent(address)}`);
});

test('429 on sign-up says when to try again and keeps the typed email; bad emails are caught before sending', async ({ page, sim, browserErrors }) => {
  browserErrors.allow(failedStatus(429, SIGNUP_API), 'the 429 is injected on purpose');
  const form = signupForm(page);
  await page.goto('/#/signup');
  await form.email.fill('not-an-email');
  await form.sendCode.click();
  await expect(page.getByText(fieldError('Enter a valid email address, like name@example.com.'))).toBeVisible();

  await sim.addFault({ path: SIGNUP_API, kind: 'status', status: 429, retry_after: 20, times: 1 });
  const address = unknownEmail();
  await form.email.fill(address);
  await form.sendCode.click();
  await expectAlert(page, 'Too many attempts. Try again in 20 seconds.');
  await expect(form.email).toHaveValue(address);
  await form.sendCode.click();
  await expect(form.heading).toHaveText('Check your email');
});

test('links between sign-in and sign-up carry the typed email', async ({ page }) => {
  await page.goto('/#/login');
  await loginForm(page).email.fill('carry@example.com');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/#\/signup\?email=carry%40example.com$/);
  await expect(signupForm(page).email).toHaveValue('carry@example.com');
  await signupForm(page).email.fill('changed@example.com');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(loginForm(page).email).toHaveValue('changed@example.com');
});

test('sign-up keyboard only: Tab, typing and Enter from the email to the account', async ({ page }) => {
  const address = unknownEmail();
  await page.goto('/#/signup');
  await expect(signupForm(page).heading).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(signupForm(page).email).toBeFocused();
  await page.keyboard.type(address);
  await page.keyboard.press('Enter');
  const email = await waitForEmail(page.request, address, { subject: CODE_SUBJECT });
  await expect(signupForm(page).code).toBeFocused();
  await page.keyboard.type(codeOf(email).code);
  await page.keyboard.press('Enter');
  await expect(signupForm(page).password).toBeFocused();
  await page.keyboard.type('Correct horse battery 9');
  await page.keyboard.press('Enter');
  await expect(signupForm(page).heading).toHaveText('Choose your plan');
  // Focus starts on the heading; Tab reaches the plan choice first.
  await page.keyboard.press('Tab');
  await expect(signupForm(page).free).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/account$/);
});

test('sign-up pages are accessible and screenshotted', async ({ page }) => {
  const address = unknownEmail();
  for (const [w, h, tag] of [
    [1280, 900, 'desktop'],
    [375, 800, 'mobile'],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/#/signup');
      await expect(signupForm(page).heading).toHaveText('Create your Gigalixir account');
      await expectAccessible(page, `sign-up email ${tag} ${scheme}`);
      await saveScreenshot(page, `signup-email-${tag}-${scheme}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  const email = await startSignup(page, address);
  await expectAccessible(page, 'sign-up code');
  await saveScreenshot(page, 'signup-code-desktop-light');
  await signupForm(page).code.fill(codeOf(email).code);
  await signupForm(page).verify.click();
  await signupForm(page).password.fill('tkvb mzqr wpln');
  await expectAccessible(page, 'sign-up password');
  await saveScreenshot(page, 'signup-password-desktop-light');
  await signupForm(page).cont.click();
  await expect(signupForm(page).heading).toHaveText('Choose your plan');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await saveScreenshot(page, `signup-plan-desktop-${scheme}`);
  }
  await page.setViewportSize({ width: 375, height: 800 });
  await saveScreenshot(page, 'signup-plan-mobile-dark');
});

/** Goes from a fresh address to the plan step. */
async function toPlanStep(page: Page, address: string) {
  const email = await startSignup(page, address);
  const form = signupForm(page);
  await form.code.fill(codeOf(email).code);
  await form.verify.click();
  await form.password.fill('Correct horse battery 9');
  await form.cont.click();
  await expect(form.heading).toHaveText('Choose your plan');
}

function cardInputs(page: Page) {
  return {
    number: page.getByLabel('Card number'),
    expiry: page.getByLabel('Expiry (MM / YY)'),
    cvc: page.getByLabel('CVC'),
  };
}

const isStripeJs = (url: string) => new URL(url).pathname.startsWith('/__sim/stripe/v3');

test('Standard with a promo code: the promo selects Standard, Stripe.js loads only on the card step, a declined card is said by the card, a good one signs in', async ({ page, browserErrors }) => {
  browserErrors.allow(failedStatus(422, SIGNUP_API), 'the unknown promo and the declined card are refused with 422 on purpose');
  const stripeRequests: string[] = [];
  page.on('request', (r) => {
    if (isStripeJs(r.url())) stripeRequests.push(r.url());
  });
  const address = unknownEmail();
  const form = signupForm(page);
  await toPlanStep(page, address);

  // An unknown promo is said next to its field; Enter in the field applies it.
  await form.promo.fill('nope');
  await form.promo.press('Enter');
  await expect(page.getByText(fieldError("That promo code isn't valid. Check it, or leave the field empty."))).toBeVisible();
  await expect(form.promo).toHaveValue('nope');
  const applied = page.waitForRequest((r) => isSignup(r) && 'promo_code' in r.postDataJSON());
  await form.promo.fill(' welcome10 ');
  await form.apply.click();
  expect((await applied).postDataJSON().promo_code).toBe('WELCOME10');
  await expectStatus(page, 'WELCOME10 applied: $10 credit for your first month. Promo codes come with the Standard plan.');
  await expect(form.standard).toBeChecked();
  await expect(form.free).toBeDisabled();
  expect(stripeRequests, 'Stripe.js before the card step').toEqual([]);

  await form.cont.click();
  await expect(form.heading).toHaveText('Add a card for Standard');
  await expect(form.progress).toHaveText('Step 5 of 5');
  const card = cardInputs(page);
  await expect(card.number).toBeVisible();
  expect(stripeRequests).toHaveLength(1);
  await expectAccessible(page, 'sign-up card step');
  await saveScreenshot(page, 'signup-card-desktop-light');

  // Unfinished card: Stripe's own words, nothing sent.
  let sent = 0;
  page.on('request', (r) => (sent += isSignup(r) ? 1 : 0));
  await card.number.fill('4242 4242');
  await form.create.click();
  await expect(page.getByText(/^(⚠ )?Your card number is incomplete\.$/)).toBeVisible();
  expect(sent).toBe(0);

  // The declined test card tokenises, and the API refuses it.
  await card.number.fill('4000 0000 0000 0002');
  await card.expiry.fill('12 / 34');
  await card.cvc.fill('123');
  await form.create.click();
  await expect(page.getByText(/^(⚠ )?Your card was declined\.$/)).toBeVisible();
  await expect(card.number).toHaveValue('4000 0000 0000 0002');

  await card.number.fill('4242 4242 4242 4242');
  await expect(page.getByText(/Your card was declined/)).toHaveCount(0);
  await card.cvc.press('Enter');
  await expect(page).toHaveURL(/#\/account$/);
  await expectStatus(page, 'Welcome to Gigalixir! Your account is ready.');
  await expect.poll(async () => (await page.getByRole('definition').allInnerTexts()).slice(0, 3)).toEqual([address, 'Standard', '$10.00']);
  // Leaving the card page took Stripe.js with it: nothing more was fetched.
  expect(stripeRequests).toHaveLength(1);
});

test('Standard without a promo: Back to plans keeps the choice, and Free stays possible', async ({ page }) => {
  const form = signupForm(page);
  await toPlanStep(page, unknownEmail());
  await form.standard.check();
  await form.cont.click();
  await expect(form.heading).toHaveText('Add a card for Standard');
  await page.getByRole('button', { name: 'Back to plans' }).click();
  await expect(form.heading).toHaveText('Choose your plan');
  await expect(form.standard).toBeChecked();
  await form.free.check();
  await form.create.click();
  await expect(page).toHaveURL(/#\/account$/);
});
