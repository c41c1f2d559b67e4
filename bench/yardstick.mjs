// The bench's yardstick for the api: the statements the service sends for one request (captured from it), sent
// again by a minimal `node:http` + `pg` server and by pgbench; a plain audited read beside them; where the time
// goes (`EXPLAIN (ANALYZE, BUFFERS)` with the nested statements of the SQL functions, and `--cpu-prof` summaries).
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');

/** A port free on 127.0.0.1 now (other servers run on this machine too). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The requests captured: one of each kind, after one of each kind to warm the caches (tokens, plans). */
export const CAPTURED = {
  read: { title: 'person read', request: ({ personId }) => ({ path: `/api/v1/persons/${personId}` }) },
  search: { title: 'search', request: () => ({ path: `/api/v1/persons?q=petrov` }) },
  checkIn: {
    title: 'check-in',
    request: ({ personId, measureId, occurredAt }) => ({
      path: `/api/v1/persons/${personId}/check-ins`,
      method: 'POST',
      body: JSON.stringify({ measureId, occurredAt, place: 'PU', method: 'in_person' }),
    }),
  },
};

/**
 * Captures what the service sends to PostgreSQL for one person read, one search and one check-in: an api with
 * bench/capture-queries.mjs loaded first, asked each kind twice (the second is kept). Returns the scripts the
 * minimal server and pgbench replay: `{ [kind]: { statements: [{ text, values }], personId, measureId, occurredAt } }`.
 */
export async function captureStatements({ startApi, stop, signIn, clerk, pick, work }) {
  const file = path.join(work, 'captured.jsonl');
  writeFileSync(file, '');
  const { api, base } = await startApi({
    nodeArgs: ['--import', path.join(root, 'bench', 'capture-queries.mjs')],
    extraEnv: { BENCH_CAPTURE_FILE: file },
  });
  const scripts = {};
  try {
    const token = await signIn(base, clerk);
    const headers = { authorization: `Bearer ${token}`, 'x-access-reason': 'BENCH-1' };
    for (const [kind, { request }] of Object.entries(CAPTURED)) {
      for (const keep of [false, true]) {
        const [personId, measureId] = pick();
        const occurredAt = new Date().toISOString();
        const { path: url, method = 'GET', body } = request({ personId, measureId, occurredAt });
        await sleep(200);
        writeFileSync(file, '');
        const res = await fetch(`${base}${url}`, {
          method,
          body,
          headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        });
        if (!res.ok) throw new Error(`capturing the ${kind}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        await sleep(300);
        const statements = readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
        if (keep) scripts[kind] = { statements, personId, measureId, occurredAt };
      }
    }
  } finally {
    await stop(api);
    rmSync(file, { force: true });
  }
  writeFileSync(path.join(work, 'statements.json'), JSON.stringify(scripts, null, 2));
  return scripts;
}

/** The minimal server (bench/minimal-server.mjs) on `url`, with the captured scripts, a pool of `connections`. */
export async function startMinimal({ url, connections, work, scripts, nodeArgs = [] }) {
  const scriptsFile = path.join(work, 'statements.json');
  writeFileSync(scriptsFile, JSON.stringify(scripts));
  const port = await freePort();
  const child = spawn('node', [...nodeArgs, path.join(root, 'bench', 'minimal-server.mjs')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      MINIMAL_SCRIPTS: scriptsFile,
      MINIMAL_POOL_SIZE: String(connections),
      PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      await fetch(`${base}/`);
      return { child, base };
    } catch {
      await sleep(100);
    }
  }
  throw new Error('the minimal server did not start');
}

const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i;

/** A value as an SQL literal for pgbench (simple protocol: the statement's text carries its values). */
function literal(value) {
  if (value === null || value === undefined) return 'NULL';
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * The captured statements as a pgbench script: each parameter inlined as a literal, the person's id drawn at
 * random from `bench_person_ids` (the service's and the minimal server's persons are drawn alike).
 */
export function pgbenchScript(script, persons) {
  const person = '(SELECT id FROM bench_person_ids WHERE n = :n)';
  const body = script.statements.map(({ text, values }) => {
    const sql = text.replace(/\$(\d+)/g, (_, n) => {
      const value = values[Number(n) - 1];
      return value === script.personId ? person : literal(value);
    });
    return `${sql.trim().replace(/;$/, '')};`;
  });
  // A statement sent without a transaction of its own is one (pgbench sends it alone, as the service did).
  return `\\set n random(1, ${persons})\n${body.join('\n')}\n`;
}

/** The plain audited read, as the minimal server makes it, for pgbench. */
export function pgbenchPlainScript(persons) {
  return `\\set n random(1, ${persons})
BEGIN;
SELECT row_to_json(p) AS person FROM persons p WHERE p.id = (SELECT id FROM bench_person_ids WHERE n = :n);
INSERT INTO audit_events (actor_user_id, actor_username, actor_role, action, resource_type, resource_id, subject_person_ids, reason, outcome, http_status, result_count, request_id)
  VALUES ('00000000-0000-4000-8000-000000000001', 'pgbench', 'registry_clerk', 'person.read', 'person', (SELECT id FROM bench_person_ids WHERE n = :n), '{}', 'BENCH-1', 'allowed', 200, 1, 'pgbench');
COMMIT;
`;
}

/** Whether the service prepared its statements (named): pgbench then prepares them too (`-M prepared`). */
export const prepared = (script) => script.statements.some((s) => s.name);

/**
 * pgbench with `scriptText` at `connections` for `duration` seconds, its statements prepared or not (`protocol`):
 * transactions per second and average latency.
 */
export function pgbench({ title, scriptText, protocol, url, connections, threads, duration, work, log }) {
  const file = path.join(work, `${title.replace(/[^a-z0-9]+/gi, '-')}.sql`);
  writeFileSync(file, scriptText);
  const args = ['-n', '-M', protocol, '-c', String(connections), '-j', String(threads), '-T', String(duration)];
  args.push('-f', file, url);
  const out = execFileSync('pgbench', args, { encoding: 'utf8', env: { ...process.env, PGAPPNAME: 'bench' } });
  const tps = Number(out.match(/tps = ([\d.]+)/)[1]);
  const latency = Number(out.match(/latency average = ([\d.]+) ms/)[1]);
  const failed = Number(out.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
  log(`${title}: ${Math.round(tps)} tx/s, average ${latency} ms, failed ${failed}`);
  return { scenario: title, requestsPerSecond: Math.round(tps), averageMs: latency, errors: failed };
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of each captured statement (in a transaction rolled back), with auto_explain's
 * plans of the statements nested in the SQL functions it calls, as markdown.
 */
export async function explainStatements(url, scripts) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const notices = [];
  client.on('notice', (n) => notices.push(n.message));
  const sections = [];
  try {
    for (const [kind, script] of Object.entries(scripts)) {
      await client.query('BEGIN');
      await client.query(`LOAD 'auto_explain'`);
      for (const [name, value] of [
        ['auto_explain.log_min_duration', '0'],
        ['auto_explain.log_analyze', 'on'],
        ['auto_explain.log_buffers', 'on'],
        ['auto_explain.log_nested_statements', 'on'],
        ['auto_explain.log_level', 'notice'],
      ]) {
        await client.query(`SELECT set_config($1, $2, true)`, [name, value]);
      }
      for (const { text, values } of script.statements) {
        if (TRANSACTION_CONTROL.test(text)) continue;
        notices.length = 0;
        const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        // The last notice is the EXPLAIN's own statement; the others are the statements nested in functions.
        const nested = notices.slice(0, -1);
        sections.push(
          `## ${CAPTURED[kind].title}\n\n\`\`\`sql\n${text.trim()}\n\`\`\`\n\n\`\`\`\n${plan}\n\`\`\`\n` +
            (nested.length
              ? `\n${nested.length} statements nested in functions (auto_explain); the first 6:\n\n\`\`\`\n${nested.slice(0, 6).join('\n\n')}\n\`\`\`\n`
              : ''),
        );
      }
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
  return sections.join('\n');
}

/**
 * The top lines of the `--cpu-prof` profiles in `dir`: self time by where the code lives (a package, node's own,
 * the register's libs) and by function, as a share of the time not idle, over the last `seconds` of each profile
 * (the load, not the start).
 */
export function profileSummary(dir, title, seconds, top = 30) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byFunction = new Map();
  const byPlace = new Map();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const from = profile.endTime - seconds * 1e6;
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      at += us;
      const { callFrame } = nodes.get(id);
      if (at < from || callFrame.functionName === '(idle)') return;
      busy += us;
      const place = placeOf(callFrame);
      const fn = `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
      byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    });
  }
  const rows = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} |`,
      )
      .join('\n');
  return `## ${title}

CPU not idle in the last ${seconds} s: ${(busy / 1e6).toFixed(1)} s.

| where (self time) | ms | % |
| --- | ---: | ---: |
${rows(byPlace, 25)}

| function (self time) | ms | % |
| --- | ---: | ---: |
${rows(byFunction, top)}
`;
}

function shortUrl(url) {
  return url.replace(/^file:\/\//, '').replace(`${root}/`, '');
}

function placeOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = shortUrl(url);
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (file.startsWith('node:')) return 'node (its own JS)';
  const own = file.match(/^dist\/(libs|apps)\/([^/]+)/);
  return own ? `register: ${own[1]}/${own[2]}` : file;
}
