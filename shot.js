const { chromium } = require('/work/main/tests/node_modules/playwright-core');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
  const page = await browser.newPage({viewport: {width: 800, height: 600}});
  const errors = [];
  page.on('console', m => errors.push(m.type() + ': ' + m.text()));
  await page.goto(process.argv[2]);
  await page.screenshot({path: '/tmp/stripe-smoke/consent.png'});
  await page.getByLabel('Google account email').fill('bad');
  await page.getByRole('button', {name: 'Continue'}).click();
  await page.screenshot({path: '/tmp/stripe-smoke/consent-invalid.png'});
  await page.getByLabel('Google account email').fill('demo@example.com');
  await page.getByLabel('Google account email').press('Enter');
  await page.waitForLoadState();
  await page.screenshot({path: '/tmp/stripe-smoke/consent-done.png'});
  console.log(await page.title(), JSON.stringify(errors));
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
