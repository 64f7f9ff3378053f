// Runs graphql-http's GraphQL-over-HTTP server audit against a running
// ordergraph, sending the API key on every request.
//
//   node clients/audit.mjs http://127.0.0.1:8080/graphql KEY
//
// Prints every result (ok, notice, warn, error) with its audit id, name and
// reason, then a summary line; exits 1 when any audit is an `error` (a MUST
// of the specification that the server breaks), 2 on a usage or fatal error.

import { auditServer } from 'graphql-http';

const [url, key] = process.argv.slice(2);
if (!url || !key) {
  console.error('usage: node clients/audit.mjs URL KEY');
  process.exit(2);
}

/** `fetch` with `Authorization: Bearer KEY` added to every request. */
function fetchWithKey(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
}

/** The start of a failing response's body, to tell why it failed. */
async function bodyOf(response) {
  if (!response || typeof response.clone !== 'function') return '';
  try {
    const text = await response.clone().text();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    // The audit read the body already: the reason has to do.
    return '';
  }
}

let results;
try {
  results = await auditServer({ url, fetchFn: fetchWithKey });
} catch (err) {
  console.error(`the audit could not run: ${err?.stack ?? err}`);
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  if (result.status === 'ok') {
    console.log(`ok     [${result.id}] ${result.name}`);
    continue;
  }
  const status = result.response ? ` (HTTP ${result.response.status})` : '';
  console.log(`${result.status.padEnd(6)} [${result.id}] ${result.name}: ${result.reason}${status}`);
  const body = await bodyOf(result.response);
  if (body) console.log(`         body: ${body}`);
}
console.log(
  `audit: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`,
);
process.exit(counts.error > 0 ? 1 : 0);
