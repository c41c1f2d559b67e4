// `npm run bench`: the register under load on this machine, against the limit PostgreSQL itself sets.
// Settings (environment): BENCH_SEED (42), BENCH_PERSONS (100000), BENCH_AUDIT_EVENTS (10000000),
// BENCH_DURATION_SECONDS (10 per scenario), BENCH_WARMUP_SECONDS (30: the load a server started for the bench
// takes, unmeasured, before its first measured scenario), BENCH_CONNECTIONS (32), BENCH_SERVER_URL
// (postgres://postgres@127.0.0.1:5432: a server where databases may be created). The generated database
// (register_bench_<seed>_<persons>_<events>_h<history days>) is kept and reused: generation and sealing happen once;
// BENCH_PREPARE_ONLY=1 stops there. BENCH_PLACES (20000): places where minors gather for the proximity
// scenario, added once to the generated database (0: no proximity scenario). BENCH_ONLY=<words>: only
// the load scenarios whose title contains those words (e.g. `proximity`), without pgbench, the scan and
// verification; the result files say so. BENCH_ONLY=statistics: one call of /statistics per grouping
// (bench/statistics.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { generate, HISTORY_DAYS } from './generate.mjs';
import { statisticsScenarios } from './statistics.mjs';
import {
  captureStatements,
  explainStatements,
  freePort,
  pgbench,
  pgbenchPlainScript,
  pgbenchScript,
  prepared,
  profileSummary,
  startMinimal,
} from './yardstick.mjs';

const env = process.env;
const seed = Number(env.BENCH_SEED ?? 42);
const persons = Number(env.BENCH_PERSONS ?? 100_000);
const auditEvents = Number(env.BENCH_AUDIT_EVENTS ?? 10_000_000);
const duration = Number(env.BENCH_DURATION_SECONDS ?? 10);
const connections = Number(env.BENCH_CONNECTIONS ?? 32);
const warmUpSeconds = Number(env.BENCH_WARMUP_SECONDS ?? 30);
const places = Number(env.BENCH_PLACES ?? 20_000);
const only = env.BENCH_ONLY?.trim().toLowerCase() || null;
/** Whether a scenario runs (BENCH_ONLY). */
const runs = (title) => !only || title.toLowerCase().includes(only);
const server = (env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const dbName = `register_bench_${seed}_${persons}_${auditEvents}_h${HISTORY_DAYS}`;
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
  // Added to the register after the first benchmark databases: made on its own when missing.
  if (!existsSync(file('vetting-hash.key'))) {
    writeFileSync(file('vetting-hash.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return {
    JWT_SIGNING_KEY_FILE: file('signing.pem'),
    MFA_ENCRYPTION_KEY_FILE: file('mfa.key'),
    AUDIT_SEALING_KEY_FILE: file('audit-sealing.pem'),
    AUDIT_HASH_KEY_FILE: file('audit-hash.key'),
    VETTING_HASH_KEY_FILE: file('vetting-hash.key'),
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

const cli = (args, input, extraEnv = {}) =>
  execFileSync('node', ['dist/apps/cli/src/main.js', ...args], {
    cwd: root,
    env: { ...serviceEnv, ...extraEnv },
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
  // The statistics of the days since the register opened, as the worker would have recorded them each night.
  const opened = new Date(Date.now() - HISTORY_DAYS * 86_400_000).toLocaleDateString('sv-SE', {
    timeZone: 'Europe/Belgrade',
  });
  const days = timed(['statistics:record', '--from', opened]);
  log(`statistics days recorded: ${days.result.recorded?.length ?? 0} in ${days.ms} ms`);
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
 * Runs a worker until every audit event is sealed and (unless `awaitScan` is
 * false: after the load, the scan is timed on its own) its first compliance
 * scan is done, then stops it; returns that scan's duration.
 */
async function sealWithWorker({ awaitScan = true } = {}) {
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
  while ((await unsealed()) > 0 || (awaitScan && firstScanMs === null)) {
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

/**
 * Starts the built api; `nodeArgs` go to node before the entry (a query-capturing preload, `--cpu-prof`),
 * `extraEnv` to its environment.
 */
async function startApi({ nodeArgs = [], extraEnv = {} } = {}) {
  const port = await freePort();
  const api = spawn('node', [...nodeArgs, 'dist/apps/api/src/main.js'], {
    cwd: root,
    env: {
      ...serviceEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_POOL_SIZE: String(connections),
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await until(`${base}/health/ready`, 'the api');
  return { api, base };
}

/** Waits until `url` answers 2xx (a server starting). */
async function until(url, what) {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

/** Stops a process the bench started and waits for it to exit. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
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

/**
 * CPU time a process has used so far (user and system, ms, from /proc; null elsewhere): over a scenario,
 * divided by its requests, the process's own cost of a request, which other load on the machine changes
 * less than it changes requests per second.
 */
function cpuMs(pid) {
  try {
    // The fields after the command's name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

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
  const cpuBefore = cpuMs(pid);
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration, ...options }, (error, result) => {
      if (error) return reject(error);
      const errors = result.errors + result.timeouts + result.non2xx;
      const rss = peakRssMb(pid);
      const cpuAfter = cpuMs(pid);
      const cpuMsPerRequest =
        cpuBefore === null || cpuAfter === null || !result.requests.total
          ? null
          : Number(((cpuAfter - cpuBefore) / result.requests.total).toFixed(2));
      log(
        `${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}, peak RSS ${rss} MB, CPU ${cpuMsPerRequest} ms/request`,
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
        cpuMsPerRequest,
      });
    });
  });
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

/**
 * A CLI command's duration and result; on a loaded machine it may fail (a statement timeout): then `failed`
 * says why and the load's figures are still written.
 */
function timed(args) {
  const t0 = Date.now();
  try {
    const out = cli(args, undefined, { DATABASE_STATEMENT_TIMEOUT_MS: '120000' });
    return { ms: Date.now() - t0, result: JSON.parse(out.trim().split('\n').pop()) };
  } catch (error) {
    log(`${args[0]} failed: ${String(error.stderr ?? error.message).trim()}`);
    return { ms: Date.now() - t0, result: {}, failed: String(error.stderr ?? error.message).trim() };
  }
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
  const any = () => ids[Math.floor(Math.random() * ids.length)];
  // What the service sends for one read, one search and one check-in, before any load.
  const scripts = await captureStatements({ startApi, stop, signIn, clerk, pick: any, work });
  const explained = only ? null : await explainStatements(url, scripts);
  const { api, base } = await startApi();
  const results = [];
  try {
    const token = await signIn(base, clerk);
    const headers = { authorization: `Bearer ${token}`, 'x-access-reason': 'BENCH-1' };
    const service = { api, base, headers, any };
    await readScenarios(results, service, scripts);
    await readTakenApart(results, service, scripts);
    await searchScenarios(results, service, scripts);
    await checkInScenarios(results, service, scripts);
    if (runs('statistics')) {
      // The worker's scan keeps each schedule's compliance state; one scan first, as it would have run.
      const states = timed(['compliance:scan']);
      log(`compliance scan before the statistics: ${states.result.states} states in ${states.ms} ms`);
      // Likewise the days ended since the database was made.
      const days = timed(['statistics:record']);
      log(`statistics days recorded: ${days.result.recorded?.length ?? 0} in ${days.ms} ms`);
      results.push(...(await statisticsScenarios(base, headers, log)));
    }
    await measure(results, 'login', 'POST /auth/login (argon2id)', api.pid, {
      url: base,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(clerk),
        },
      ],
    });
    await stop(api);
    // BENCH_ONLY=profile: the profiles alone.
    const profiles = !only || only.includes('profile') ? await profileScenarios(headers, scripts, any) : null;
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    };
    const load = results.filter(Boolean);
    const at = new Date().toISOString();
    const yardstick = { ratios: ratios(load), explained, profiles };
    if (only) {
      const settings = { seed, persons, auditEvents, durationSeconds: duration, connections, only };
      return write({ at, machine, settings, prepared, load, ...yardstick });
    }
    const rss = Math.max(...load.filter((r) => r.peakRssMb).map((r) => r.peakRssMb));
    const rssWithoutSignIns = Math.max(...load.filter((r) => r.peakRssMb && r.key !== 'login').map((r) => r.peakRssMb));

    // What the load wrote is sealed (untimed) before the log is verified, as a running worker would have.
    await sealWithWorker({ awaitScan: false });
    const scan = timed(['compliance:scan']);
    log(`compliance scan: ${scan.result.durationMs} ms`);
    const verify = timed(['audit:verify']);
    const verifyRate = Math.round(verify.result.checkedEvents / (verify.ms / 1000));
    log(
      `audit:verify: ${verify.result.checkedEvents} events in ${verify.ms} ms (${verifyRate}/s), ok ${verify.result.ok}`,
    );

    const summary = {
      at,
      machine,
      settings: { seed, persons, auditEvents, durationSeconds: duration, connections },
      prepared,
      load,
      ...yardstick,
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

/** A scenario's figures under `key`, for the ratios (null when BENCH_ONLY leaves it out). */
async function measure(results, key, title, pid, options) {
  const result = await load(title, pid, options);
  if (result) results.push({ key, ...result });
  return result;
}

/** The minimal server for the scenarios `body` runs against it, stopped after them. */
async function withMinimal(scripts, body, nodeArgs = []) {
  const minimal = await startMinimal({ url, connections, work, scripts, nodeArgs });
  try {
    await body(minimal);
  } finally {
    await stop(minimal.child);
  }
}

/** pgbench of `scriptText` as a scenario under `key` (unless BENCH_ONLY leaves it out). */
function pgbenchScenario(results, key, title, scriptText, protocol) {
  if (!runs(title)) return;
  const threads = Math.min(connections, cpus().length);
  results.push({ key, ...pgbench({ title, scriptText, protocol, url, connections, threads, duration, work, log }) });
}

/**
 * `seconds` of `options`' load, not measured. A process just started is not yet what it is after running a
 * while: the api's CPU per read fell from 1.1 ms in its first 10 s under load to 0.6-0.7 ms after 30-40 s
 * (V8 compiling its hot paths, its heap growing to the load, each pooled connection's plans cached), the minimal
 * server's within seconds. Each server the bench starts gets the same warm-up before its first measurement.
 */
function warmUp(options, seconds = warmUpSeconds) {
  if (seconds <= 0) return Promise.resolve();
  return new Promise((resolve, reject) =>
    autocannon({ connections, ...options, duration: seconds }, (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * The audited read three ways at the same concurrency: the service; the statement it sends, from a minimal
 * server and from pgbench; and a plain audited read (select by key, insert the event, commit), both ways.
 */
async function readScenarios(results, { api, base, headers, any }, scripts) {
  const read = {
    url: base,
    requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/api/v1/persons/${any()[0]}` }) }],
  };
  if (runs('GET /persons/:id (audited read)')) await warmUp(read);
  await measure(results, 'read', 'GET /persons/:id (audited read)', api.pid, read);
  await withMinimal(scripts, async ({ child, base: minimal }) => {
    const replay = {
      url: minimal,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/replay/read/${any()[0]}` }) }],
    };
    if (runs('minimal server: the service’s statement (audited read)')) await warmUp(replay);
    await measure(
      results,
      'read.statement',
      'minimal server: the service’s statement (audited read)',
      child.pid,
      replay,
    );
    await measure(results, 'read.plain', 'minimal server: a plain audited read', child.pid, {
      url: minimal,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/plain/${any()[0]}` }) }],
    });
  });
  // Both prepared when the service prepares its statement, both not when it does not.
  const protocol = prepared(scripts.read) ? 'prepared' : 'simple';
  const statement = pgbenchScript(scripts.read, persons);
  pgbenchScenario(results, 'read.pgbench', 'pgbench: the service’s statement (audited read)', statement, protocol);
  pgbenchScenario(
    results,
    'read.pgbench.plain',
    'pgbench: a plain audited read',
    pgbenchPlainScript(persons),
    protocol,
  );
}

/**
 * The read taken apart in one api process (bench/pipeline-probe.mjs loaded into it): the service's read; the
 * same route through Nest's pipeline with only the read's statement behind it (no scope built, no hydration, no
 * view); and the statement from a bare Fastify route with the api's hooks. Two rounds of the three, interleaved.
 * Their CPU per request, beside the minimal server's, says where the framework tax goes.
 */
async function readTakenApart(results, { any, headers }, scripts) {
  const modes = [
    ['full', 'the service’s read', '/api/v1/persons/'],
    ['pipeline', 'Nest’s pipeline and the statement alone', '/api/v1/persons/'],
    ['bare', 'a bare Fastify route and the statement', '/bench/bare/'],
  ];
  const titleOf = (label, round) => `the read taken apart, round ${round}: ${label}`;
  if (!modes.some(([, label]) => runs(titleOf(label, 1)))) return;
  const scriptsFile = path.join(work, 'statements.json');
  writeFileSync(scriptsFile, JSON.stringify(scripts));
  const { api, base } = await startApi({
    nodeArgs: ['--import', './bench/pipeline-probe.mjs'],
    extraEnv: { BENCH_PROBE_SCRIPTS: scriptsFile },
  });
  try {
    const options = (prefix) => ({
      url: base,
      requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `${prefix}${any()[0]}` }) }],
    });
    const mode = async (name) => {
      const res = await fetch(`${base}/bench/mode/${name}`);
      if (!res.ok) throw new Error(`the probe refused mode ${name}: ${res.status}`);
    };
    // The process warms up once; each mode's own path briefly.
    for (const [name, , prefix] of modes) {
      await mode(name);
      await warmUp(options(prefix), name === 'full' ? warmUpSeconds : Math.min(5, warmUpSeconds));
    }
    for (const round of [1, 2]) {
      for (const [name, label, prefix] of modes) {
        await mode(name);
        await measure(results, `apart.${name}.${round}`, titleOf(label, round), api.pid, options(prefix));
      }
    }
  } finally {
    await stop(api);
  }
}

/** Searches by name: the service at 32 connections and alone; one fragment's statement from the minimal server. */
async function searchScenarios(results, { api, base, headers }, scripts) {
  const fragments = ['petrov', 'jovan', 'Ђорђ', 'kovac', 'marko', 'ilic', 'savić', 'tomi'];
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
  await measure(results, 'search.mixed', 'GET /persons?q= (search by name)', api.pid, search);
  // One clerk searching alone: the latency of a search itself, without queueing behind 31 others.
  await measure(results, 'search.alone', 'GET /persons?q= (search by name, 1 connection)', api.pid, {
    ...search,
    connections: 1,
  });
  // One fragment, the service and its statement sent by hand.
  await measure(results, 'search', 'GET /persons?q=petrov (search)', api.pid, {
    url: `${base}/api/v1/persons?q=petrov`,
    headers,
  });
  await withMinimal(scripts, ({ child, base: minimal }) =>
    measure(results, 'search.statement', 'minimal server: the service’s statements (search, petrov)', child.pid, {
      url: `${minimal}/replay/search/-`,
    }),
  );
  if (places > 0) {
    // A clerk (national reach) asking alone: the latency of the list itself, nearest first over the country.
    await measure(
      results,
      'proximity',
      `GET /compliance/proximity?metres=300 (${places} places, 1 connection)`,
      api.pid,
      {
        url: `${base}/api/v1/compliance/proximity?metres=300`,
        headers,
        connections: 1,
      },
    );
  }
}

/** The body of a check-in made now for `measureId`. */
const checkInBody = (measureId) =>
  JSON.stringify({ measureId, occurredAt: new Date().toISOString(), place: 'PU', method: 'in_person' });

/** Autocannon's load of check-ins at `base` (`path` gives a request's path), each of a person drawn by `any`. */
const checkIns = (base, headers, any, path) => ({
  url: base,
  requests: [
    {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      setupRequest: (req) => {
        const [personId, measureId] = any();
        return { ...req, path: path(personId, measureId), body: checkInBody(measureId) };
      },
    },
  ],
});

/** Check-ins: the service, and the statements it sends from the minimal server. */
async function checkInScenarios(results, { api, base, headers, any }, scripts) {
  const path = (personId) => `/api/v1/persons/${personId}/check-ins`;
  const title = 'POST /persons/:id/check-ins (check-in)';
  // With the reads before it the api is warm; alone (BENCH_ONLY) it has just started.
  if (only && runs(title)) await warmUp(checkIns(base, headers, any, path));
  await measure(results, 'checkIn', title, api.pid, checkIns(base, headers, any, path));
  const statementsTitle = 'minimal server: the service’s statements (check-in)';
  await withMinimal(scripts, async ({ child, base: minimal }) => {
    const replay = checkIns(minimal, {}, any, (personId, measureId) => `/replay/checkIn/${personId}/${measureId}`);
    if (runs(statementsTitle)) await warmUp(replay);
    await measure(results, 'checkIn.statement', statementsTitle, child.pid, replay);
  });
}

/**
 * `--cpu-prof` of the api under the read and the check-in, and of the minimal server sending the read's
 * statement (each a process of its own, so each profile is that load alone): their top lines, as markdown.
 */
async function profileScenarios(headers, scripts, any) {
  const sections = [];
  const profiled = async (name, start, scenario) => {
    const dir = path.join(work, 'profiles', name);
    rmSync(dir, { recursive: true, force: true });
    const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    const { child, base, headers } = await start(nodeArgs);
    // The profile's summary covers the measured load only (its last seconds), after the same warm-up.
    await warmUp(scenario.options(base, headers));
    await load(`profiled: ${scenario.title}`, child.pid, scenario.options(base, headers));
    await stop(child);
    sections.push(profileSummary(dir, scenario.title, duration));
  };
  // The token of the run (the same keys): signing in again after the sign-in scenario may be refused.
  const api = async (nodeArgs) => {
    const { api: child, base } = await startApi({ nodeArgs });
    return { child, base, headers };
  };
  const minimal = (nodeArgs) => startMinimal({ url, connections, work, scripts, nodeArgs });
  const read = (prefix) => (req) => ({ ...req, path: `${prefix}${any()[0]}` });
  await profiled('read', api, {
    title: 'the api, GET /persons/:id',
    options: (base, headers) => ({ url: base, requests: [{ headers, setupRequest: read('/api/v1/persons/') }] }),
  });
  await profiled('read-statement', minimal, {
    title: 'the minimal server, the read’s statement',
    options: (base) => ({ url: base, requests: [{ setupRequest: read('/replay/read/') }] }),
  });
  await profiled('check-in', api, {
    title: 'the api, POST /persons/:id/check-ins',
    options: (base, headers) => checkIns(base, headers, any, (personId) => `/api/v1/persons/${personId}/check-ins`),
  });
  return sections.join('\n');
}

/** requests per second of `a` over those of `b` (null when either did not run). */
function ratio(load, a, b) {
  const x = load.find((r) => r.key === a);
  const y = load.find((r) => r.key === b);
  return x && y ? Number((x.requestsPerSecond / y.requestsPerSecond).toFixed(2)) : null;
}

/** CPU per request of `a` over that of `b` (null when either did not run or has no figure). */
function cpuRatio(load, a, b) {
  const x = load.find((r) => r.key === a)?.cpuMsPerRequest;
  const y = load.find((r) => r.key === b)?.cpuMsPerRequest;
  return x && y ? Number((x / y).toFixed(2)) : null;
}

/**
 * The framework tax (the service over the same statements sent by the minimal server) and the statement's
 * cost (those statements over a plain audited read), in one run on one machine.
 */
function ratios(load) {
  return {
    frameworkTax: {
      read: ratio(load, 'read', 'read.statement'),
      search: ratio(load, 'search', 'search.statement'),
      checkIn: ratio(load, 'checkIn', 'checkIn.statement'),
    },
    // The same tax in CPU: the minimal server's CPU per request over the api's (less moved by other load).
    frameworkTaxCpu: {
      read: cpuRatio(load, 'read.statement', 'read'),
      checkIn: cpuRatio(load, 'checkIn.statement', 'checkIn'),
    },
    statementCost: {
      minimal: ratio(load, 'read.statement', 'read.plain'),
      pgbench: ratio(load, 'read.pgbench', 'read.pgbench.plain'),
    },
    readToPlain: ratio(load, 'read', 'read.plain'),
    apart: apart(load),
  };
}

/**
 * The read taken apart (CPU ms per request, the mean of the rounds): the service's read, Nest's pipeline with
 * the statement alone, a bare Fastify route with it, and the minimal server; each step's share is a difference.
 */
function apart(load) {
  const mean = (name) => {
    const figures = load.filter((r) => r.key.startsWith(`apart.${name}.`) && r.cpuMsPerRequest);
    if (!figures.length) return null;
    return figures.reduce((sum, r) => sum + r.cpuMsPerRequest, 0) / figures.length;
  };
  const [full, pipeline, bare] = ['full', 'pipeline', 'bare'].map(mean);
  if (full === null || pipeline === null || bare === null) return null;
  const minimal = load.find((r) => r.key === 'read.statement')?.cpuMsPerRequest ?? null;
  const ms = (x) => (x === null ? null : Number(x.toFixed(2)));
  return {
    full: ms(full),
    pipeline: ms(pipeline),
    bare: ms(bare),
    minimal,
    readOwnCode: ms(full - pipeline),
    nestPipeline: ms(pipeline - bare),
    fastifyAndHooks: minimal === null ? null : ms(bare - minimal),
  };
}

/** The read taken apart, as a table (empty when its scenarios did not run). */
function apartTable(apart) {
  if (!apart) return '';
  const rows = [
    ['the service’s read (the api)', apart.full],
    ['Nest’s pipeline and the read’s statement alone (the api)', apart.pipeline],
    ['a bare Fastify route and the statement, with the api’s hooks (the api)', apart.bare],
    ['the statement from the minimal server (node:http)', apart.minimal],
    ['so: the read’s own code (scope, hydration, view)', apart.readOwnCode],
    ['so: Nest’s pipeline (router, guards and the token, interceptors, pipes)', apart.nestPipeline],
    ['so: Fastify and the api’s hooks, over node:http', apart.fastifyAndHooks],
  ].filter(([, value]) => value !== null);
  return `
| the read taken apart (CPU ms per request, mean of the rounds) | ms |
| --- | ---: |
${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}
`;
}

/** The yardstick's ratios (requests per second, one run), with their targets. */
function ratioTable({ frameworkTax, frameworkTaxCpu, statementCost, readToPlain }) {
  const rows = [
    ['framework tax, read: the api / its statement from a minimal server', frameworkTax.read, '≥ 0.9'],
    ['the same in CPU per request: the minimal server’s / the api’s (read)', frameworkTaxCpu?.read ?? null, ''],
    ['the same in CPU per request (check-in)', frameworkTaxCpu?.checkIn ?? null, ''],
    ['framework tax, search: the api / its statements from a minimal server', frameworkTax.search, ''],
    ['framework tax, check-in: the api / its statements from a minimal server', frameworkTax.checkIn, ''],
    ['statement cost: the read’s statement / a plain audited read (minimal server)', statementCost.minimal, '≥ 0.67'],
    ['statement cost: the read’s statement / a plain audited read (pgbench)', statementCost.pgbench, ''],
    ['the api’s read / a plain audited read (minimal server)', readToPlain, '≥ 0.6'],
  ].filter(([, value]) => value !== null);
  if (!rows.length) return '';
  return `
| ratio (req/s over req/s) | value | target |
| --- | ---: | --- |
${rows.map(([name, value, target]) => `| ${name} | ${value} | ${target} |`).join('\n')}
`;
}

function write(summary) {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const rows = summary.load.map(
    (r) =>
      `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms ?? '–'} | ${r.p99Ms ?? r.averageMs + ' (avg)'} | ${r.errors ?? 0} | ${r.peakRssMb ?? '–'} | ${r.cpuMsPerRequest ?? '–'} |`,
  );
  const head = `# Benchmark ${summary.at}

Machine: ${summary.machine.cpus} × ${summary.machine.cpuModel}, ${summary.machine.memoryGb} GB, Node ${summary.machine.node}.
Data: ${summary.settings.persons} persons, ${summary.settings.auditEvents} audit events (seed ${summary.settings.seed});
${summary.settings.connections} connections, ${summary.settings.durationSeconds} s per scenario.
${summary.settings.only ? `Only the scenarios naming \`${summary.settings.only}\` (BENCH_ONLY).\n` : ''}
| scenario | req/s | p50 ms | p99 ms | errors | api peak RSS MB | server CPU ms per request |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
  const withRatios = `${head}${ratioTable(summary.ratios)}${apartTable(summary.ratios.apart)}`;
  const markdown = summary.settings.only
    ? withRatios
    : `${withRatios}
| figure | value | target |
| --- | ---: | --- |
| api peak RSS, reads, searches and check-ins | ${summary.apiPeakRssMbWithoutSignIns} MB | < 300 MB |
| api peak RSS, all scenarios (sign-ins hash with argon2id) | ${summary.apiPeakRssMb} MB | |
| compliance scan, first (raises the backlog) | ${summary.complianceScanMs.first} ms | |
| compliance scan, steady | ${summary.complianceScanMs.steady} ms | < 5000 ms |
| audit:verify | ${summary.auditVerify.eventsPerSecond} events/s (${summary.auditVerify.events} in ${summary.auditVerify.ms} ms) | > 200000/s |
| generation / sealing (once) | ${summary.prepared.generateMs} ms / ${summary.prepared.sealMs} ms | |
`;
  const stamp = summary.at.replace(/[:.]/g, '-');
  const { explained, profiles, ...figures } = summary;
  writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(path.join(dir, `${stamp}.md`), markdown);
  // Where the time goes: the statements' plans and the profiles' top lines, beside the figures.
  if (explained) writeFileSync(path.join(dir, `${stamp}-explain.md`), `# Statements ${summary.at}\n\n${explained}`);
  if (profiles) writeFileSync(path.join(dir, `${stamp}-profiles.md`), `# CPU profiles ${summary.at}\n\n${profiles}`);
  // `latest` is the last full run; a run of some scenarios (BENCH_ONLY) keeps only its own files.
  if (!summary.settings.only) {
    writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(figures, null, 2)}\n`);
    writeFileSync(path.join(dir, 'latest.md'), markdown);
  }
  process.stdout.write(markdown);
}

await main();
