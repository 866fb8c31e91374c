import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Browser tests for the console, against the simulator serving the release build (dist/).
 * The global setup starts `target/debug/gigalixir-sim` on a free port with an in-memory
 * database and exports its URL as GX_BASE_URL (see e2e/global-setup.ts).
 */

// Debian's Chromium (Playwright's own download cannot work offline); flags shared with the bench.
const chromium = JSON.parse(fs.readFileSync(path.join(__dirname, 'chromium.json'), 'utf8')) as {
  executablePath: string;
  args: string[];
};

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  outputDir: './test-results',
  // Faults are global state in the simulator: one test at a time, in one worker.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    // Playwright gives each test a fresh browser context, i.e. a fresh user-data state;
    // the browser process itself gets a fresh temporary --user-data-dir from Playwright.
    launchOptions: {
      executablePath: chromium.executablePath,
      args: chromium.args,
    },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
