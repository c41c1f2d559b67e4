// `npm run bench`: the register under load on this machine, against the limit PostgreSQL itself sets.
// Settings (environment): BENCH_SEED (42), BENCH_PERSONS (100000), BENCH_AUDIT_EVENTS (10000000),
// BENCH_DURATION_SECONDS (10 per scenario), BENCH_CONNECTIONS (32), BENCH_SERVER_URL
// (postgres://postgres@127.0.0.1:5432: a server where databases may be created). The generated database
// (register_bench_<seed>_<persons>_<events>) is kept and reused: generation and sealing happen once;
// BENCH_PREPARE_ONLY=1 stops there. BENCH_PLACES (20000): places where minors gather for the proximity
// scenario, added once to the generated database (0: no proximity scenario). BENCH_ONLY=<words>: only
// the load scenarios whose title contains those words (e.g. `proximity`), without pgbench, the scan and
// verification; the result files say so. BENCH_ONLY=statistics: one call of /statistics per grouping
// (bench/statistics.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { generate } from './generate.mjs';
import { statisticsScenarios } from './statistics.mjs';

const env = process.env;
const seed = Number(env.BENCH_SEED ?? 42);
const persons = Number(env.BENCH_PERSONS ?? 100_000);
const auditEvents = Number(env.BENCH_AUDIT_EVENTS ?? 10_000_000);
const duration = Number(env.BENCH_DURATION_SECONDS ?? 10);
const connections = Number(env.BENCH_CONNECTIONS ?? 32);
const places = Number(env.BENCH_PLACES ?? 20_000);
const only = env.BENCH_ONLY?.trim().toLowerCase() || null;
/** Whether a scenario runs (BENCH_ONLY). */
const runs = (title) => !only || title.toLowerCase().includes(only);
const server = (env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const dbName = `register_bench_${seed}_${persons}_${auditEvents}`;
const url = `${server}/${dbName}`;
const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, 'bench', '.work');
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

function keyFiles() {
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const file = (name) => path.join(work, name);
  if (!existsSync(file('signing.pem'))) {
    const pem = (key) => key.export({ format: 'pem', type: 'pkcs8' });
    writeFileSync(file('signing.pem'), pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), {
      mode: 0o600,
    });
    writeFileSync(file('mfa.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
    writeFileSync(file('audit-sealing.pem'), pem(generateKeyPairSync('ed25519').privateKey), { mode: 0o600 });
    writeFileSync(file('audit-hash.key'), randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return {
    JWT_SIGNING_KEY_FILE: file('signing.pem'),
    MFA_ENCRYPTION_KEY_FILE: file('mfa.key'),
    AUDIT_SEALING_KEY_FILE: file('audit-sealing.pem'),
    AUDIT_HASH_KEY_FILE: file('audit-hash.key'),
  };
}

const serviceEnv = {
  PATH: env.PATH,
  NODE_ENV: 'production',
  DATABASE_URL: url,
  LOG_LEVEL: 'warn',
  MFA_REQUIRED_ROLES: '',
  RATE_LIMIT_MAX: '100000000',
  ...keyFiles(),
};

const cli = (args, input) =>
  execFileSync('node', ['dist/apps/cli/src/main.js', ...args], {
    cwd: root,
    env: serviceEnv,
    input,
    encoding: 'utf8',
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });

async function query(sql, params = [], database = url) {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function unsealed() {
  const [row] = await query(
    `SELECT count(*)::int AS n FROM audit_events
      WHERE tx >= COALESCE((SELECT tx_to FROM audit_seals ORDER BY seal_no DESC LIMIT 1), '0'::xid8)`,
  );
  return row.n;
}

/** Creates, migrates, fills and seals the benchmark database unless it is there already. */
async function prepare() {
  const exists = await query(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName], `${server}/postgres`);
  if (exists.length) {
    const ready = await query(`SELECT to_regclass('bench_ready') IS NOT NULL AS ready`);
    const prepared = path.join(work, `${dbName}.json`);
    // Ready, with what preparing it wrote beside it (a fresh checkout has the database but not the file: made again).
    if (ready[0].ready && existsSync(prepared)) return JSON.parse(readFileSync(prepared, 'utf8'));
    await query(`DROP DATABASE ${dbName}`, [], `${server}/postgres`);
  }
  await query(`CREATE DATABASE ${dbName}`, [], `${server}/postgres`);
  log(`migrating ${dbName}`);
  cli(['migration:run']);
  const t0 = Date.now();
  await generate({ url, seed, persons, auditEvents, log });
  const generateMs = Date.now() - t0;
  log('sealing the generated audit events (a worker; its first compliance scan raises the backlog of alerts)');
  const t1 = Date.now();
  const firstScanMs = await sealWithWorker();
  const sealMs = Date.now() - t1;
  const prepared = { generateMs, sealMs, firstScanMs };
  writeFileSync(path.join(work, `${dbName}.json`), JSON.stringify(prepared));
  await query(`CREATE TABLE bench_ready (at timestamptz DEFAULT now())`);
  return prepared;
}

/**
 * Runs a worker until every audit event is sealed and its first compliance
 * scan is done, then stops it; returns that scan's duration.
 */
async function sealWithWorker() {
  const worker = spawn('node', ['dist/apps/worker/src/main.js'], {
    cwd: root,
    env: { ...serviceEnv, LOG_LEVEL: 'info', AUDIT_SEAL_INTERVAL_MS: '100', COMPLIANCE_SCAN_INTERVAL_SECONDS: '86400' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let firstScanMs = null;
  let buffered = '';
  worker.stdout.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) {
      if (line.includes('compliance scan done')) firstScanMs = JSON.parse(line).durationMs;
      else if (/"level":(50|60)/.test(line)) log(`worker: ${line}`);
    }
  });
  let exited = false;
  worker.once('exit', () => (exited = true));
  while ((await unsealed()) > 0 || firstScanMs === null) {
    if (exited) throw new Error('the worker stopped before sealing everything');
    await sleep(1000);
  }
  worker.kill('SIGTERM');
  while (!exited) await sleep(100);
  return firstScanMs;
}

function account(username, role, region) {
  const password = `Bench-${randomBytes(9).toString('base64url')}`;
  const args = ['user:create', '--username', username, '--role', role, '--organisation', 'Bench', '--password-stdin'];
  if (region) args.push('--region', region);
  cli(args, `${password}\n`);
  return { username, password };
}

async function startApi() {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const api = spawn('node', ['dist/apps/api/src/main.js'], {
    cwd: root,
    env: { ...serviceEnv, PORT: String(port), HOST: '127.0.0.1', DATABASE_POOL_SIZE: String(connections) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return { api, base };
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error('the api did not start');
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return line ? Math.round(Number(line[1]) / 1024) : null;
}

async function signIn(base, { username, password }) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return (await res.json()).accessToken;
}

/** Starts a new high-water mark of resident memory (Linux: 5 in clear_refs), so that each scenario has its own peak. */
function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** One scenario under autocannon against the api `pid`, with the api's peak RSS during it. */
function load(title, pid, options) {
  if (!runs(title)) return Promise.resolve(null);
  const ownPeak = resetPeakRss(pid);
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration, ...options }, (error, result) => {
      if (error) return reject(error);
      const errors = result.errors + result.timeouts + result.non2xx;
      const rss = peakRssMb(pid);
      log(
        `${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}, peak RSS ${rss} MB`,
      );
      resolve({
        scenario: title,
        connections: options.connections ?? connections,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        errors,
        // Without a reset (not Linux, or not allowed) it is the process's peak so far.
        peakRssMb: rss,
        peakRssOfScenario: ownPeak,
      });
    });
  });
}

/** The SQL of one audited read, run by pgbench at the same concurrency: what PostgreSQL allows at best. */
function pgbenchAuditedRead() {
  const script = path.join(work, 'audited-read.sql');
  writeFileSync(
    script,
    `\\set n random(1, ${persons})
BEGIN;
SELECT p.* FROM persons p WHERE p.id = (SELECT id FROM bench_person_ids WHERE n = :n);
SELECT a.* FROM addresses a WHERE a.person_id = (SELECT id FROM bench_person_ids WHERE n = :n) AND a.valid_to IS NULL;
SELECT c.* FROM convictions c WHERE c.person_id = (SELECT id FROM bench_person_ids WHERE n = :n);
SELECT m.* FROM measures m WHERE m.person_id = (SELECT id FROM bench_person_ids WHERE n = :n);
INSERT INTO audit_events (actor_user_id, actor_username, actor_role, action, resource_type, resource_id, subject_person_ids, reason, outcome, http_status, result_count, request_id)
  VALUES (gen_random_uuid(), 'pgbench', 'registry_clerk', 'person.read', 'person', NULL, '{}', 'bench', 'allowed', 200, 1, 'pgbench');
COMMIT;
`,
  );
  const out = execFileSync(
    'pgbench',
    [
      '-n',
      '-c',
      String(connections),
      '-j',
      String(Math.min(connections, cpus().length)),
      '-T',
      String(duration),
      '-f',
      script,
      '-r',
      url,
    ],
    { encoding: 'utf8', env: { ...env, PGAPPNAME: 'bench' } },
  );
  const tps = Number(out.match(/tps = ([\d.]+)/)[1]);
  const latency = Number(out.match(/latency average = ([\d.]+) ms/)[1]);
  log(`pgbench audited read: ${Math.round(tps)} tx/s, average ${latency} ms`);
  return { scenario: 'pgbench: the SQL of one audited read', requestsPerSecond: Math.round(tps), averageMs: latency };
}

/**
 * The data of the proximity scenario, added once to the generated register (same seed, same data):
 * `places` places where minors gather and coordinates on every current address, around the 27 police
 * administrations' seats (a town of about 12 x 11 km each); a current workplace with coordinates for
 * one person in five; the ban on places with minors for one person in ten.
 */
async function prepareProximity() {
  const [ready] = await query(`SELECT to_regclass('bench_proximity_ready') IS NOT NULL AS ready`);
  if (ready.ready) return JSON.parse(readFileSync(path.join(work, `${dbName}.proximity.json`), 'utf8'));
  const t0 = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT setseed($1)`, [((seed + 1) % 1000) / 1000]);
    // A town's centre per administration, and a point near it.
    await client.query(`
      CREATE TEMPORARY TABLE towns AS
        SELECT code, 42.4 + (row_number() OVER (ORDER BY code) % 6) * 0.65 AS lat,
               19.2 + (row_number() OVER (ORDER BY code) / 6) * 0.8 AS lon
          FROM police_administrations`);
    await client.query(
      `
      INSERT INTO places (external_id, kind, name, address, latitude, longitude)
      SELECT 'BENCH-' || i, (ARRAY['kindergarten','school','playground','sports_club','other'])[1 + i % 5],
             'Mesto ' || i, 'Ulica ' || i, t.lat + (random() - 0.5) * 0.1, t.lon + (random() - 0.5) * 0.14
        FROM generate_series(1, $1) AS i
        JOIN towns t ON t.code = (SELECT array_agg(code ORDER BY code) FROM towns)[1 + i % 27]`,
      [places],
    );
    await client.query(`
      UPDATE addresses a SET latitude = t.lat + (random() - 0.5) * 0.1, longitude = t.lon + (random() - 0.5) * 0.14
        FROM towns t WHERE t.code = a.police_administration AND a.valid_to IS NULL`);
    await client.query(`
      INSERT INTO workplaces (person_id, employer, address, involves_minors, valid_from, latitude, longitude)
      SELECT p.id, 'Preduzeće', 'Radna 1', false, date '2024-01-01',
             t.lat + (random() - 0.5) * 0.1, t.lon + (random() - 0.5) * 0.14
        FROM persons p JOIN towns t ON t.code = p.regions[1]
       WHERE random() < 0.2`);
    await client.query(`
      INSERT INTO measures (person_id, type, starts_on, ends_on)
      SELECT id, 'ban_places_with_minors', current_date - 100, current_date + 3000 FROM persons WHERE random() < 0.1`);
    await client.query('ANALYZE');
    await client.query(`CREATE TABLE bench_proximity_ready (at timestamptz DEFAULT now())`);
  } finally {
    await client.end();
  }
  const prepared = { places, ms: Date.now() - t0 };
  writeFileSync(path.join(work, `${dbName}.proximity.json`), JSON.stringify(prepared));
  log(`proximity data: ${places} places in ${prepared.ms} ms`);
  return prepared;
}

function timed(args) {
  const t0 = Date.now();
  const out = cli(args);
  return { ms: Date.now() - t0, result: JSON.parse(out.trim().split('\n').pop()) };
}

async function main() {
  if (!existsSync(path.join(root, 'dist/.build-stamp'))) throw new Error('build first (npm run build)');
  const prepared = await prepare();
  if (places > 0) prepared.proximity = await prepareProximity();
  if (env.BENCH_PREPARE_ONLY) return log(`${dbName} is ready`);
  // Ids by number, for the load generators and pgbench.
  await query(
    `CREATE TABLE IF NOT EXISTS bench_person_ids AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM persons`,
  );
  await query(`CREATE UNIQUE INDEX IF NOT EXISTS bench_person_ids_n ON bench_person_ids (n)`);
  const ids = (
    await query(`SELECT p.id, m.id AS measure_id FROM persons p JOIN measures m ON m.person_id = p.id ORDER BY p.id`)
  ).map((r) => [r.id, r.measure_id]);
  const tag = randomBytes(3).toString('hex');
  const clerk = account(`bench.clerk.${tag}`, 'registry_clerk');
  const { api, base } = await startApi();
  const results = [];
  try {
    const token = await signIn(base, clerk);
    const headers = { authorization: `Bearer ${token}`, 'x-access-reason': 'BENCH-1' };
    const any = () => ids[Math.floor(Math.random() * ids.length)];
    const fragments = ['petrov', 'jovan', 'Ђорђ', 'kovac', 'marko', 'ilic', 'savić', 'tomi'];
    results.push(
      await load('GET /persons/:id (audited read)', api.pid, {
        url: base,
        requests: [
          { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/api/v1/persons/${any()[0]}` }) },
        ],
      }),
    );
    if (!only) results.push(pgbenchAuditedRead());
    const search = {
      url: base,
      requests: [
        {
          method: 'GET',
          headers,
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/persons?q=${encodeURIComponent(fragments[Math.floor(Math.random() * fragments.length)])}`,
          }),
        },
      ],
    };
    results.push(await load('GET /persons?q= (search by name)', api.pid, search));
    // One clerk searching alone: the latency of a search itself, without queueing behind 31 others.
    results.push(await load('GET /persons?q= (search by name, 1 connection)', api.pid, { ...search, connections: 1 }));
    if (places > 0) {
      // A clerk (national reach) asking alone: the latency of the list itself, nearest first over the country.
      results.push(
        await load(`GET /compliance/proximity?metres=300 (${places} places, 1 connection)`, api.pid, {
          url: `${base}/api/v1/compliance/proximity?metres=300`,
          headers,
          connections: 1,
        }),
      );
    }
    if (runs('statistics')) results.push(...(await statisticsScenarios(base, headers, log)));
    results.push(
      await load('POST /persons/:id/check-ins', api.pid, {
        url: base,
        requests: [
          {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            setupRequest: (req) => {
              const [personId, measureId] = any();
              return {
                ...req,
                path: `/api/v1/persons/${personId}/check-ins`,
                body: JSON.stringify({
                  measureId,
                  occurredAt: new Date().toISOString(),
                  place: 'PU',
                  method: 'in_person',
                }),
              };
            },
          },
        ],
      }),
    );
    results.push(
      await load('POST /auth/login (argon2id)', api.pid, {
        url: base,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/auth/login',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(clerk),
          },
        ],
      }),
    );
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    };
    if (only) {
      api.kill('SIGTERM');
      await new Promise((resolve) => api.once('exit', resolve));
      const settings = { seed, persons, auditEvents, durationSeconds: duration, connections, only };
      return write({ at: new Date().toISOString(), machine, settings, prepared, load: results.filter(Boolean) });
    }
    const rss = Math.max(...results.filter((r) => r.peakRssMb).map((r) => r.peakRssMb));
    const rssWithoutSignIns = Math.max(
      ...results.filter((r) => r.peakRssMb && !r.scenario.includes('login')).map((r) => r.peakRssMb),
    );
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));

    // What the load wrote is sealed (untimed) before the log is verified, as a running worker would have.
    await sealWithWorker();
    const scan = timed(['compliance:scan']);
    log(`compliance scan: ${scan.result.durationMs} ms`);
    const verify = timed(['audit:verify']);
    const verifyRate = Math.round(verify.result.checkedEvents / (verify.ms / 1000));
    log(
      `audit:verify: ${verify.result.checkedEvents} events in ${verify.ms} ms (${verifyRate}/s), ok ${verify.result.ok}`,
    );

    const read = results[0];
    const limit = results[1];
    const summary = {
      at: new Date().toISOString(),
      machine,
      settings: { seed, persons, auditEvents, durationSeconds: duration, connections },
      prepared,
      load: results,
      ratioAuditedReadToPgbench: Number((read.requestsPerSecond / limit.requestsPerSecond).toFixed(2)),
      apiPeakRssMb: rss,
      apiPeakRssMbWithoutSignIns: rssWithoutSignIns,
      complianceScanMs: { first: prepared.firstScanMs, steady: scan.result.durationMs },
      auditVerify: {
        events: verify.result.checkedEvents,
        ms: verify.ms,
        eventsPerSecond: verifyRate,
        ok: verify.result.ok,
      },
    };
    write(summary);
  } finally {
    if (api.exitCode === null) api.kill('SIGKILL');
  }
}

function write(summary) {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const rows = summary.load.map(
    (r) =>
      `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms ?? '–'} | ${r.p99Ms ?? r.averageMs + ' (avg)'} | ${r.errors ?? 0} | ${r.peakRssMb ?? '–'} |`,
  );
  const head = `# Benchmark ${summary.at}

Machine: ${summary.machine.cpus} × ${summary.machine.cpuModel}, ${summary.machine.memoryGb} GB, Node ${summary.machine.node}.
Data: ${summary.settings.persons} persons, ${summary.settings.auditEvents} audit events (seed ${summary.settings.seed});
${summary.settings.connections} connections, ${summary.settings.durationSeconds} s per scenario.
${summary.settings.only ? `Only the scenarios naming \`${summary.settings.only}\` (BENCH_ONLY).\n` : ''}
| scenario | req/s | p50 ms | p99 ms | errors | api peak RSS MB |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
  const markdown = summary.settings.only
    ? head
    : `${head}
| figure | value | target |
| --- | ---: | --- |
| audited read / pgbench | ${summary.ratioAuditedReadToPgbench} | ≥ 0.5 |
| api peak RSS, reads, searches and check-ins | ${summary.apiPeakRssMbWithoutSignIns} MB | < 300 MB |
| api peak RSS, all scenarios (sign-ins hash with argon2id) | ${summary.apiPeakRssMb} MB | |
| compliance scan, first (raises the backlog) | ${summary.complianceScanMs.first} ms | |
| compliance scan, steady | ${summary.complianceScanMs.steady} ms | < 5000 ms |
| audit:verify | ${summary.auditVerify.eventsPerSecond} events/s (${summary.auditVerify.events} in ${summary.auditVerify.ms} ms) | > 200000/s |
| generation / sealing (once) | ${summary.prepared.generateMs} ms / ${summary.prepared.sealMs} ms | |
`;
  const stamp = summary.at.replace(/[:.]/g, '-');
  writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  // `latest` is the last full run; a run of some scenarios (BENCH_ONLY) keeps only its own files.
  if (!summary.settings.only) {
    writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(path.join(dir, 'latest.md'), markdown);
  }
  process.stdout.write(markdown);
}

await main();
