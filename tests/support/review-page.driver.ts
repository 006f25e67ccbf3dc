// Drives the review page in headless chromium for tests/e2e/review-page.e2e.spec.ts, in a process
// of its own: puppeteer-core is an ES module, which Node's require loads and Jest's cannot. It
// takes its inputs from the environment, plays the maker and then the checker, and prints what
// it saw as one JSON line for the test to judge.
import puppeteer, { Browser, Page } from 'puppeteer-core';

const input = {
  url: required('REVIEW_URL'),
  makerKey: required('REVIEW_MAKER_KEY'),
  checkerKey: required('REVIEW_CHECKER_KEY'),
  exceptionId: required('REVIEW_EXCEPTION_ID'),
  partnerId: required('REVIEW_PARTNER_ID'),
  note: required('REVIEW_NOTE'),
  screenshot: required('REVIEW_SCREENSHOT'),
  /** How many of the partner's exceptions the queue shows before the maker picks one. */
  queueLength: Number(process.env.REVIEW_QUEUE_LENGTH ?? '3'),
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const text = (page: Page, selector: string) =>
  page.$eval(selector, (element) => element.textContent ?? '');

async function signIn(browser: Browser, apiKey: string): Promise<Page> {
  // A context of its own per operator: nothing of one operator's tab is seen by the other's.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1440, height: 980 });
  await page.goto(`${input.url}/admin/review`, { waitUntil: 'domcontentloaded' });
  await page.type('#api-key', apiKey);
  await page.click('#key-form button[type=submit]');
  await page.waitForFunction("document.getElementById('whoami').textContent !== ''");
  return page;
}

async function waitForMessage(page: Page, part: string): Promise<string> {
  await page.waitForFunction(
    `document.getElementById('message').textContent.includes(${JSON.stringify(part)})`,
    { timeout: 30_000 },
  );
  return text(page, '#message');
}

/** Alice: sign in, open the exception from the queue, propose accept_bank with a note. */
async function maker(browser: Browser, row: string) {
  const page = await signIn(browser, input.makerKey);
  const whoami = await text(page, '#whoami');
  const stored = await page.evaluate(
    "[sessionStorage.getItem('rtp-review-key'), localStorage.length]",
  );
  // Other suites' exceptions share the queue: this partner's only (the list is oldest first).
  await page.type('#filters input[name=partnerId]', input.partnerId);
  await page.click('#filters button[type=submit]');
  await page.waitForSelector(row, { timeout: 20_000 });
  await page.waitForFunction(
    `document.querySelectorAll('#exceptions tr[data-id]').length === ${input.queueLength}`,
    { timeout: 10_000 },
  );
  const classes = await page.$$eval('#exceptions tr td:nth-child(2)', (cells) =>
    cells.map((cell) => cell.textContent),
  );
  await page.click(row);
  await page.waitForSelector('#detail:not([hidden])');
  const ledgerSide = await text(page, '#ledger-side');
  const bankSide = await text(page, '#bank-side');
  await page.select('#propose-form select[name=resolution]', 'accept_bank');
  await page.type('#propose-form textarea[name=note]', input.note);
  await page.click('#propose-form button[type=submit]');
  const message = await waitForMessage(page, 'Proposal sent: done');
  const proposals = await text(page, '#proposals');
  const approveButtons = await page.$$eval(
    '#proposals button.approve',
    (buttons) => buttons.length,
  );
  return { whoami, stored, classes, ledgerSide, bankSide, message, proposals, approveButtons };
}

/** Bob: sign in, find the exception among this partner's (any status), approve the proposal. */
async function checker(browser: Browser, row: string) {
  const page = await signIn(browser, input.checkerKey);
  await page.select('#filters select[name=status]', '');
  await page.type('#filters input[name=partnerId]', input.partnerId);
  await page.click('#filters button[type=submit]');
  await page.waitForSelector(`${row} .status.awaiting_approval`);
  await page.click(row);
  await page.waitForSelector('#proposals button.approve');
  const proposalId = await page.$eval('#proposals li[data-proposal]', (item) =>
    item.getAttribute('data-proposal'),
  );
  await page.screenshot({ path: input.screenshot, fullPage: true });
  await page.click('#proposals button.approve');
  const message = await waitForMessage(page, 'Approval sent: done');
  const summary = await text(page, '#detail-summary');
  const audit = await text(page, '#audit');
  return { proposalId, message, summary, audit };
}

async function main(): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath: input.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const row = `tr[data-id="${input.exceptionId}"]`;
    const seenByMaker = await maker(browser, row);
    const seenByChecker = await checker(browser, row);
    console.log(JSON.stringify({ maker: seenByMaker, checker: seenByChecker }));
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
