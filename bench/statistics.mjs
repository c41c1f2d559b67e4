// The statistics section of `npm run bench` (BENCH_ONLY=statistics for it alone): one call of
// `GET /api/v1/statistics` per grouping over the whole generated register, a national caller, each timed
// from request to answer (target: under 2 s at 100,000 persons). Printed as numbers, one row each.
// Today's compliance comes from the stored states the worker's scan keeps (run.mjs runs one scan first,
// as the worker would have). The generated register opened HISTORY_DAYS ago (generate.mjs), and its days
// since are recorded (run.mjs runs `statistics:record`, as the worker does each hour): yesterday, and the
// month ends since the opening, are read from the recorded stocks.

import { performance } from 'node:perf_hooks';

/** Yesterday in Belgrade. */
const yesterday = () => new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Belgrade' });

/** The calls timed: each grouping, today; then yesterday, a recorded day. */
const CALLS = [
  ...['', 'region', 'offence', 'measure', 'month'].map((groupBy) => ({
    query: groupBy ? `?groupBy=${groupBy}` : '',
    title: `GET /statistics${groupBy ? `?groupBy=${groupBy}` : ''} (statistics, 1 call)`,
  })),
  ...['', 'region'].map((groupBy) => ({
    query: `?asOf=${yesterday()}${groupBy ? `&groupBy=${groupBy}` : ''}`,
    title: `GET /statistics?asOf=yesterday${groupBy ? `&groupBy=${groupBy}` : ''} (statistics, recorded day, 1 call)`,
  })),
];

/**
 * `base`: the api's address; `headers`: a signed-in national caller's (a clerk). One call per grouping,
 * sequential (each is one statement per month or grouping); asOf today, from 1 January.
 */
export async function statisticsScenarios(base, headers, log) {
  const results = [];
  for (const { query, title: scenario } of CALLS) {
    const started = performance.now();
    const res = await fetchOnce(`${base}/api/v1/statistics${query}`, headers);
    const body = await res.json();
    const ms = Math.round(performance.now() - started);
    log(`${scenario}: ${res.status} in ${ms} ms (${body.total?.personsRegistered ?? '?'} persons)`);
    results.push({
      scenario,
      requestsPerSecond: Number((1000 / ms).toFixed(2)),
      p50Ms: ms,
      p99Ms: ms,
      errors: res.status === 200 ? 0 : 1,
      status: res.status,
      personsRegistered: body.total?.personsRegistered ?? null,
    });
  }
  return results;
}

/** A GET, sent again once if a kept-alive connection turns out closed (the api closes idle ones). */
async function fetchOnce(url, headers) {
  try {
    return await fetch(url, { headers });
  } catch (error) {
    if (!['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'].includes(error?.cause?.code)) throw error;
    return fetch(url, { headers });
  }
}
