// The statistics section of `npm run bench` (BENCH_ONLY=statistics for it alone): one call of
// `GET /api/v1/statistics` per grouping over the whole generated register, a national caller, each timed
// from request to answer (target: under 2 s at 100,000 persons). Printed as numbers, one row each.

import { performance } from 'node:perf_hooks';

/** The groupings timed, as the titles of their rows. */
const GROUPINGS = ['', 'region', 'offence', 'measure', 'month'];

/**
 * `base`: the api's address; `headers`: a signed-in national caller's (a clerk). One call per grouping,
 * sequential (each is one statement per month or grouping); asOf today, from 1 January.
 */
export async function statisticsScenarios(base, headers, log) {
  const results = [];
  for (const groupBy of GROUPINGS) {
    const scenario = `GET /statistics${groupBy ? `?groupBy=${groupBy}` : ''} (statistics, 1 call)`;
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/statistics${groupBy ? `?groupBy=${groupBy}` : ''}`, { headers });
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
