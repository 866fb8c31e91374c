import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export { expect };

/** The simulator's URL, exported by global-setup.ts. */
export function simUrl(): string {
  const url = process.env.GX_BASE_URL;
  if (!url) throw new Error('GX_BASE_URL is not set: the global setup did not start the simulator.');
  return url;
}

export const SCREENSHOTS = path.resolve(__dirname, '..', 'artifacts', 'screenshots');

// ------------------------------------------------------------------ simulator control

/** What POST /__sim/accounts answers (see /tmp/spec/interfaces.md, "Test control"). */
export interface Account {
  email: string;
  password: string;
  api_key: string;
  tier: 'FREE' | 'STANDARD';
  credit_cents: number;
  totp_secret: string | null;
  recovery_codes: string[];
  /** Echoed by the simulator from issue 3 on (accounts are confirmed unless created with `confirmed: false`). */
  confirmed?: boolean;
}

export interface Fault {
  path: string;
  method?: string;
  kind: 'latency' | 'status' | 'malformed' | 'drop';
  latency_ms?: number;
  status?: number;
  retry_after?: number;
  times?: number;
}

let accountCounter = 0;

export class Sim {
  constructor(
    private readonly request: APIRequestContext,
    readonly baseURL: string,
  ) {}

  /** A fresh account with a unique email (defaults: STANDARD, $42.07, MFA off). */
  async createAccount(
    opts: {
      tier?: 'FREE' | 'STANDARD';
      credit_cents?: number;
      mfa?: boolean;
      password?: string;
      confirmed?: boolean;
      /** `[period_start, period_end, amount_cents, paid]`, times in Unix seconds. */
      invoices?: [number, number, number, boolean][];
    } = {},
  ): Promise<Account> {
    accountCounter += 1;
    const email = `e2e-${process.pid}-${Date.now()}-${accountCounter}@example.com`;
    const body = {
      email,
      password: opts.password ?? `pw-${crypto.randomBytes(6).toString('hex')}`,
      tier: opts.tier ?? 'STANDARD',
      credit_cents: opts.credit_cents ?? 4207,
      mfa: opts.mfa ?? false,
      ...(opts.confirmed === undefined ? {} : { confirmed: opts.confirmed }),
      ...(opts.invoices === undefined ? {} : { invoices: opts.invoices }),
    };
    const res = await this.request.post(`${this.baseURL}/__sim/accounts`, { data: body });
    expect(res.status(), `POST /__sim/accounts: ${await res.text()}`).toBe(201);
    const account = (await res.json()) as Account;
    if (opts.confirmed !== undefined) expect(account.confirmed, 'POST /__sim/accounts echoes "confirmed"').toBe(opts.confirmed);
    return account;
  }

  async addFault(fault: Fault): Promise<number> {
    const res = await this.request.post(`${this.baseURL}/__sim/faults`, { data: fault });
    expect(res.status(), `POST /__sim/faults ${JSON.stringify(fault)}: ${await res.text()}`).toBe(201);
    return ((await res.json()) as { id: number }).id;
  }

  async clearFaults(): Promise<void> {
    const res = await this.request.delete(`${this.baseURL}/__sim/faults`);
    expect(res.status(), 'DELETE /__sim/faults').toBe(204);
  }
}

// ------------------------------------------------------------------ TOTP (RFC 6238, SHA1)

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
  const clean = input.toUpperCase().replace(/[\s=-]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)} in ${JSON.stringify(input)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP (RFC 4226) for a raw key and counter. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

/** The 6-digit TOTP for a base32 secret (30 s steps); `stepOffset` moves by whole steps. */
export function totp(secretBase32: string, timeMs = Date.now(), stepOffset = 0): string {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / 30) + stepOffset);
}

/** A 6-digit code that the simulator cannot accept now (not any code within ±1 step). */
export function wrongTotp(secretBase32: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((o) => totp(secretBase32, Date.now(), o)));
  let n = Number(totp(secretBase32));
  let code: string;
  do {
    n = (n + 111_111) % 1_000_000;
    code = String(n).padStart(6, '0');
  } while (valid.has(code));
  return code;
}

// ------------------------------------------------------------------ page helpers

/** Locators of the sign-in form (texts from the interface spec). */
export function loginForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }),
    email: page.getByRole('textbox', { name: 'Email', exact: true }),
    password: page.getByLabel('Password', { exact: true }),
    keep: page.getByRole('checkbox', { name: 'Keep me signed in', exact: true }),
    submit: page.getByRole('button', { name: 'Sign in', exact: true }),
  };
}

/** Locators of the MFA step. */
export function mfaForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Two-factor authentication', exact: true }),
    code: page.getByRole('textbox', { name: 'Authentication code', exact: true }),
    recoveryCode: page.getByRole('textbox', { name: 'Recovery code', exact: true }),
    verify: page.getByRole('button', { name: 'Verify', exact: true }),
    useRecovery: page.getByRole('button', { name: 'Use a recovery code instead', exact: true }),
    useApp: page.getByRole('button', { name: 'Use your authenticator app instead', exact: true }),
    back: page.getByRole('button', { name: 'Back to sign in', exact: true }),
  };
}

/** Locators of the password-reset request page (#/password/reset, issue 3). */
export function resetRequestForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Reset your password', exact: true }),
    email: page.getByRole('textbox', { name: 'Email', exact: true }),
    submit: page.getByRole('button', { name: 'Send reset link', exact: true }),
    backToSignIn: page.getByRole('link', { name: 'Back to sign in', exact: true }),
  };
}

/** The success status after a reset request for `email`. */
export const resetSentText = (email: string) =>
  `If an account exists for ${email}, we've sent it a link to choose a new password. The link works for 1 hour.`;

/** Locators of the choose-a-new-password page (#/password/set, issue 3). */
export function setPasswordForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Choose a new password', exact: true }),
    password: page.getByLabel('New password', { exact: true }),
    confirm: page.getByLabel('Confirm new password', { exact: true }),
    submit: page.getByRole('button', { name: 'Change password', exact: true }),
    newLink: page.getByRole('link', { name: 'Send me a new link', exact: true }),
  };
}

/** Locators of the confirmation-resend page (#/confirmation/resend, issue 3). */
export function resendForm(page: Page) {
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Resend confirmation email', exact: true }),
    email: page.getByRole('textbox', { name: 'Email', exact: true }),
    submit: page.getByRole('button', { name: 'Send confirmation email', exact: true }),
  };
}

/** The success status after a confirmation resend for `email`. */
export const resendSentText = (email: string) => `If ${email} is waiting for confirmation, we've sent it a new link.`;

/** The "Send again" button, whatever its countdown text says. */
export const sendAgainButton = (page: Page) => page.getByRole('button', { name: /^Send again\b/ });

/** The `role="status"` region that carries exactly `message`. */
export async function expectStatus(page: Page, message: string): Promise<void> {
  const status = page.getByRole('status').filter({ hasText: message });
  await expect(status).toBeVisible();
  await expect(status).toHaveText(message);
}

/**
 * The alert for a bad reset token: exactly `message`, optionally followed (inside the same
 * alert) by the "Send me a new link" link the spec puts after it.
 */
export async function expectTokenAlert(page: Page, message: string): Promise<void> {
  const alert = page.getByRole('alert').filter({ hasText: message });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveText(new RegExp(`^${escapeRegExp(message)}\\s*(Send me a new link)?$`));
}

/** The alert that carries exactly `message` (the form-level live region). */
export async function expectAlert(page: Page, message: string): Promise<void> {
  const alert = page.getByRole('alert').filter({ hasText: message });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveText(message);
}

/** Fill the sign-in form and press "Sign in". */
export async function submitLogin(page: Page, creds: { email: string; password: string }, opts: { keep?: boolean } = {}) {
  const form = loginForm(page);
  await expect(form.heading).toBeVisible();
  await form.email.fill(creds.email);
  await form.password.fill(creds.password);
  if (opts.keep) await form.keep.check();
  await form.submit.click();
}

/** Open #/login and sign in (no MFA); waits for the account page. */
export async function signIn(page: Page, account: Account, opts: { keep?: boolean } = {}) {
  await page.goto('/#/login');
  await submitLogin(page, account, opts);
  await expectAccountPage(page, account);
}

export function tierInWords(tier: Account['tier']): string {
  return tier === 'STANDARD' ? 'Standard' : 'Free';
}

export function dollars(cents: number): string {
  return `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
}

/** term → definition pairs of the page's description list(s), by role. */
export async function descriptionList(page: Page): Promise<Record<string, string>> {
  const terms = await page.getByRole('term').allInnerTexts();
  const defs = await page.getByRole('definition').allInnerTexts();
  const out: Record<string, string> = {};
  terms.forEach((t, i) => (out[t.trim()] = (defs[i] ?? '').trim()));
  return out;
}

/** The account page for `account`: URL, title, h1 and the email / tier / credits list. */
export async function expectAccountPage(page: Page, account: Account) {
  await expect(page).toHaveURL(/#\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Profile', exact: true })).toBeVisible();
  await expect(page).toHaveTitle('Profile · Gigalixir');
  await expect
    .poll(() => descriptionList(page))
    .toMatchObject({ Email: account.email, Tier: tierInWords(account.tier), Credits: dollars(account.credit_cents) });
}

/** The login page reached by the signed-out redirect from #/account. */
export async function expectLoginWithNextAccount(page: Page) {
  await expect(page).toHaveURL(/#\/login\?next=%2Faccount$/);
  await expect(loginForm(page).heading).toBeVisible();
  await expect(page).toHaveTitle('Sign in · Gigalixir');
}

/** gx.session in [sessionStorage, localStorage] (null when absent). */
export async function storedSessions(page: Page): Promise<[string | null, string | null]> {
  return page.evaluate(() => [sessionStorage.getItem('gx.session'), localStorage.getItem('gx.session')] as [string | null, string | null]);
}

/** axe-core finds no violations (all rules axe runs by default). */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
  expect(violations, `axe-core violations on ${name}`).toEqual([]);
}

/** Full-page screenshot into tests/artifacts/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// ------------------------------------------------------------------ fixtures

/**
 * Console errors and uncaught page errors from every page of the test's context. Any of them
 * fails the test, except those matching a pattern the test allows explicitly with `allow()`
 * (e.g. Chromium's "Failed to load resource" line for a 401 the test provokes on purpose).
 */
export class BrowserErrors {
  readonly seen: string[] = [];
  private readonly allowed: { pattern: RegExp; why: string }[] = [];

  allow(pattern: RegExp, why: string) {
    this.allowed.push({ pattern, why });
  }

  unexpected(): string[] {
    return this.seen.filter((e) => !this.allowed.some((a) => a.pattern.test(e)));
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Chromium's console line for a response with `status` from `apiPath` that the test causes on purpose. */
export const failedStatus = (status: number, apiPath: string) =>
  new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status} \\(.*\\) @ http://[^/]+${escapeRegExp(apiPath)}$`);
/** Chromium's console line for a request to `apiPath` that got no response (connection dropped on purpose). */
export const failedNetwork = (apiPath: string) =>
  new RegExp(`^console\\.error: Failed to load resource: net::ERR_[A-Z_]+ @ http://[^/]+${escapeRegExp(apiPath)}$`);

type Fixtures = {
  sim: Sim;
  browserErrors: BrowserErrors;
  cspViolations: string[];
  cleanFaults: void;
};

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => {
    await use(simUrl());
  },

  sim: async ({ request }, use) => {
    await use(new Sim(request, simUrl()));
  },

  // Faults are global in the simulator: clear them before and after every test.
  cleanFaults: [
    async ({ sim }, use) => {
      await sim.clearFaults();
      await use();
      await sim.clearFaults();
    },
    { auto: true },
  ],

  browserErrors: async ({}, use, testInfo) => {
    const errors = new BrowserErrors();
    await use(errors);
    // Keep the allowed ones visible in the report too.
    if (errors.seen.length) await testInfo.attach('browser-errors.txt', { body: errors.seen.join('\n'), contentType: 'text/plain' });
    expect(errors.unexpected(), 'console errors / page errors').toEqual([]);
  },

  cspViolations: async ({}, use) => {
    const violations: string[] = [];
    await use(violations);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },

  context: async ({ context, browserErrors, cspViolations }, use) => {
    // securitypolicyviolation events from every document, reported through a binding
    // (CDP-installed, so it works under the strict CSP and survives navigations).
    await context.exposeBinding('__gxReportCspViolation', (_source, violation: string) => {
      cspViolations.push(violation);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __gxReportCspViolation: (v: string) => void }).__gxReportCspViolation;
        report(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} (${e.disposition})`);
      });
    });
    const watch = (page: Page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error') browserErrors.seen.push(`console.error: ${msg.text()} @ ${msg.location().url}`);
      });
      page.on('pageerror', (err) => browserErrors.seen.push(`page error: ${err.message}`));
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    await use(context);
  },
});

/** A new Ed25519 key pair as OpenSSH writes it: the `.pub` line, its fingerprint, the private PEM. */
export function ed25519(comment: string) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  const body = blob.toString('base64');
  return {
    line: `ssh-ed25519 ${body} ${comment}`,
    body,
    fingerprint: `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
