import { expect, type APIRequestContext } from '@playwright/test';
import { simUrl } from './fixtures';

/**
 * The simulator's outbox and clock, for tests that follow an emailed link end to end
 * (see /tmp/spec/issue3a.md, "Simulator additions").
 */

/** One entry of GET /__sim/outbox.json. */
export interface Email {
  id: number | string;
  to: string;
  subject: string;
  body: string;
  sent_at: string;
  /** Every http(s) URL in the body, in order. */
  links: string[];
}

export const RESET_SUBJECT = 'Reset your Gigalixir password';
export const CONFIRM_SUBJECT = 'Confirm your Gigalixir email';

/** Every email the simulator has sent, in the order it lists them. */
export async function outbox(request: APIRequestContext): Promise<Email[]> {
  const res = await request.get(`${simUrl()}/__sim/outbox.json`);
  expect(res.status(), 'GET /__sim/outbox.json').toBe(200);
  const json = (await res.json()) as { data: Email[] };
  expect(Array.isArray(json.data), 'outbox.json has a data array').toBe(true);
  return json.data;
}

/** The emails to `to` (case-insensitive), oldest first. */
export async function emailsTo(request: APIRequestContext, to: string): Promise<Email[]> {
  const all = await outbox(request);
  return sortById(all.filter((e) => e.to.toLowerCase() === to.toLowerCase()));
}

function sortById(emails: Email[]): Email[] {
  // Numeric ids sort numerically; otherwise keep the outbox's own order.
  if (emails.every((e) => typeof e.id === 'number')) return [...emails].sort((a, b) => (a.id as number) - (b.id as number));
  return emails;
}

export interface WaitOptions {
  /** Only an email with this subject. */
  subject?: string;
  /** Ignore these emails (e.g. those already sent before the action under test). */
  notIn?: Email[];
  timeoutMs?: number;
}

/**
 * Polls the outbox until an email to `to` arrives (matching `subject`, not one of `notIn`)
 * and returns the newest such email.
 */
export async function waitForEmail(request: APIRequestContext, to: string, opts: WaitOptions = {}): Promise<Email> {
  const seen = new Set((opts.notIn ?? []).map((e) => String(e.id)));
  const matching = async () =>
    (await emailsTo(request, to)).filter((e) => !seen.has(String(e.id)) && (opts.subject === undefined || e.subject === opts.subject));
  await expect
    .poll(async () => (await matching()).length, {
      message: `an email${opts.subject ? ` "${opts.subject}"` : ''} to ${to} in the outbox`,
      timeout: opts.timeoutMs ?? 10_000,
    })
    .toBeGreaterThan(0);
  const found = await matching();
  return found[found.length - 1];
}

/** The single link of the newest email to `to` that starts with `prefix`. */
export async function waitForLink(request: APIRequestContext, to: string, prefix: string, opts: WaitOptions = {}): Promise<string> {
  const email = await waitForEmail(request, to, opts);
  const links = email.links.filter((l) => l.startsWith(prefix));
  expect(links, `links starting with ${prefix} in "${email.subject}" to ${to}: ${JSON.stringify(email.links)}`).toHaveLength(1);
  return links[0];
}

/** The password-reset link emailed to `to`: `<console>/#/password/set?token=…`. */
export async function waitForResetLink(request: APIRequestContext, to: string, opts: Omit<WaitOptions, 'subject'> = {}) {
  const link = await waitForLink(request, to, `${simUrl()}/#/password/set?token=`, { ...opts, subject: RESET_SUBJECT });
  expect(new URL(link).hash, link).toMatch(/^#\/password\/set\?token=[A-Za-z0-9_-]{32,}$/);
  return link;
}

/** The confirmation link emailed to `to`: `<api>/api/confirm?token=…`. */
export async function waitForConfirmLink(request: APIRequestContext, to: string, opts: Omit<WaitOptions, 'subject'> = {}) {
  return waitForLink(request, to, `${simUrl()}/api/confirm?token=`, { ...opts, subject: CONFIRM_SUBJECT });
}

// ------------------------------------------------------------------ clock

/** The simulator clock's offset from real time, in seconds (GET /__sim/clock). */
export async function clockOffset(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${simUrl()}/__sim/clock`);
  expect(res.status(), 'GET /__sim/clock').toBe(200);
  return ((await res.json()) as { offset_secs: number }).offset_secs;
}

/** Moves the simulator's clock forward by `secs` (POST /__sim/clock); returns the new offset. */
export async function advanceClock(request: APIRequestContext, secs: number): Promise<number> {
  const before = await clockOffset(request);
  const res = await request.post(`${simUrl()}/__sim/clock`, { data: { advance_secs: secs } });
  expect(res.status(), `POST /__sim/clock: ${await res.text()}`).toBeLessThan(300);
  const after = await clockOffset(request);
  expect(after, 'the clock offset after advancing').toBe(before + secs);
  return after;
}

/** A unique address that has no account (for the no-enumeration checks). */
let unknownCounter = 0;
export function unknownEmail(): string {
  unknownCounter += 1;
  return `nobody-${process.pid}-${Date.now()}-${unknownCounter}@example.com`;
}
