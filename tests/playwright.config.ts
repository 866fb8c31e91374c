import { defineConfig } from '@playwright/test';

/**
 * Browser tests for the console, against the simulator serving the release build (dist/).
 * The global setup starts `target/debug/gigalixir-sim` on a free port with an in-memory
 * database and exports its URL as GX_BASE_URL (see e2e/global-setup.ts).
 */

// Debian's Chromium (Playwright's own download cannot work offline), as root.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_FLAGS,
    },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
