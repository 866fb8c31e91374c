import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/**
 * Start the simulator on a free port with an in-memory database, serving dist/, and export
 * its URL to the tests as GX_BASE_URL. Returns the teardown that stops it.
 * Its stdout/stderr go to tests/artifacts/sim.log. GX_DIST_DIR overrides the served directory.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = path.resolve(__dirname, '..', '..');
  const sim = path.join(root, 'target', 'debug', 'gigalixir-sim');
  const dist = process.env.GX_DIST_DIR ? path.resolve(process.env.GX_DIST_DIR) : path.join(root, 'dist');
  if (!fs.existsSync(sim)) throw new Error(`${sim} is missing: run \`cargo build -p gigalixir-sim\` (or .ci/test).`);
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: run \`trunk build --release\` at the repository root (or .ci/test).`);
  }

  const artifacts = path.join(root, 'tests', 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const logFile = fs.createWriteStream(path.join(artifacts, 'sim.log'));

  // Every test shares this simulator and the address 127.0.0.1, so the per-IP email limit is
  // raised; per-address limits stay real, and 429 paths are driven by the fault control.
  const args = ['--addr', '127.0.0.1:0', '--db', ':memory:', '--serve-dir', dist, '--email-ip-limit', '100000', '--login-ip-limit', '100000', '--test-controls'];
  const child = spawn(sim, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(logFile);

  const lines = readline.createInterface({ input: child.stdout });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gigalixir-sim printed nothing within 30 s')), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gigalixir-sim exited with ${code} before listening; see tests/artifacts/sim.log`));
    });
  });
  logFile.write(`${firstLine}\n`);
  lines.on('line', (line) => logFile.write(`${line}\n`));

  const match = /^gigalixir-sim listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
  if (!match) {
    child.kill('SIGTERM');
    throw new Error(`unexpected first stdout line from gigalixir-sim: ${JSON.stringify(firstLine)}`);
  }
  process.env.GX_BASE_URL = match[1];
  console.log(`[global-setup] simulator at ${match[1]} (log: tests/artifacts/sim.log)`);

  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    logFile.end();
  };
}
