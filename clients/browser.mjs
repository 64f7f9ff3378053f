// Drives the GraphiQL playground in Debian's headless Chromium, as a person
// would: opens `URL/`, checks that the headers editor holds the demo key,
// opens the schema documentation, runs the default query with the ▶ button
// and waits for orders in the result pane. Every request the browser makes
// is recorded; one that leaves the machine (not 127.0.0.1, localhost or
// [::1], nor inline data) fails the run. A screenshot is kept in
// clients/artifacts/graphiql.png (or the file name given second), also when
// the run fails. The paths requested are printed: GraphiQL posts to the
// endpoint path the server configured (`--graphql-path`).
//
//   node clients/browser.mjs http://127.0.0.1:8080 [SCREENSHOT_NAME.png]
//
// Exits 0 when everything held, 1 when a check failed, 2 on a usage error.
// Uses playwright-core with /usr/bin/chromium (CHROMIUM overrides the path):
// it never downloads a browser.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [base, screenshotName = 'graphiql.png'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node clients/browser.mjs BASE_URL   (for example http://127.0.0.1:8080)');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(
    `${executablePath} is missing: install Debian's chromium and chromium-driver (.ci/run does)`,
  );
  process.exit(1);
}

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const screenshot = join(artifacts, screenshotName.replace(/[\\/]/g, '_'));
const timeout = 30_000;

/** A URL the browser may load: this machine, or inline data. */
function isLocal(url) {
  if (/^(data|blob|about):/i.test(url)) return true;
  try {
    const { hostname, protocol } = new URL(url);
    return (
      (protocol === 'http:' || protocol === 'https:' || protocol === 'ws:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(hostname)
    );
  } catch {
    return false;
  }
}

/** The text of GraphiQL's result pane (all of it: CodeMirror renders only what is in view). */
async function resultText(page) {
  return page.evaluate(() => {
    const pane = document.querySelector('.graphiql-response');
    if (!pane) return '';
    const editor = pane.querySelector('.CodeMirror');
    if (editor && editor.CodeMirror) return editor.CodeMirror.getValue();
    return pane.innerText;
  });
}

const requests = [];
const consoleErrors = [];
const failures = [];
const check = (ok, message) => {
  if (ok) console.log(`ok   ${message}`);
  else {
    console.log(`FAIL ${message}`);
    failures.push(message);
  }
};

const profile = mkdtempSync(join(tmpdir(), 'ordergraph-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Nothing but this machine resolves, whatever the page might try.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
    viewport: { width: 1600, height: 1000 },
    timeout,
  });
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));

  const url = new URL('/', base).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  check(response?.status() === 200, `GET ${url} answers 200 (got ${response?.status()})`);

  // GraphiQL is up once its run button is there.
  const run = page.locator('.graphiql-execute-button');
  await run.waitFor({ state: 'visible' });
  check(true, 'GraphiQL started');

  // The query editor opens on the default query.
  const query = await page.evaluate(() => {
    const editor = document.querySelector('.graphiql-query-editor .CodeMirror');
    return editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';
  });
  check(/orders\s*\(/.test(query) && query.includes('after'), 'the default tab holds the paginated order list');

  // The headers editor holds the demo key.
  const headers = await page.evaluate(() => {
    const editor = document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')
      ?? [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')].pop();
    return editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';
  });
  check(/"Authorization":\s*"Bearer og_/.test(headers), 'the headers editor holds the demo key');

  // The schema documentation opens (it needs introspection through the endpoint).
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => /Query/.test(document.querySelector('.graphiql-doc-explorer')?.innerText ?? ''),
  );
  check(true, 'the documentation explorer shows the schema');
  // Closed again, as a person opening the page first sees it.
  await page.locator('button[aria-label="Hide Documentation Explorer"]').click();
  await docs.waitFor({ state: 'hidden' });

  // Run the default query and wait for orders in the result pane.
  await run.click();
  let result = '';
  try {
    await page.waitForFunction(
      () => {
        const editor = document.querySelector('.graphiql-response .CodeMirror');
        const text = editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';
        return text.includes('"orders"') && /ORD-\d+/.test(text);
      },
      undefined,
      { timeout },
    );
  } catch {
    // Reported below with what the pane held.
  }
  result = await resultText(page);
  check(result.includes('"orders"') && /ORD-\d+/.test(result), 'the result pane shows orders');
  check(!result.includes('"errors"'), 'the result has no errors');
  if (failures.length > 0) console.log(`result pane: ${result.slice(0, 600)}`);

  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`screenshot: ${screenshot}`);
} catch (err) {
  failures.push(String(err?.stack ?? err));
  console.log(`FAIL ${err?.message ?? err}`);
  try {
    const page = context?.pages()[0];
    if (page) {
      await page.screenshot({ path: screenshot });
      console.log(`screenshot: ${screenshot}`);
    }
  } catch {
    // No screenshot to keep.
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

const remote = requests.filter((url) => !isLocal(url));
const paths = [...new Set(requests.map((url) => (isLocal(url) && /^https?:/.test(url) ? new URL(url).pathname : url)))];
console.log(`requested: ${paths.join(' ')}`);
console.log(`requests: ${requests.length}, ${remote.length} not on this machine`);
check(requests.length > 0, 'the browser made requests (the recording works)');
for (const url of remote) check(false, `a request left the machine: ${url}`);
for (const text of consoleErrors) console.log(`console error: ${text}`);

console.log(failures.length === 0 ? 'browser: all checks passed' : `browser: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
