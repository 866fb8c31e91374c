import crypto from 'node:crypto';
import type { APIRequestContext, Locator, Page, Request } from '@playwright/test';
import { unknownEmail, waitForEmail, waitForResetLink } from './email';
import {
  type Account,
  type BrowserErrors,
  type Fault,
  type Sim,
  expect,
  loginForm,
  mfaForm,
  resendSentText,
  resetSentText,
  ed25519,
  storedSessions,
  submitLogin,
  test,
  totp,
} from './fixtures';

// Issue 6: the fault matrix. Every API call the console makes (rows) × every fault the
// simulator can inject (columns), one generated test per cell, named "<row> × <fault>".
//
// A cell passes when:
// - nothing panics: the browserErrors fixture fails the test on any console error or page
//   error, except Chromium's own "Failed to load resource" line for the faulted call;
// - an honest message is shown: the console's exact words for that fault (src/messages.rs);
// - what the user typed is still there;
// - once the fault is removed, doing it again (or "Try again") works.
// Latency cells instead check the pending state (the button says so and is disabled, and a
// second click, Enter or form submit sends nothing), then that the call completes; 401 cells
// check that the session ends onto sign-in with the notice and a `next` back to the page,
// and that the page works after signing in again (what was typed there is necessarily gone).

const LATENCY_MS = 5_000;
const RETRY_AFTER = 2;
const SESSION_ENDED = 'Your session has ended. Please sign in again.';
const TEXT = {
  server: 'Gigalixir had a problem (error 500). Please try again in a moment.',
  rateLimited: `Too many attempts. Try again in ${RETRY_AFTER} seconds.`,
  malformed: "Gigalixir sent a response the console couldn't read. Please try again.",
  network: "Can't reach Gigalixir. Check your connection and try again.",
};

type FaultId = 'latency' | '500' | '429' | 'malformed' | 'drop' | '401';

interface FaultColumn {
  id: FaultId;
  label: string;
  /** The fault for a call; `repeat` keeps it until cleared (for calls the console retries by itself). */
  fault(call: Call, repeat: boolean): Fault;
  /** What the user is told (none for latency and 401, which are checked differently). */
  text?: string;
}

interface Call {
  method: string;
  /** Exact path, or a prefix ending in `*` (the simulator's fault syntax). */
  path: string;
}

const FAULTS: FaultColumn[] = [
  { id: 'latency', label: '5 s latency', fault: (c) => ({ ...c, kind: 'latency', latency_ms: LATENCY_MS, times: 1 }) },
  { id: '500', label: '500', text: TEXT.server, fault: (c, repeat) => ({ ...c, kind: 'status', status: 500, ...(repeat ? {} : { times: 1 }) }) },
  {
    id: '429',
    label: '429 Retry-After',
    text: TEXT.rateLimited,
    fault: (c, repeat) => ({ ...c, kind: 'status', status: 429, retry_after: RETRY_AFTER, ...(repeat ? {} : { times: 1 }) }),
  },
  { id: 'malformed', label: 'malformed JSON', text: TEXT.malformed, fault: (c, repeat) => ({ ...c, kind: 'malformed', ...(repeat ? {} : { times: 1 }) }) },
  // Kept until cleared: Chromium may resend a request whose reused connection closed unanswered.
  { id: 'drop', label: 'dropped connection', text: TEXT.network, fault: (c) => ({ ...c, kind: 'drop' }) },
  { id: '401', label: '401 mid-session', fault: (c) => ({ ...c, kind: 'status', status: 401 }) },
];

/** What one cell works with; `typed` remembers what the test typed, for the checks. */
interface Cell {
  page: Page;
  sim: Sim;
  request: APIRequestContext;
  /** The row's account (a placeholder for rows that need none). */
  account: Account;
  typed: Record<string, string>;
  popup?: Page;
}

interface Row {
  /** "A6 change password". */
  id: string;
  call: Call;
  /** Signed in before `prepare` (with `account`); its 401 ends the session. */
  signedIn: boolean;
  /** The route the call is made from, for the 401's `next` (signed-in rows). */
  route?: string;
  /** Faults that make no sense here, with the reason. */
  na?: Partial<Record<FaultId, string>>;
  /** The account this row uses (shared across the row's cells where no cell can spoil it). */
  account?(request: APIRequestContext): Promise<Account>;
  /** From a fresh page (signed in when `signedIn`): go to the page and type what the user would. */
  prepare(cell: Cell): Promise<void>;
  /** The user's action that makes the call. */
  act(cell: Cell): Promise<void>;
  /** A load, not a submit: nothing is typed, and after a 401 signing in again loads it. */
  load?: boolean;
  /** The control that sends, which must show `pendingText` and be disabled while waiting. */
  button?(page: Page): Locator;
  pendingText?: string;
  /** What shows while waiting, when there is no such button (loads, Google's wait). */
  waiting?(page: Page): Locator;
  /** The calls repeat by design (polling): the one-request check doesn't apply. */
  repeats?: boolean;
  /** Where the fault's message is said (default: the page's alert region holding it). */
  message?(page: Page, text: string): Locator;
  /** What the user typed is still there (absent when nothing is typed). */
  typedKept?(cell: Cell): Promise<void>;
  /** After the fault is cleared (default: `act` again). */
  retry?(cell: Cell): Promise<void>;
  /** The call has succeeded and the page shows it. */
  success(cell: Cell): Promise<void>;
}

// ------------------------------------------------------------------ helpers

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathPattern = (path: string) => (path.endsWith('*') ? `${escapeRegExp(path.slice(0, -1))}[^?]*` : escapeRegExp(path));
const pathMatches = (path: string, pattern: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern);
const isCall = (call: Call) => (r: Request) => r.method() === call.method && pathMatches(new URL(r.url()).pathname, call.path);

/** Chromium's console line for the faulted call (status or dropped connection), allowed for this cell only. */
function allowFaultLine(errors: BrowserErrors, row: Row, fault: FaultColumn) {
  const target = `@ http://[^/]+${pathPattern(row.call.path)}(\\?.*)?$`;
  if (fault.id === 'drop') {
    errors.allow(new RegExp(`^console\\.error: Failed to load resource: net::ERR_[A-Z_]+ ${target}`), `${row.id}: the connection is dropped on purpose`);
  } else if (fault.id === '500' || fault.id === '429' || fault.id === '401') {
    const status = fault.id;
    errors.allow(
      new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status} \\(.*\\) ${target}`),
      `${row.id}: the simulator answers ${status} on purpose`,
    );
  }
}

let counter = 0;
const unique = (tag: string) => `${tag}-${process.pid}-${Date.now()}-${++counter}`;
const freshPassword = () => `pw-${crypto.randomBytes(6).toString('hex')}`;

interface AccountOptions {
  mfa?: boolean;
  /** Visa 4242 on file. */
  card?: boolean;
  free?: boolean;
  apps?: string[];
  /** Each app gets a domain `www.<app>.example.com` and a database. */
  addons?: boolean;
  /** Public keys added through the API (A25) once the account exists. */
  sshKeys?: string[];
}

/** A fresh Standard account (unless `free`), MFA off unless asked. */
async function newAccount(request: APIRequestContext, opts: AccountOptions = {}): Promise<Account> {
  const res = await request.post('/__sim/accounts', {
    data: {
      email: `${unique('fm')}@example.com`,
      password: freshPassword(),
      tier: opts.free ? 'FREE' : 'STANDARD',
      credit_cents: 4207,
      mfa: opts.mfa ?? false,
      card: opts.card ?? false,
      apps: opts.apps ?? [],
      addons: opts.addons ?? false,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const account = (await res.json()) as Account;
  const auth = `Basic ${Buffer.from(`${account.email}:${account.api_key}`).toString('base64')}`;
  for (const line of opts.sshKeys ?? []) {
    const added = await request.post('/api/ssh_keys', { headers: { Authorization: auth }, data: { ssh_key: line } });
    expect(added.status(), await added.text()).toBe(201);
  }
  return account;
}

/** An app name the simulator accepts, unique across runs. */
const appName = () => unique('fm-app').toLowerCase();

/** One account per row, for rows whose cells can't spoil it (module state: a new worker makes a new one). */
const sharedAccounts = new Map<string, Account>();
const shared =
  (key: string, opts: AccountOptions = {}) =>
  async (request: APIRequestContext) => {
    let account = sharedAccounts.get(key);
    if (!account) {
      account = await newAccount(request, opts);
      sharedAccounts.set(key, account);
    }
    return account;
  };
const fresh =
  (opts: AccountOptions | (() => AccountOptions) = {}) =>
  (request: APIRequestContext) =>
    newAccount(request, typeof opts === 'function' ? opts() : opts);

/** On the sign-in form: signs in, with a recovery code when the account has MFA (each used once). */
async function signInHere(page: Page, account: Account) {
  await submitLogin(page, account);
  if (account.totp_secret) {
    const mfa = mfaForm(page);
    await expect(mfa.heading).toBeVisible();
    await mfa.useRecovery.click();
    const code = account.recovery_codes.shift();
    expect(code, 'a recovery code left').toBeTruthy();
    await mfa.recoveryCode.fill(code!);
    await mfa.verify.click();
  }
}

/** Signs in from #/login and waits for the profile (so its A5 call is over). */
async function signIn(page: Page, account: Account) {
  await page.goto('/#/login');
  await signInHere(page, account);
  await expect(page).toHaveURL(/#\/account$/);
  await expect(page.getByRole('region', { name: 'Change password' })).toBeVisible();
}

/** In-app navigation to `route` (a hash change, as a link does). */
async function goTo(page: Page, route: string) {
  await page.evaluate((hash) => {
    if (location.hash !== hash) location.hash = hash;
  }, `#${route}`);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const alertWith = (page: Page, text: string) => page.getByRole('alert').filter({ hasText: text });
const statusWith = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });
const region = (page: Page, name: string) => page.getByRole('region', { name });
const dialog = (page: Page) => page.getByRole('dialog');

/** Opens the steps dialog of the account's one app on `route` and types the app's name. */
async function openSteps(cell: Cell, route = '/account/stop-charges') {
  await goTo(cell.page, route);
  const row = region(cell.page, 'Your apps').getByRole('listitem');
  await expect(row).toHaveCount(1);
  cell.typed.name = (await row.locator('strong').textContent())!;
  await row.getByRole('button', { name: `Stop charges ${cell.typed.name}` }).click();
  await dialog(cell.page).getByRole('textbox', { name: "Type the app's name to confirm" }).fill(cell.typed.name);
}

/** The steps dialog is still open with the app's name typed. */
async function typedNameKept({ page, typed }: Cell) {
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).getByRole('textbox', { name: "Type the app's name to confirm" })).toHaveValue(typed.name);
}

function cardInputs(page: Page) {
  return { number: page.getByLabel('Card number'), expiry: page.getByLabel('Expiry (MM / YY)'), cvc: page.getByLabel('CVC') };
}

const promoField = (page: Page) => page.getByRole('textbox', { name: 'Promo code (optional)', exact: true });

function mfaPage(page: Page) {
  return {
    status: page.locator('#mfa-status'),
    turnOn: page.getByRole('button', { name: 'Turn on two-factor authentication', exact: true }),
    busyTurnOn: page.locator('button.s-off'),
    newCodes: page.getByRole('button', { name: 'Get new recovery codes', exact: true }),
    turnOff: page.getByRole('button', { name: 'Turn off two-factor authentication', exact: true }),
    setupHeading: page.getByRole('heading', { level: 2, name: 'Set up your authenticator app', exact: true }),
    cantScan: page.getByText("Can't scan it?", { exact: true }),
    secret: page.locator('dd code.secret'),
    code: page.getByRole('textbox', { name: 'Authentication code', exact: true }),
    verify: page.locator('.s-setup form button[type=submit]'),
    codesHeading: page.getByRole('heading', { level: 2, name: 'Save your recovery codes', exact: true }),
    password: dialog(page).getByLabel('Current password', { exact: true }),
    confirm: dialog(page).locator('button[type=submit]'),
  };
}

/** Opens the MFA tab and waits for its status (A5 answered). */
async function openMfa(page: Page, on: boolean) {
  await goTo(page, '/account/mfa');
  await expect(mfaPage(page).status).toHaveAccessibleName(`Two-factor authentication is ${on ? 'on' : 'off'}`);
}

/** "Continue with Google": clicks it and keeps the popup it opens. */
async function continueWithGoogle(cell: Cell) {
  const opened = cell.page.waitForEvent('popup');
  await cell.page.getByRole('button', { name: 'Continue with Google', exact: true }).click();
  cell.popup = await opened;
}

/** Consents in the popup (once it shows Google's stand-in) and waits for the account page. */
async function consentAndLand(cell: Cell) {
  const popup = cell.popup!;
  await expect(popup.getByRole('heading', { name: 'Sign in with Google (simulator)' })).toBeVisible({ timeout: LATENCY_MS + 10_000 });
  await popup.getByLabel('Google account email').fill(cell.account.email);
  await popup.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(cell.page).toHaveURL(/#\/account$/, { timeout: LATENCY_MS + 10_000 });
  await expect(heading(cell.page, 'Profile')).toBeVisible();
}

/** Fills the sign-in page's email (typed before Google, kept through its failures). */
async function typeLoginEmail(cell: Cell) {
  await cell.page.goto('/#/login');
  cell.typed.email = cell.account.email;
  await loginForm(cell.page).email.fill(cell.typed.email);
}

const signupCode = async (cell: Cell, address: string) => {
  const email = await waitForEmail(cell.request, address, { subject: 'Your Gigalixir sign-up code' });
  const code = /^\s*(\d{6})\s*$/m.exec(email.body)?.[1];
  expect(code, email.body).toBeTruthy();
  return code!;
};

/** Sign-up from the email to the password step, for a new address (remembered in `typed.email`). */
async function signupToPassword(cell: Cell) {
  const page = cell.page;
  await page.goto('/#/signup');
  cell.typed.email = unknownEmail();
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(cell.typed.email);
  await page.getByRole('button', { name: 'Email me a code', exact: true }).click();
  await expect(heading(page, 'Check your email')).toBeVisible();
  await page.getByRole('textbox', { name: '6-digit code', exact: true }).fill(await signupCode(cell, cell.typed.email));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(heading(page, 'Choose a password')).toBeVisible();
}

/** Sign-up on to the plan step. */
async function signupToPlan(cell: Cell) {
  await signupToPassword(cell);
  await cell.page.getByLabel('Password', { exact: true }).fill(freshPassword());
  await cell.page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(heading(cell.page, 'Choose your plan')).toBeVisible();
}

const signupPromo = (page: Page) => page.getByRole('textbox', { name: 'Promo code (optional)', exact: true });

/** How a page's load shows it is waiting and is tried again: the status line and Try again. */
const reloads: Pick<Row, 'waiting' | 'retry'> = {
  waiting: (page) => statusWith(page, 'Loading…'),
  retry: async ({ page }) => page.getByRole('button', { name: 'Try again', exact: true }).click(),
};

/** A row for an MFA action confirmed by password in the dialog that `open` opens (fresh MFA account per cell). */
function mfaDialogRow(r: { id: string; call: Call; open(page: Page): Locator; success(page: Page): Promise<void> }): Row {
  return {
    id: r.id,
    call: r.call,
    signedIn: true,
    route: '/account/mfa',
    account: fresh({ mfa: true }),
    async prepare({ page, account }) {
      await openMfa(page, true);
      await r.open(page).click();
      await expect(dialog(page)).toBeVisible();
      await mfaPage(page).password.fill(account.password);
    },
    act: async ({ page }) => mfaPage(page).confirm.click(),
    button: (page) => mfaPage(page).confirm,
    pendingText: 'Please wait…',
    message: (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }),
    async typedKept({ page, account }) {
      await expect(dialog(page)).toBeVisible();
      await expect(mfaPage(page).password).toHaveValue(account.password);
    },
    async success({ page }) {
      await expect(dialog(page)).toBeHidden();
      await r.success(page);
    },
  };
}

// ------------------------------------------------------------------ the rows

const PUBLIC_401 = 'public endpoint: no session to end (a 401 here is an unexpected status, mapped by the unit tests)';
const LOGIN_401 = "a 401 from sign-in means a wrong email or password, not an ended session (sign-in.spec.ts: 'wrong password')";

const ROWS: Row[] = [
  {
    id: 'A1 sign-in',
    call: { method: 'GET', path: '/api/login' },
    signedIn: false,
    na: { '401': LOGIN_401 },
    account: shared('A1'),
    async prepare(cell) {
      await cell.page.goto('/#/login');
      const form = loginForm(cell.page);
      await form.email.fill(cell.account.email);
      await form.password.fill(cell.account.password);
    },
    act: async ({ page }) => loginForm(page).submit.click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Signing in…',
    async typedKept({ page, account }) {
      await expect(loginForm(page).email).toHaveValue(account.email);
      await expect(loginForm(page).password).toHaveValue(account.password);
    },
    async success({ page }) {
      await expect(page).toHaveURL(/#\/account$/);
      await expect(heading(page, 'Profile')).toBeVisible();
    },
  },
  {
    id: 'A1 sign-in, MFA code',
    call: { method: 'GET', path: '/api/login' },
    signedIn: false,
    na: { '401': LOGIN_401 },
    // Fresh per cell: an accepted code's step can't be used again on that account.
    account: fresh({ mfa: true }),
    async prepare(cell) {
      await cell.page.goto('/#/login');
      await submitLogin(cell.page, cell.account);
      await expect(mfaForm(cell.page).heading).toBeVisible();
      cell.typed.code = totp(cell.account.totp_secret!);
      await mfaForm(cell.page).code.fill(cell.typed.code);
    },
    act: async ({ page }) => mfaForm(page).verify.click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Verifying…',
    typedKept: async ({ page, typed }) => expect(mfaForm(page).code).toHaveValue(typed.code),
    async success({ page }) {
      await expect(page).toHaveURL(/#\/account$/);
      await expect(heading(page, 'Profile')).toBeVisible();
    },
  },
  {
    id: 'A2 Google start',
    call: { method: 'POST', path: '/api/oauth/google' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    account: shared('A2'),
    prepare: typeLoginEmail,
    act: continueWithGoogle,
    // The button gives way to the wait (with Cancel): there is nothing to press twice.
    waiting: (page) => statusWith(page, 'Waiting for Google… Finish in the window that opened.'),
    typedKept: async ({ page, typed }) => expect(loginForm(page).email).toHaveValue(typed.email),
    success: consentAndLand,
  },
  {
    id: 'A3 Google poll',
    call: { method: 'GET', path: '/api/oauth/google/*' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    account: shared('A3'),
    prepare: typeLoginEmail,
    async act(cell) {
      await continueWithGoogle(cell);
      await expect(cell.popup!.getByRole('heading', { name: 'Sign in with Google (simulator)' })).toBeVisible();
    },
    // The console polls every 2 s and says so after 3 failures in a row: the fault stays on.
    repeats: true,
    waiting: (page) => statusWith(page, 'Waiting for Google… Finish in the window that opened.'),
    typedKept: async ({ page, typed }) => expect(loginForm(page).email).toHaveValue(typed.email),
    success: consentAndLand,
  },
  {
    id: 'A4 sign-up, email step',
    call: { method: 'POST', path: '/api/signup' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await cell.page.goto('/#/signup');
      cell.typed.email = unknownEmail();
      await cell.page.getByRole('textbox', { name: 'Email', exact: true }).fill(cell.typed.email);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Email me a code', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Sending…',
    typedKept: async ({ page, typed }) => expect(page.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue(typed.email),
    async success({ page, typed }) {
      await expect(heading(page, 'Check your email')).toBeVisible();
      await expect(page.getByText(`We sent a 6-digit code to ${typed.email}. It works for 10 minutes.`)).toBeVisible();
    },
  },
  {
    id: 'A4 sign-up, code step',
    call: { method: 'POST', path: '/api/signup' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await cell.page.goto('/#/signup');
      const address = unknownEmail();
      await cell.page.getByRole('textbox', { name: 'Email', exact: true }).fill(address);
      await cell.page.getByRole('button', { name: 'Email me a code', exact: true }).click();
      await expect(heading(cell.page, 'Check your email')).toBeVisible();
      cell.typed.code = await signupCode(cell, address);
      await cell.page.getByRole('textbox', { name: '6-digit code', exact: true }).fill(cell.typed.code);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Verify', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Verifying…',
    typedKept: async ({ page, typed }) => expect(page.getByRole('textbox', { name: '6-digit code', exact: true })).toHaveValue(typed.code),
    success: async ({ page }) => expect(heading(page, 'Choose a password')).toBeVisible(),
  },
  {
    id: 'A4 sign-up, password step',
    call: { method: 'POST', path: '/api/signup' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await signupToPassword(cell);
      cell.typed.password = freshPassword();
      await cell.page.getByLabel('Password', { exact: true }).fill(cell.typed.password);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Continue', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Saving…',
    typedKept: async ({ page, typed }) => expect(page.getByLabel('Password', { exact: true })).toHaveValue(typed.password),
    success: async ({ page }) => expect(heading(page, 'Choose your plan')).toBeVisible(),
  },
  {
    id: 'A4 sign-up, promo code',
    call: { method: 'POST', path: '/api/signup' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await signupToPlan(cell);
      cell.typed.promo = 'welcome10';
      await signupPromo(cell.page).fill(cell.typed.promo);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Apply', exact: true }).click(),
    // Apply keeps its word while waiting (the form's own button says nothing either way).
    button: (page) => page.getByRole('button', { name: 'Apply', exact: true }),
    typedKept: async ({ page, typed }) => expect(signupPromo(page)).toHaveValue(typed.promo),
    async success({ page }) {
      await expect(statusWith(page, 'WELCOME10 applied: $10 credit for your first month.')).toBeVisible();
      await expect(page.getByRole('radio', { name: /^Standard/ })).toBeChecked();
    },
  },
  {
    id: 'A4 sign-up, Free plan',
    call: { method: 'POST', path: '/api/signup' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    prepare: signupToPlan,
    act: async ({ page }) => page.getByRole('button', { name: 'Create my account', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Creating your account…',
    typedKept: async ({ page }) => expect(page.getByRole('radio', { name: /^Free/ })).toBeChecked(),
    async success({ page, typed }) {
      await expect(page).toHaveURL(/#\/account$/);
      await expect(page.getByRole('definition').first()).toHaveText(typed.email);
    },
  },
  {
    id: 'A5 profile load',
    call: { method: 'GET', path: '/api/users' },
    signedIn: true,
    route: '/account/profile',
    load: true,
    account: shared('A5'),
    // From another tab (its own page makes no call), so that Profile loads afresh.
    async prepare({ page }) {
      await nav(page, 'API key').click();
      await expect(heading(page, 'API key')).toBeVisible();
    },
    act: async ({ page }) => nav(page, 'Profile').click(),
    ...reloads,
    async success({ page, account }) {
      await expect(page.getByRole('definition').first()).toHaveText(account.email);
      await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
    },
  },
  {
    id: 'A6 change password',
    call: { method: 'PATCH', path: '/api/users/change_password' },
    signedIn: true,
    route: '/account',
    // Shared: each success changes the password, and the row remembers the new one.
    account: shared('A6'),
    async prepare(cell) {
      const form = region(cell.page, 'Change password');
      cell.typed.next = freshPassword();
      await form.getByLabel('Current password', { exact: true }).fill(cell.account.password);
      await form.getByLabel('New password', { exact: true }).fill(cell.typed.next);
      await form.getByLabel('Confirm new password', { exact: true }).fill(cell.typed.next);
    },
    act: async ({ page }) => region(page, 'Change password').getByRole('button', { name: 'Change password' }).click(),
    button: (page) => region(page, 'Change password').locator('button[type=submit]'),
    pendingText: 'Changing password…',
    async typedKept({ page, account, typed }) {
      const form = region(page, 'Change password');
      await expect(form.getByLabel('Current password', { exact: true })).toHaveValue(account.password);
      await expect(form.getByLabel('New password', { exact: true })).toHaveValue(typed.next);
      await expect(form.getByLabel('Confirm new password', { exact: true })).toHaveValue(typed.next);
    },
    async success({ page, account, typed }) {
      await expect(region(page, 'Change password').getByRole('status')).toHaveText('Password changed.');
      account.password = typed.next;
    },
  },
  {
    id: 'A7 reset request',
    call: { method: 'PUT', path: '/api/users/reset_password' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await cell.page.goto('/#/password/reset');
      cell.typed.email = unknownEmail();
      await cell.page.getByRole('textbox', { name: 'Email', exact: true }).fill(cell.typed.email);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Send reset link', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Sending…',
    typedKept: async ({ page, typed }) => expect(page.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue(typed.email),
    success: async ({ page, typed }) => expect(statusWith(page, resetSentText(typed.email))).toBeVisible(),
  },
  {
    id: 'A8 set password from the emailed link',
    call: { method: 'POST', path: '/api/users/reset_password' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    // Fresh per cell: each needs its own reset token, and success changes the password.
    account: fresh(),
    async prepare(cell) {
      const res = await cell.request.put('/api/users/reset_password', { data: { email: cell.account.email } });
      expect(res.status()).toBe(200);
      await cell.page.goto(await waitForResetLink(cell.request, cell.account.email));
      await expect(heading(cell.page, 'Choose a new password')).toBeVisible();
      cell.typed.password = freshPassword();
      await cell.page.getByLabel('New password', { exact: true }).fill(cell.typed.password);
      await cell.page.getByLabel('Confirm new password', { exact: true }).fill(cell.typed.password);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Change password', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Changing password…',
    async typedKept({ page, typed }) {
      await expect(page.getByLabel('New password', { exact: true })).toHaveValue(typed.password);
      await expect(page.getByLabel('Confirm new password', { exact: true })).toHaveValue(typed.password);
    },
    async success({ page }) {
      await expect(page).toHaveURL(/#\/login$/);
      await expect(statusWith(page, 'Password changed. Please sign in with your new password.')).toBeVisible();
    },
  },
  {
    id: 'A9 resend confirmation',
    call: { method: 'PUT', path: '/api/users/reconfirm_email' },
    signedIn: false,
    na: { '401': PUBLIC_401 },
    async prepare(cell) {
      await cell.page.goto('/#/confirmation/resend');
      cell.typed.email = unknownEmail();
      await cell.page.getByRole('textbox', { name: 'Email', exact: true }).fill(cell.typed.email);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Send confirmation email', exact: true }).click(),
    button: (page) => page.locator('form button[type=submit]'),
    pendingText: 'Sending…',
    typedKept: async ({ page, typed }) => expect(page.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue(typed.email),
    success: async ({ page, typed }) => expect(statusWith(page, resendSentText(typed.email))).toBeVisible(),
  },
  {
    id: 'A10 change email',
    call: { method: 'POST', path: '/api/users/email' },
    signedIn: true,
    route: '/account',
    account: shared('A10'),
    async prepare(cell) {
      const form = region(cell.page, 'Change email');
      cell.typed.next = `${unique('moved')}@example.com`;
      await form.getByLabel('New email', { exact: true }).fill(cell.typed.next);
      await form.getByLabel('Current password', { exact: true }).fill(cell.account.password);
    },
    act: async ({ page }) => region(page, 'Change email').getByRole('button', { name: 'Change email' }).click(),
    button: (page) => region(page, 'Change email').locator('button[type=submit]'),
    pendingText: 'Saving…',
    async typedKept({ page, account, typed }) {
      const form = region(page, 'Change email');
      await expect(form.getByLabel('New email', { exact: true })).toHaveValue(typed.next);
      await expect(form.getByLabel('Current password', { exact: true })).toHaveValue(account.password);
    },
    success: async ({ page, typed }) =>
      expect(region(page, 'Change email').getByRole('status')).toContainText(`We sent a confirmation link to ${typed.next}.`),
  },
  {
    id: 'A12 regenerate API key',
    call: { method: 'POST', path: '/api/api_keys/regenerate' },
    signedIn: true,
    route: '/account/api-key',
    account: shared('A12'),
    async prepare({ page, account }) {
      await goTo(page, '/account/api-key');
      await page.getByRole('button', { name: 'Regenerate key', exact: true }).click();
      await expect(dialog(page)).toBeVisible();
      await dialog(page).getByLabel('Current password', { exact: true }).fill(account.password);
    },
    act: async ({ page }) => dialog(page).getByRole('button', { name: 'Regenerate key' }).click(),
    button: (page) => dialog(page).locator('button[type=submit]'),
    pendingText: 'Please wait…',
    message: (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }),
    async typedKept({ page, account }) {
      await expect(dialog(page)).toBeVisible();
      await expect(dialog(page).getByLabel('Current password', { exact: true })).toHaveValue(account.password);
    },
    async success({ page }) {
      await expect(dialog(page)).toBeHidden();
      await expect(statusWith(page, 'New key created. Sign in to the CLI again and update your scripts.')).toBeVisible();
    },
  },
  {
    id: 'A13 MFA start',
    call: { method: 'POST', path: '/api/mfa/start' },
    signedIn: true,
    route: '/account/mfa',
    // Shared: starting again replaces the pending secret; MFA stays off.
    account: shared('A13'),
    prepare: async ({ page }) => openMfa(page, false),
    act: async ({ page }) => mfaPage(page).turnOn.click(),
    button: (page) => mfaPage(page).busyTurnOn,
    pendingText: 'Please wait…',
    success: async ({ page }) => expect(mfaPage(page).setupHeading).toBeVisible(),
  },
  {
    id: 'A14 MFA verify',
    call: { method: 'POST', path: '/api/mfa/verify' },
    signedIn: true,
    route: '/account/mfa',
    // Fresh per cell: success turns MFA on and revokes the key.
    account: fresh(),
    async prepare(cell) {
      const mfa = mfaPage(cell.page);
      await openMfa(cell.page, false);
      await mfa.turnOn.click();
      await expect(mfa.setupHeading).toBeVisible();
      await mfa.cantScan.click();
      cell.typed.code = totp((await mfa.secret.innerText()).replace(/\s+/g, ''));
      await mfa.code.fill(cell.typed.code);
    },
    act: async ({ page }) => mfaPage(page).verify.click(),
    button: (page) => mfaPage(page).verify,
    pendingText: 'Verifying…',
    typedKept: async ({ page, typed }) => expect(mfaPage(page).code).toHaveValue(typed.code),
    success: async ({ page }) => expect(mfaPage(page).codesHeading).toBeVisible(),
  },
  mfaDialogRow({
    id: 'A15 MFA off',
    call: { method: 'DELETE', path: '/api/mfa' },
    // Fresh per cell: success turns MFA off.
    open: (page) => mfaPage(page).turnOff,
    success: (page) => expect(mfaPage(page).status).toHaveAccessibleName('Two-factor authentication is off'),
  }),
  mfaDialogRow({
    id: 'A16 new recovery codes',
    call: { method: 'POST', path: '/api/mfa/recovery_codes' },
    // Fresh per cell: success replaces the recovery codes this suite signs in with.
    open: (page) => mfaPage(page).newCodes,
    success: (page) => expect(mfaPage(page).codesHeading).toBeVisible(),
  }),
  {
    id: 'A17 card load',
    call: { method: 'GET', path: '/api/payment_methods' },
    signedIn: true,
    route: '/account/payment-method',
    load: true,
    account: shared('A17', { card: true }),
    prepare: async () => {},
    act: async ({ page }) => nav(page, 'Payment method').click(),
    ...reloads,
    async success({ page }) {
      await expect(page.getByText(/^Visa •••• 4242, expires 12\/\d{4}$/)).toBeVisible();
      await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
    },
  },
  {
    id: 'A18 card save',
    call: { method: 'PUT', path: '/api/payment_methods' },
    signedIn: true,
    route: '/account/payment-method',
    account: shared('A18', { card: true }),
    async prepare({ page }) {
      await goTo(page, '/account/payment-method');
      await page.getByRole('button', { name: 'Edit card', exact: true }).click();
      const card = cardInputs(page);
      await card.number.fill('4242 4242 4242 4242');
      await card.expiry.fill('12 / 34');
      await card.cvc.fill('123');
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Save', exact: true }).click(),
    button: (page) => region(page, 'Edit card').locator('button[type=submit]'),
    pendingText: 'Saving…',
    // Everything that goes wrong with the card is said next to it.
    message: (page, text) => page.locator('#card-error').filter({ hasText: text }),
    typedKept: async ({ page }) => expect(cardInputs(page).number).toHaveValue('4242 4242 4242 4242'),
    async success({ page }) {
      await expect(statusWith(page, 'Card updated.')).toBeVisible();
      await expect(page.getByText(/^Visa •••• 4242, expires 12\/2034$/)).toBeVisible();
    },
  },
  {
    id: 'A19 upgrade',
    call: { method: 'POST', path: '/api/upgrade' },
    signedIn: true,
    route: '/account/upgrade',
    // Fresh per cell: success makes the account Standard, which has nothing to upgrade.
    account: fresh({ free: true }),
    async prepare(cell) {
      await goTo(cell.page, '/account/upgrade');
      const card = cardInputs(cell.page);
      await card.number.fill('4242 4242 4242 4242');
      await card.expiry.fill('12 / 34');
      await card.cvc.fill('123');
      cell.typed.promo = 'welcome10';
      await promoField(cell.page).fill(cell.typed.promo);
    },
    act: async ({ page }) => page.getByRole('button', { name: 'Upgrade to Standard', exact: true }).click(),
    button: (page) => region(page, 'Add a card for Standard').locator('button[type=submit]'),
    pendingText: 'Upgrading…',
    // Said next to the card, as the card's own refusals are.
    message: (page, text) => page.locator('#card-error').filter({ hasText: text }),
    async typedKept({ page, typed }) {
      await expect(cardInputs(page).number).toHaveValue('4242 4242 4242 4242');
      await expect(promoField(page)).toHaveValue(typed.promo);
    },
    async success({ page }) {
      await expect(statusWith(page, 'Upgraded: your account is now on the Standard tier.')).toBeVisible();
      await expect(cardInputs(page).number).toHaveCount(0);
    },
  },
  ...(
    [
      ['A20 invoices load', '/api/invoices'],
      ['A21 usage load', '/api/usage'],
      ['A22 run rate load', '/api/usage/run_rate'],
    ] as const
  ).map(
    ([id, path]): Row => ({
      id,
      call: { method: 'GET', path },
      signedIn: true,
      route: '/account/billing',
      load: true,
      account: shared('A20-A21'),
      prepare: async () => {},
      act: async ({ page }) => nav(page, 'Billing').click(),
      ...reloads,
      async success({ page }) {
        await expect(region(page, 'Usage this period')).toContainText('No usage this period.');
        await expect(page.getByRole('region', { name: 'Invoices', exact: true })).toContainText('No invoices yet.');
        await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
      },
    }),
  ),
  {
    id: 'A23 apps load',
    call: { method: 'GET', path: '/api/apps' },
    signedIn: true,
    route: '/account/delete',
    load: true,
    account: shared('A23', { apps: [appName()] }),
    prepare: async () => {},
    act: async ({ page }) => nav(page, 'Delete account').click(),
    ...reloads,
    async success({ page }) {
      await expect(region(page, 'Your apps').getByRole('listitem')).toHaveCount(1);
      await expect(region(page, 'Your apps').getByRole('listitem')).toContainText(/^fm-app-/);
      await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
    },
  },
  ...(
    [
      ['A28 domains load', 'domains'],
      ['A30 databases load', 'databases'],
    ] as const
  ).map(([id, part]): Row => {
    const app = appName();
    return {
      id,
      call: { method: 'GET', path: `/api/apps/${app}/${part}` },
      signedIn: true,
      route: '/account/stop-charges',
      load: true,
      account: shared(id, { apps: [app], addons: true }),
      prepare: async () => {},
      act: async ({ page }) => goTo(page, '/account/stop-charges'),
      ...reloads,
      async success({ page }) {
        await expect(region(page, 'Your apps').getByRole('listitem')).toContainText('Replicas: 1 · Domains: 1 · Databases: 1');
        await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
      },
    };
  }),
  ...(
    [
      ['A27 scale an app to 0', 'PUT', 0, 'Scale to 0', /^Scale to 0Replicas: 0Done$/],
      ['A29 remove a domain', 'DELETE', 1, 'Remove domains', /^Remove domainsNoneDone$/],
      ['A31 delete a database', 'DELETE', 2, 'Delete databases', /^Delete databasesNoneDone$/],
    ] as const
  ).map(
    ([id, method, step, button, done]): Row => ({
      id,
      // Only this step runs, so the prefix matches its calls alone.
      call: { method, path: '/api/apps/*' },
      signedIn: true,
      route: '/account/stop-charges',
      // Fresh per cell: success changes the app.
      account: fresh(() => ({ apps: [appName()], addons: true })),
      prepare: openSteps,
      act: async ({ page }) => dialog(page).getByRole('button', { name: button, exact: true }).click(),
      button: (page) => dialog(page).locator('button[type=submit]'),
      pendingText: 'Please wait…',
      message: (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }),
      typedKept: typedNameKept,
      async success({ page }) {
        await expect(dialog(page).getByRole('listitem').nth(step)).toHaveText(done);
        await expect(dialog(page).getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
      },
    }),
  ),
  {
    id: 'A24 destroy an app',
    call: { method: 'DELETE', path: '/api/apps/*' },
    signedIn: true,
    route: '/account/delete',
    // Fresh per cell: success destroys its one app.
    account: fresh(() => ({ apps: [appName()] })),
    prepare: (cell) => openSteps(cell, '/account/delete'),
    act: async ({ page }) => dialog(page).getByRole('button', { name: 'Destroy app', exact: true }).click(),
    button: (page) => dialog(page).locator('button[type=submit]'),
    pendingText: 'Please wait…',
    message: (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }),
    typedKept: typedNameKept,
    async success({ page, typed }) {
      await expect(dialog(page)).toBeHidden();
      await expect(statusWith(page, `${typed.name} was destroyed: it costs nothing from now on.`)).toBeVisible();
      await expect(region(page, 'Your apps')).toContainText('You have no apps');
    },
  },
  {
    id: 'A11 delete the account',
    call: { method: 'DELETE', path: '/api/users/destroy' },
    signedIn: true,
    route: '/account/delete',
    // Fresh per cell: success deletes it.
    account: fresh(),
    async prepare(cell) {
      await goTo(cell.page, '/account/delete');
      const form = region(cell.page, 'Delete your account');
      await form.getByRole('textbox', { name: 'To confirm, type “delete my account”' }).fill('delete my account');
      await form.getByLabel('Current password', { exact: true }).fill(cell.account.password);
    },
    act: async ({ page }) => region(page, 'Delete your account').getByRole('button', { name: 'Delete my account' }).click(),
    button: (page) => region(page, 'Delete your account').locator('button[type=submit]'),
    pendingText: 'Deleting…',
    async typedKept({ page, account }) {
      const form = region(page, 'Delete your account');
      await expect(form.getByRole('textbox', { name: 'To confirm, type “delete my account”' })).toHaveValue('delete my account');
      await expect(form.getByLabel('Current password', { exact: true })).toHaveValue(account.password);
    },
    async success({ page }) {
      await expect(page).toHaveURL(/#\/success\?msg=account_deleted$/);
      await expect(heading(page, 'Account deleted')).toBeVisible();
      expect(await storedSessions(page)).toEqual([null, null]);
    },
  },
  {
    id: 'A25 SSH keys load',
    call: { method: 'GET', path: '/api/ssh_keys' },
    signedIn: true,
    route: '/account/ssh-keys',
    load: true,
    account: shared('A25 load', { sshKeys: [ed25519('fm@load').line] }),
    prepare: async () => {},
    act: async ({ page }) => nav(page, 'SSH keys').click(),
    ...reloads,
    async success({ page }) {
      await expect(region(page, 'Your keys').getByRole('listitem')).toHaveCount(1);
      await expect(region(page, 'Your keys').locator('strong')).toHaveText('fm@load');
      await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
    },
  },
  {
    id: 'A25 add an SSH key',
    call: { method: 'POST', path: '/api/ssh_keys' },
    signedIn: true,
    route: '/account/ssh-keys',
    // Shared: each cell adds a key of its own.
    account: shared('A25 add'),
    async prepare(cell) {
      await goTo(cell.page, '/account/ssh-keys');
      cell.typed.key = ed25519(unique('fm')).line;
      await region(cell.page, 'Add an SSH key').getByLabel('Public key').fill(cell.typed.key);
    },
    act: async ({ page }) => region(page, 'Add an SSH key').getByRole('button', { name: 'Add an SSH key' }).click(),
    button: (page) => region(page, 'Add an SSH key').locator('button[type=submit]'),
    pendingText: 'Saving…',
    typedKept: async ({ page, typed }) => expect(region(page, 'Add an SSH key').getByLabel('Public key')).toHaveValue(typed.key),
    async success({ page, typed }) {
      await expect(statusWith(page, 'Key added.')).toBeVisible();
      await expect(region(page, 'Your keys').getByText(typed.key, { exact: true })).toBeVisible();
    },
  },
  {
    id: 'A25 remove an SSH key',
    call: { method: 'DELETE', path: '/api/ssh_keys' },
    signedIn: true,
    route: '/account/ssh-keys',
    // Fresh per cell: success removes its one key.
    account: fresh(() => ({ sshKeys: [ed25519('fm@remove').line] })),
    async prepare({ page }) {
      await goTo(page, '/account/ssh-keys');
      await region(page, 'Your keys').getByRole('button', { name: /^Remove fm@remove/ }).click();
      await expect(dialog(page)).toBeVisible();
    },
    act: async ({ page }) => dialog(page).getByRole('button', { name: 'Remove', exact: true }).click(),
    button: (page) => dialog(page).locator('button[type=submit]'),
    pendingText: 'Please wait…',
    message: (page, text) => dialog(page).getByRole('alert').filter({ hasText: text }),
    typedKept: async ({ page }) => expect(dialog(page)).toContainText('fm@remove'),
    async success({ page }) {
      await expect(dialog(page)).toBeHidden();
      await expect(statusWith(page, 'Key removed.')).toBeVisible();
      await expect(region(page, 'Your keys')).toContainText('No SSH keys yet: add one below.');
    },
  },
];

// ------------------------------------------------------------------ the cells

/** Counts the requests of `call` the page sends from now on. */
function requestCounter(page: Page, call: Call): () => number {
  const match = isCall(call);
  let n = 0;
  page.on('request', (r) => {
    if (match(r)) n += 1;
  });
  return () => n;
}


async function runCell(row: Row, column: FaultColumn, fx: { page: Page; sim: Sim; request: APIRequestContext; browserErrors: BrowserErrors }) {
  const { page, sim, request, browserErrors } = fx;
  allowFaultLine(browserErrors, row, column);
  const account = row.account ? await row.account(request) : ({} as Account);
  const cell: Cell = { page, sim, request, account, typed: {} };
  if (row.signedIn) await signIn(page, cell.account);
  await row.prepare(cell);

  const match = isCall(row.call);
  const sent = requestCounter(page, row.call);
  await sim.addFault(column.fault(row.call, !!row.repeats));

  if (column.id === 'latency') {
    const answered = page.waitForResponse((r) => match(r.request()), { timeout: LATENCY_MS + 20_000 });
    await row.act(cell);
    if (row.button) {
      const button = row.button(page);
      await expect(button).toBeDisabled();
      if (row.pendingText) await expect(button).toHaveText(row.pendingText);
      // Pressed again: a click on the disabled button, and two submits of its form (what Enter does).
      await button.click({ force: true });
      await button.evaluate((b: HTMLButtonElement) => {
        b.form?.requestSubmit();
        b.form?.requestSubmit();
      });
    }
    if (row.waiting) await expect(row.waiting(page)).toBeVisible();
    await answered;
    await row.success(cell);
    if (!row.repeats) expect(sent(), `${row.call.method} ${row.call.path} requests`).toBe(1);
    return;
  }

  await row.act(cell);

  if (column.id === '401') {
    const next = encodeURIComponent(row.route!);
    await expect(page).toHaveURL(new RegExp(`#/login\\?next=${escapeRegExp(next)}$`));
    await expect(loginForm(page).heading).toBeVisible();
    await expect(statusWith(page, SESSION_ENDED)).toHaveText(SESSION_ENDED);
    expect(await storedSessions(page)).toEqual([null, null]);
    await sim.clearFaults();
    await signInHere(page, cell.account);
    await expect(page).toHaveURL(new RegExp(`#${escapeRegExp(row.route!)}$`));
    if (!row.load) {
      cell.typed = {};
      await row.prepare(cell);
      await row.act(cell);
    }
    await row.success(cell);
    return;
  }

  const text = column.text!;
  const message = row.message ? row.message(page, text) : alertWith(page, text);
  await expect(message).toBeVisible({ timeout: row.repeats ? 15_000 : undefined });
  await expect(page.getByText(text, { exact: true })).toBeVisible();
  if (row.typedKept) await row.typedKept(cell);
  await sim.clearFaults();
  await (row.retry ?? row.act)(cell);
  await row.success(cell);
}

for (const row of ROWS) {
  test.describe(row.id, () => {
    for (const column of FAULTS) {
      const title = `${row.id} × ${column.label}`;
      // A cell that makes no sense is not a test (none is skipped): its reason stays in
      // the table, and README lists them.
      if (row.na?.[column.id]) continue;
      test(title, async ({ page, sim, browserErrors }) => {
        await runCell(row, column, { page, sim, request: page.request, browserErrors });
      });
    }
  });
}

// ------------------------------------------------------------------ late answers, double submits

/** Long enough to act while a call waits; short, since these tests wait it out. */
const LATE_MS = 2_000;

/** Nothing on the page says anything: no alert with text, no notice, no loading line. */
async function expectNothingSaid(page: Page) {
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveCount(0);
  await expect(page.locator('.notice')).toHaveCount(0);
  await expect(page.getByText('Loading…')).toHaveCount(0);
}

test.describe('late answers never land on a page the user has left', () => {
  test('a card load still on its way when the user opens another tab', async ({ page, sim }) => {
    const account = await newAccount(page.request, { card: true });
    await signIn(page, account);
    await sim.addFault({ path: '/api/payment_methods', method: 'GET', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    await nav(page, 'Payment method').click();
    await expect(statusWith(page, 'Loading…')).toBeVisible();
    await nav(page, 'API key').click();
    await expect(heading(page, 'API key')).toBeVisible();
    await page.waitForTimeout(LATE_MS + 1_000);
    await expect(page).toHaveURL(/#\/account\/api-key$/);
    await expect(heading(page, 'API key')).toBeVisible();
    await expect(page.getByText(/Visa/)).toHaveCount(0);
    await expectNothingSaid(page);
    // Coming back loads afresh.
    await nav(page, 'Payment method').click();
    await expect(page.getByText(/^Visa •••• 4242, expires 12\/\d{4}$/)).toBeVisible();
  });

  test('a password change still on its way when the user opens another tab', async ({ page, sim }) => {
    const account = await newAccount(page.request);
    await signIn(page, account);
    await sim.addFault({ path: '/api/users/change_password', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    const form = region(page, 'Change password');
    const next = freshPassword();
    await form.getByLabel('Current password', { exact: true }).fill(account.password);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('Confirm new password', { exact: true }).fill(next);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByRole('button', { name: 'Changing password…' })).toBeDisabled();
    await nav(page, 'API key').click();
    await expect(heading(page, 'API key')).toBeVisible();
    await page.waitForTimeout(LATE_MS + 1_000);
    await expect(page).toHaveURL(/#\/account\/api-key$/);
    await expect(page.getByText('Password changed.')).toHaveCount(0);
    await expectNothingSaid(page);
    // The profile, opened again, is a new page: empty form, no word of the old request.
    await nav(page, 'Profile').click();
    await expect(region(page, 'Change password')).toBeVisible();
    await expect(region(page, 'Change password').getByLabel('New password', { exact: true })).toHaveValue('');
    await expect(page.getByText('Password changed.')).toHaveCount(0);
    await expectNothingSaid(page);
  });

  test('a sign-in still on its way when the user goes to "Forgot your password?" does not sign in', async ({ page, sim }) => {
    const account = await newAccount(page.request);
    await page.goto('/#/login');
    await sim.addFault({ path: '/api/login', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    await submitLogin(page, account);
    await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(heading(page, 'Reset your password')).toBeVisible();
    await page.waitForTimeout(LATE_MS + 1_000);
    await expect(page).toHaveURL(/#\/password\/reset/);
    await expect(heading(page, 'Reset your password')).toBeVisible();
    expect(await storedSessions(page)).toEqual([null, null]);
    await expectNothingSaid(page);
  });

  test('a sign-up step still on its way when the user goes to sign in does not move the page on', async ({ page, sim }) => {
    await page.goto('/#/signup');
    await sim.addFault({ path: '/api/signup', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(unknownEmail());
    await page.getByRole('button', { name: 'Email me a code', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Sending…' })).toBeDisabled();
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await expect(loginForm(page).heading).toBeVisible();
    await page.waitForTimeout(LATE_MS + 1_000);
    await expect(page).toHaveURL(/#\/login/);
    await expect(loginForm(page).heading).toBeVisible();
    await expect(page.getByText('Check your email')).toHaveCount(0);
    await expectNothingSaid(page);
  });
});

test.describe('double submits are impossible', () => {
  test('signed out: double click, Enter twice and two form submits in one go each send one request', async ({ page, sim }) => {
    const account = await newAccount(page.request);

    // Sign-in: a double click, then Enter twice, then two submits before any re-render.
    await page.goto('/#/login');
    const logins = requestCounter(page, { method: 'GET', path: '/api/login' });
    await sim.addFault({ path: '/api/login', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    const form = loginForm(page);
    await form.email.fill(account.email);
    await form.password.fill(account.password);
    await form.submit.dblclick();
    await form.password.press('Enter');
    await form.password.press('Enter');
    await form.password.evaluate((input: HTMLInputElement) => {
      input.form!.requestSubmit();
      input.form!.requestSubmit();
    });
    await expect(page).toHaveURL(/#\/account$/);
    await expect(heading(page, 'Profile')).toBeVisible();
    expect(logins()).toBe(1);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    // Sign-up's first step: two submits before any re-render, then Enter twice.
    await page.goto('/#/signup');
    const steps = requestCounter(page, { method: 'POST', path: '/api/signup' });
    await sim.addFault({ path: '/api/signup', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    const email = page.getByRole('textbox', { name: 'Email', exact: true });
    await email.fill(unknownEmail());
    await email.evaluate((input: HTMLInputElement) => {
      input.form!.requestSubmit();
      input.form!.requestSubmit();
    });
    await email.press('Enter');
    await email.press('Enter');
    await expect(heading(page, 'Check your email')).toBeVisible();
    expect(steps()).toBe(1);

    // The reset request: a double click.
    await page.goto('/#/password/reset');
    const resets = requestCounter(page, { method: 'PUT', path: '/api/users/reset_password' });
    await sim.addFault({ path: '/api/users/reset_password', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    const address = unknownEmail();
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(address);
    await page.getByRole('button', { name: 'Send reset link', exact: true }).dblclick();
    await expect(statusWith(page, resetSentText(address))).toBeVisible();
    expect(resets()).toBe(1);
  });

  test('signed in: the profile form, the password dialog and a plain button each send one request', async ({ page, sim }) => {
    const account = await newAccount(page.request);
    await signIn(page, account);

    // Change password: two submits before any re-render, then a double click.
    const changes = requestCounter(page, { method: 'PATCH', path: '/api/users/change_password' });
    await sim.addFault({ path: '/api/users/change_password', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    const form = region(page, 'Change password');
    const next = freshPassword();
    await form.getByLabel('Current password', { exact: true }).fill(account.password);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('Confirm new password', { exact: true }).fill(next);
    await form.locator('form').evaluate((f: HTMLFormElement) => {
      f.requestSubmit();
      f.requestSubmit();
    });
    await form.locator('button[type=submit]').dblclick({ force: true });
    await expect(form.getByRole('status')).toHaveText('Password changed.');
    expect(changes()).toBe(1);

    // The regenerate dialog: Enter twice, then a double click.
    await goTo(page, '/account/api-key');
    const regenerations = requestCounter(page, { method: 'POST', path: '/api/api_keys/regenerate' });
    await sim.addFault({ path: '/api/api_keys/regenerate', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    await page.getByRole('button', { name: 'Regenerate key', exact: true }).click();
    const password = dialog(page).getByLabel('Current password', { exact: true });
    await password.fill(next);
    await password.press('Enter');
    await password.press('Enter');
    await dialog(page).locator('button[type=submit]').dblclick({ force: true });
    await expect(statusWith(page, 'New key created. Sign in to the CLI again and update your scripts.')).toBeVisible();
    expect(regenerations()).toBe(1);

    // MFA's "Turn on two-factor authentication", a plain button: a double click.
    await openMfa(page, false);
    const starts = requestCounter(page, { method: 'POST', path: '/api/mfa/start' });
    await sim.addFault({ path: '/api/mfa/start', kind: 'latency', latency_ms: LATE_MS, times: 1 });
    await mfaPage(page).turnOn.dblclick();
    await expect(mfaPage(page).setupHeading).toBeVisible();
    expect(starts()).toBe(1);
  });
});
