// Opens a Prometheus page in headless chromium and saves a screenshot, for
// tests/e2e/prometheus-alerts.e2e.spec.ts, in a process of its own (puppeteer-core is an ES
// module, which Jest cannot load). Prints the page's visible text as one JSON line.
import puppeteer from 'puppeteer-core';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const url = required('PROMETHEUS_PAGE_URL');
  const waitFor = required('PROMETHEUS_PAGE_TEXT');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 1100 });
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(waitFor)})`, {
      timeout: 20_000,
    });
    // The classic alerts page lists each rule collapsed; open the firing ones.
    await page.evaluate(
      "document.querySelectorAll('.alert-danger, .alert-warning').forEach((row) => row.click())",
    );
    await page.screenshot({ path: required('PROMETHEUS_SCREENSHOT'), fullPage: false });
    const text = await page.evaluate('document.body.innerText');
    console.log(JSON.stringify({ text }));
  } finally {
    await browser.close();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
