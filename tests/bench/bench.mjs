// The console benchmark. Run through `.ci/bench` (which builds first), or directly from the
// repository root or tests/: `node tests/bench/bench.mjs [--size-only] [--check-size]`.
//
// Measures dist/ sizes (raw, gzip -9, brotli -11), Lighthouse scores (mobile + desktop) for
// #/login and #/account (signed in) served by the simulator, and the number of /api/ requests
// from clicking "Sign in" to the rendered account page. Prints Markdown, writes latest.md.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
// GX_DIST_DIR measures another build (the Playwright setup honours it too).
const DIST = process.env.GX_DIST_DIR ? path.resolve(process.env.GX_DIST_DIR) : path.join(ROOT, 'dist');
const SIM = path.join(ROOT, 'target', 'debug', 'gigalixir-sim');
// Shared with playwright.config.ts.
const CHROMIUM_CONFIG = JSON.parse(
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'chromium.json'), 'utf8'),
);
const CHROMIUM = process.env.CHROME_PATH || CHROMIUM_CONFIG.executablePath;
const OUT = path.join(HERE, 'latest.md');

// The size budget: wasm + JS + CSS of the whole console at most 160,000 bytes brotli. Every
// reader downloads these.
const BUDGET_CODE_BYTES = 160_000;
// A ratchet on everything in dist/, Spanish and the HTML included, so the most any reader
// downloads: it sits 1 KiB above the last measured size (docs/size-log.md) so nothing grows
// unnoticed; a change that adds size raises it on purpose and says why in the size log.
// 1 KiB = 1024 bytes.
const BUDGET_BROTLI_BYTES = 165.1 * 1024;
// The other budgets, checked by a full run (`bash .ci/bench`).
const MIN_PERFORMANCE = 98;
const MAX_SIGN_IN_REQUESTS = 2;
const MAX_HEAP_BYTES = 4 * 1024 * 1024;
/** Time from navigation to a painted, typable email field on a throttled phone (issue 17). */
const MAX_TYPABLE_MS = 800;
/** The throttled phone: 4x slower CPU, 1.6 Mbps down, 750 kbps up, 150 ms round trips. */
const SLOW_PHONE = { cpu: 4, latency: 150, download: 1.6e6 / 8, upload: 750e3 / 8 };
/** Lighthouse runs per page on mobile, of which the median is kept. */
const MOBILE_RUNS = 3;
/** Times the memory measure opens every account tab, to show a long session's heap is stable. */
const TOUR_ROUNDS = 25;

const CHROMIUM_FLAGS = CHROMIUM_CONFIG.args;

const DEMO = { email: 'demo@example.com', password: 'demo-password' };

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--size-only', '--check-size'].includes(a)) {
    console.error(`unknown argument ${a}\nusage: bench.mjs [--size-only] [--check-size]`);
    process.exit(2);
  }
}

const log = (msg) => console.error(`    ${msg}`);

// ---------------------------------------------------------------- sizes

/** Spanish's row: downloaded only by those who read Spanish. */
const SPANISH = 'Spanish (`es.txt`, fetched only when chosen)';

function category(file) {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.wasm') return 'wasm';
  if (ext === '.js' || ext === '.mjs') return 'JS';
  if (ext === '.css') return 'CSS';
  if (ext === '.html') return 'HTML';
  if (path.basename(file) === 'es.txt') return SPANISH;
  return 'other';
}

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    // `_headers` is deployment configuration that hosts read and never serve.
    else if (entry.isFile() && !entry.name.startsWith('_')) out.push(full);
  }
  return out.sort();
}

function measureSizes() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: build the console first (trunk build --release).`);
  }
  const rows = new Map(['wasm', 'JS', 'CSS', 'HTML', SPANISH, 'other'].map((c) => [c, { files: 0, raw: 0, gzip: 0, brotli: 0 }]));
  const files = [];
  for (const file of listFiles(DIST)) {
    const data = fs.readFileSync(file);
    const gzip = zlib.gzipSync(data, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).length;
    const row = rows.get(category(file));
    row.files += 1;
    row.raw += data.length;
    row.gzip += gzip;
    row.brotli += brotli;
    files.push({ file: path.relative(DIST, file), raw: data.length, gzip, brotli });
  }
  const total = { files: 0, raw: 0, gzip: 0, brotli: 0 };
  for (const row of rows.values()) for (const k of Object.keys(total)) total[k] += row[k];
  return { rows, total, files };
}

/** wasm + JS + CSS: what the size budget counts. */
function codeBytes(rows) {
  const sum = { raw: 0, gzip: 0, brotli: 0 };
  for (const kind of ['wasm', 'JS', 'CSS']) for (const k of Object.keys(sum)) sum[k] += rows.get(kind)[k];
  return sum;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const bytes = (n) => `${n.toLocaleString('en-US')} B (${kib(n)})`;

function sizeTable({ rows, total }) {
  const lines = ['| Kind | Files | Raw | gzip -9 | brotli -11 |', '|---|---:|---:|---:|---:|'];
  for (const [name, r] of rows) {
    if (r.files) lines.push(`| ${name} | ${r.files} | ${bytes(r.raw)} | ${bytes(r.gzip)} | ${bytes(r.brotli)} |`);
  }
  lines.push(`| **total** | ${total.files} | **${bytes(total.raw)}** | **${bytes(total.gzip)}** | **${bytes(total.brotli)}** |`);
  const code = codeBytes(rows);
  lines.push(`| wasm + JS + CSS (the budget) | | ${bytes(code.raw)} | ${bytes(code.gzip)} | **${bytes(code.brotli)}** |`);
  const es = rows.get(SPANISH);
  if (es.files) {
    const english = (k) => total[k] - es[k];
    lines.push(`| total for an English reader (all but \`es.txt\`) | ${total.files - es.files} | ${bytes(english('raw'))} | ${bytes(english('gzip'))} | ${bytes(english('brotli'))} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- simulator

async function startSim() {
  if (!fs.existsSync(SIM)) throw new Error(`${SIM} is missing: run cargo build -p gigalixir-sim first.`);
  const child = spawn(SIM, ['--addr', '127.0.0.1:0', '--db', ':memory:', '--serve-dir', DIST, '--test-controls'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d));
  const lines = readline.createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line),
    once(child, 'exit').then(([code]) => {
      throw new Error(`gigalixir-sim exited (${code}) before listening:\n${Buffer.concat(stderr)}`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('gigalixir-sim did not start within 30 s')), 30_000)),
  ]);
  const m = /^gigalixir-sim listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  if (!m) {
    child.kill();
    throw new Error(`unexpected first line from gigalixir-sim: ${JSON.stringify(first)}`);
  }
  lines.on('line', () => {}); // keep draining the banner and logs
  return { url: m[1], stop: () => child.kill('SIGTERM') };
}

/** A real API key for an account, from GET /api/login (Basic, percent-encoded halves). */
async function apiKey(base, { email, password }) {
  const basic = Buffer.from(`${encodeURIComponent(email)}:${encodeURIComponent(password)}`).toString('base64');
  const res = await fetch(`${base}/api/login`, { headers: { authorization: `Basic ${basic}` }, redirect: 'manual' });
  if (res.status !== 200) throw new Error(`GET /api/login for ${email} answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return body.data.key;
}

/** Bytes the simulator actually sends for each dist/ file with Accept-Encoding: br, gzip. */
async function servedSizes(base, files) {
  let total = 0;
  const encodings = new Set();
  for (const { file } of files) {
    const urlPath = file === 'index.html' ? '/' : `/${file.split(path.sep).join('/')}`;
    // node's fetch would decompress; ask with the http module to count wire bytes.
    const size = await new Promise((resolve, reject) => {
      http
        .get(`${base}${urlPath}`, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
          let n = 0;
          encodings.add(res.headers['content-encoding'] || 'identity');
          res.on('data', (d) => (n += d.length));
          res.on('end', () => resolve(n));
        })
        .on('error', reject);
    });
    total += size;
  }
  return { total, encodings: [...encodings].sort().join(', ') };
}

// ---------------------------------------------------------------- chromium + lighthouse

/** Launch Debian's Chromium with a fresh profile and a DevTools port; returns {port, close}. */
async function launchChromium() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gx-bench-chromium-'));
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group, so closing it also ends the renderer and utility processes.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const lines = readline.createInterface({ input: child.stderr });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Chromium did not open a DevTools port within 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`Chromium exited (${code}) before opening a DevTools port`)));
  });
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        process.kill(-child.pid, 'SIGTERM');
        await exited;
      }
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** Put a signed-in session into localStorage ("Keep me signed in") and check it works. */
async function seedSession(port, base, session) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0];
    const page = await context.newPage();
    await page.goto(`${base}/#/login`);
    await page.evaluate((value) => localStorage.setItem('gx.session', value), JSON.stringify(session));
    // A fresh document load, so the console reads the stored session at start-up.
    await page.goto('about:blank');
    await page.goto(`${base}/#/account`);
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor({ timeout: 15_000 });
    await page.close();
  } finally {
    await browser.close(); // over CDP this only disconnects; the browser and its storage stay
  }
}

async function runLighthouse(url, formFactor, { signedIn, base, session }) {
  const { default: lighthouse } = await import('lighthouse');
  const chrome = await launchChromium();
  try {
    if (signedIn) await seedSession(chrome.port, base, session);
    let config;
    if (formFactor === 'desktop') {
      config = (await import('lighthouse/core/config/desktop-config.js')).default;
    }
    const result = await lighthouse(
      url,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        // Keep the seeded session; a fresh profile per run makes this fair for #/login too.
        disableStorageReset: true,
      },
      config,
    );
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    // The console redirects with replaceState; make sure the page measured is the one asked for.
    if (new URL(lhr.finalDisplayedUrl).hash !== new URL(url).hash) {
      throw new Error(`Lighthouse measured ${lhr.finalDisplayedUrl}, not ${url} (was the session seeded?)`);
    }
    const score = (id) => (lhr.categories[id]?.score == null ? 'n/a' : Math.round(lhr.categories[id].score * 100));
    const audit = (id) => lhr.audits[id]?.displayValue ?? 'n/a';
    const failed = [];
    for (const id of ['accessibility', 'best-practices']) {
      for (const ref of lhr.categories[id]?.auditRefs ?? []) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a && a.score !== null && a.score < 1) failed.push(`${id}: ${a.id}`);
      }
    }
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      fcp: audit('first-contentful-paint'),
      lcp: audit('largest-contentful-paint'),
      tbt: audit('total-blocking-time'),
      cls: audit('cumulative-layout-shift'),
      failed,
    };
  } finally {
    await chrome.close();
  }
}

// ---------------------------------------------------------------- sign-in request count

async function signInRequests(base) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/#/login`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(DEMO.email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO.password);
    const api = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.pathname.startsWith('/api/')) api.push(`${req.method()} ${u.pathname}`);
    });
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await page.getByRole('definition').filter({ hasText: DEMO.email }).first().waitFor();
    const ms = Date.now() - t0;
    await page.waitForLoadState('networkidle');
    return { count: api.length, requests: api, ms };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- time to typable email

// When the page's #email is in the document and a frame with it has been painted, and when
// the app has taken the page over from the static shell (the wasm downloaded and started).
const RECORD_TYPABLE = () => {
  const t = { typable: null, app: null };
  window.__typable = t;
  let shell = null;
  new MutationObserver(() => {
    const email = document.getElementById('email');
    if (email && t.typable === null) {
      t.typable = -1;
      requestAnimationFrame(() => requestAnimationFrame(() => (t.typable = performance.now())));
    }
    shell = shell || document.querySelector('#app > .auth');
    if (shell && !shell.isConnected && email && t.app === null) t.app = performance.now();
  }).observe(document, { childList: true, subtree: true });
};

async function typableTimes(base, route, runs = 3) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: SLOW_PHONE.latency,
        downloadThroughput: SLOW_PHONE.download,
        uploadThroughput: SLOW_PHONE.upload,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_PHONE.cpu });
      await page.addInitScript(RECORD_TYPABLE);
      await page.goto(`${base}/${route}`);
      await page.waitForFunction(() => window.__typable.typable > 0 && window.__typable.app !== null, null, { timeout: 60_000 });
      results.push(await page.evaluate(() => window.__typable));
      await context.close();
    }
    results.sort((a, b) => a.typable - b.typable);
    return { ...results[Math.floor(results.length / 2)], runs: results.map((r) => Math.round(r.typable)) };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- sign-up request count

async function signUpRequests(base) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    const email = `bench-${Date.now()}@example.com`;
    await page.goto(`${base}/#/signup`);
    const api = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.pathname.startsWith('/api/')) api.push(`${req.method()} ${u.pathname}`);
    });
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
    await page.getByRole('button', { name: 'Email me a code', exact: true }).click();
    await page.getByRole('textbox', { name: '6-digit code', exact: true }).waitFor();
    const outbox = await (await fetch(`${base}/__sim/outbox.json`)).json();
    const mail = outbox.data.filter((e) => e.to === email).pop();
    const code = /^\s*(\d{6})\s*$/m.exec(mail.body)[1];
    await page.getByRole('textbox', { name: '6-digit code', exact: true }).fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByLabel('Password', { exact: true }).fill('Correct horse battery 9');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('button', { name: 'Create my account', exact: true }).click();
    await page.getByRole('definition').filter({ hasText: email }).first().waitFor();
    await page.waitForLoadState('networkidle');
    return { count: api.length, requests: api };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- JS heap after load

/** Keeps the wasm's memory where the bench can read it (Trunk's start event carries the exports). */
const KEEP_WASM_MEMORY = () =>
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__gxMemory = e.detail.wasm.memory;
  });

/**
 * After loading `route` and collecting garbage: the JS heap in use (CDP), and the size of the
 * wasm's linear memory, which holds the Rust heap and is not JS heap. With `tour`, the account
 * tabs are then each opened that many times over, as a long session would, and the wasm memory
 * is read again: it must not keep growing.
 */
async function memoryAfterLoad(base, route, session, tour = 0) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript(KEEP_WASM_MEMORY);
    if (session) {
      await page.goto(`${base}/#/login`);
      await page.evaluate((s) => localStorage.setItem('gx.session', JSON.stringify(s)), session);
    }
    await page.goto(`${base}/${route}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    const wasmBytes = () => page.evaluate(() => window.__gxMemory.buffer.byteLength);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const js = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    const wasm = await wasmBytes();
    let toured = null;
    for (let i = 0; i < tour; i++) {
      for (const tab of ['api-key', 'payment-method', 'invoices', 'ssh-keys', 'mfa', 'upgrade', 'delete', 'profile']) {
        await page.evaluate((t) => (location.hash = `#/account/${t}`), tab);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
      }
      toured = await wasmBytes();
    }
    return { js, wasm, toured };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const sizeOnly = args.has('--size-only');
  const checkSize = args.has('--check-size');
  const report = [`# Console benchmark`, '', `Measured ${new Date().toISOString()} on ${os.cpus().length} cores, Node ${process.version}.`, ''];

  // Budgets other than size, checked in a full run; any miss fails the run at the end.
  const over = [];
  const sizes = measureSizes();
  report.push('## dist/ sizes', '', sizeTable(sizes), '');
  report.push(`Budgets: wasm + JS + CSS ≤ ${bytes(BUDGET_CODE_BYTES)} brotli; everything ≤ ${bytes(BUDGET_BROTLI_BYTES)} brotli (a ratchet).`, '');

  if (!sizeOnly) {
    process.env.CHROME_PATH = CHROMIUM;
    const sim = await startSim();
    try {
      log(`simulator at ${sim.url}`);
      const served = await servedSizes(sim.url, sizes.files);
      report.push(`Served by the simulator with \`Accept-Encoding: br, gzip\`: ${bytes(served.total)} (content-encoding: ${served.encodings}).`, '');

      const key = await apiKey(sim.url, DEMO);
      const session = { email: DEMO.email, api_key: key };
      const lh = ['| Page | Form factor | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS |', '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
      const notes = [];
      // Every public route of the contract's list (the message pages with a message; the set-
      // password page without a token, as a token is scrubbed from the address at once).
      const publicRoutes = [
        '#/login',
        '#/signup',
        '#/register',
        '#/password/reset',
        '#/password/set',
        '#/confirmation/resend',
        '#/notify?msg=email_confirmed',
        '#/success?msg=account_deleted',
      ];
      for (const [route, signedIn] of [...publicRoutes.map((r) => [r, false]), ['#/account', true]]) {
        for (const formFactor of ['mobile', 'desktop']) {
          // Mobile's 4x CPU slowdown multiplies this shared machine's run-to-run noise into
          // Total Blocking Time: one run can miss by 6 points that the next one makes. The
          // median of three (by performance score) is what is reported and budgeted, with the
          // range beside it.
          const runs = [];
          for (let i = 0; i < (formFactor === 'mobile' ? MOBILE_RUNS : 1); i++) {
            log(`Lighthouse ${formFactor} ${route}${signedIn ? ' (signed in)' : ''}, run ${i + 1}`);
            runs.push(await runLighthouse(`${sim.url}/${route}`, formFactor, { signedIn, base: sim.url, session }));
          }
          runs.sort((a, b) => a.performance - b.performance);
          const r = runs[Math.floor(runs.length / 2)];
          const range = runs.length > 1 ? ` (${runs[0].performance}–${runs[runs.length - 1].performance})` : '';
          lh.push(`| \`${route}\` | ${formFactor} | ${r.performance}${range} | ${r.accessibility} | ${r.bestPractices} | ${r.fcp} | ${r.lcp} | ${r.tbt} | ${r.cls} |`);
          if (r.performance < MIN_PERFORMANCE) over.push(`Lighthouse performance ${r.performance} < ${MIN_PERFORMANCE} on ${route} ${formFactor}`);
          for (const run of runs) {
            if (run.accessibility < 100) over.push(`Lighthouse accessibility ${run.accessibility} < 100 on ${route} ${formFactor}`);
            if (run.bestPractices < 100) over.push(`Lighthouse best practices ${run.bestPractices} < 100 on ${route} ${formFactor}`);
          }
          if (r.failed.length) notes.push(`- \`${route}\` ${formFactor}: failing audits: ${r.failed.join(', ')}`);
        }
      }
      report.push('## Lighthouse (12, simulated throttling)', '', `Mobile: the median of ${MOBILE_RUNS} runs by performance score, with their range; desktop: one run. The other columns are the median run's.`, '', lh.join('\n'), '');
      if (notes.length) report.push(...notes, '');

      const typable = [];
      for (const route of ['#/login', '#/password/reset', '#/confirmation/resend']) {
        log(`time to a typable email on ${route}, throttled phone`);
        const t = await typableTimes(sim.url, route);
        typable.push(`| \`${route}\` | ${Math.round(t.typable)} ms (${t.runs.join(', ')}) | ${Math.round(t.app)} ms |`);
        if (t.typable > MAX_TYPABLE_MS) over.push(`time to a typable email ${Math.round(t.typable)} ms > ${MAX_TYPABLE_MS} ms on ${route}`);
      }
      report.push(
        '## Time to a typable email',
        '',
        `A throttled phone (CPU 4x slower, ${SLOW_PHONE.download * 8 / 1e6} Mbps down, ${SLOW_PHONE.latency} ms round trips), fresh cache, median of 3: from navigation to a painted email field, and to the app taking over. Budget ${MAX_TYPABLE_MS} ms.`,
        '',
        '| Page | Typable | App started |',
        '|---|---:|---:|',
        ...typable,
        '',
      );

      log('counting /api/ requests for a sign-in');
      const req = await signInRequests(sim.url);
      report.push('## Sign-in', '', `Requests to \`/api/\` from clicking "Sign in" to the rendered account page: **${req.count}** (${req.requests.join(', ')}); ${req.ms} ms.`, '');
      if (req.count > MAX_SIGN_IN_REQUESTS) over.push(`sign-in took ${req.count} requests > ${MAX_SIGN_IN_REQUESTS}`);
      const heap = [];
      const wasmMemory = [];
      for (const [route, s, tour] of [['#/login', null, 0], ['#/account', session, TOUR_ROUNDS]]) {
        log(`memory after loading ${route}${tour ? ` and touring the account tabs ${tour} times` : ''}`);
        const used = await memoryAfterLoad(sim.url, route, s, tour);
        heap.push(`\`${route}\` ${bytes(used.js)}`);
        wasmMemory.push(`\`${route}\` ${kib(used.wasm)}`);
        if (used.toured !== null) wasmMemory.push(`after opening every account tab ${tour} times over, ${kib(used.toured)}`);
        if (used.js > MAX_HEAP_BYTES) over.push(`JS heap ${bytes(used.js)} > ${bytes(MAX_HEAP_BYTES)} after loading ${route}`);
      }
      report.push('## JS heap', '', `In use after load and a garbage collection (CDP \`JSHeapUsedSize\`): ${heap.join(', ')}. Budget ${bytes(MAX_HEAP_BYTES)}.`, '');
      report.push('## wasm memory', '', `The wasm's linear memory (the Rust heap, its stack and data; not JS heap), after load: ${wasmMemory.join('; ')}.`, '');
      log('counting /api/ requests for an email sign-up on the Free plan');
      const up = await signUpRequests(sim.url);
      report.push('## Sign-up', '', `Requests to \`/api/\` from "Email me a code" to the rendered account page (Free plan): **${up.count}** (${up.requests.join(', ')}).`, '');
    } finally {
      sim.stop();
    }
  }

  const text = report.join('\n');
  console.log(text);
  if (!sizeOnly) {
    fs.writeFileSync(OUT, `${text}\n`);
    log(`wrote ${path.relative(process.cwd(), OUT)}`);
  }

  if (over.length) {
    console.error(`\nBUDGETS EXCEEDED:\n${over.map((o) => `  ${o}`).join('\n')}`);
    process.exit(1);
  }
  if (checkSize) {
    const total = sizes.total.brotli;
    const code = codeBytes(sizes.rows).brotli;
    const misses = [];
    if (code > BUDGET_CODE_BYTES) misses.push(`wasm + JS + CSS ${bytes(code)} > ${bytes(BUDGET_CODE_BYTES)} (over by ${bytes(code - BUDGET_CODE_BYTES)})`);
    if (total > BUDGET_BROTLI_BYTES) misses.push(`everything ${bytes(total)} > ${bytes(BUDGET_BROTLI_BYTES)} (over by ${bytes(total - BUDGET_BROTLI_BYTES)})`);
    if (misses.length) {
      console.error(
        `\nSIZE BUDGET EXCEEDED (brotli): ${misses.join('; ')}.\n` +
          sizes.files
            .sort((a, b) => b.brotli - a.brotli)
            .map((f) => `  ${f.file}: ${bytes(f.brotli)} brotli, ${bytes(f.raw)} raw`)
            .join('\n'),
      );
      process.exit(1);
    }
    console.error(`\nSize budgets OK (brotli): wasm + JS + CSS ${bytes(code)} ≤ ${bytes(BUDGET_CODE_BYTES)}; everything ${bytes(total)} ≤ ${bytes(BUDGET_BROTLI_BYTES)}.`);
  }

}

main().catch((err) => {
  console.error(`\nbench failed: ${err.stack || err}`);
  process.exit(1);
});
