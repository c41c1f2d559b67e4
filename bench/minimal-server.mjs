// A minimal `node:http` + `pg` server, the bench's yardstick for the api (started by bench/run.mjs, one process,
// a pool of BENCH_CONNECTIONS). `GET /replay/<script>/<personId>[/<measureId>]` sends the statements the service
// sent for one request of that kind (captured from the service, in order, on one connection, prepared when the
// service prepared them), with the person's
// (and measure's) id and the time of a check-in made anew; `GET /plain/<personId>` is a plain audited read: select
// the person by key, insert an audit event, commit. Both answer the rows of their last statement that had any.
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import pg from 'pg';

const env = process.env;
/** name → { statements: [{ text, values }], personId, measureId, occurredAt } (see run.mjs `capture`). */
const scripts = JSON.parse(readFileSync(env.MINIMAL_SCRIPTS, 'utf8'));
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.MINIMAL_POOL_SIZE ?? 32) });

const PLAIN_EVENT = `INSERT INTO audit_events (actor_user_id, actor_username, actor_role, action, resource_type,
    resource_id, subject_person_ids, reason, outcome, http_status, result_count, request_id)
  VALUES ('00000000-0000-4000-8000-000000000001', 'bench.minimal', 'registry_clerk', 'person.read', 'person', $1::text,
    ARRAY[$1::uuid], 'BENCH-1', 'allowed', 200, 1, 'bench-minimal')`;

/** Which captured value is the person's id, the measure's, or the check-in's time: replaced per request. */
function roleOf(script, value) {
  if (value === script.personId) return 'person';
  if (script.measureId && value === script.measureId) return 'measure';
  const time = typeof value === 'string' && script.occurredAt ? Date.parse(value) : NaN;
  return time === Date.parse(script.occurredAt) ? 'time' : null;
}
for (const script of Object.values(scripts)) {
  for (const s of script.statements) s.roles = s.values.map((v) => roleOf(script, v));
}

/** The captured values with this request's ids (and a check-in's time, now) in place of the captured ones. */
function valuesFor(statement, personId, measureId, now) {
  return statement.values.map((v, i) => {
    const role = statement.roles[i];
    return role === 'person' ? personId : role === 'measure' ? measureId : role === 'time' ? now : v;
  });
}

async function replay(script, personId, measureId) {
  const client = await pool.connect();
  let answer = [];
  const now = new Date().toISOString();
  try {
    for (const s of script.statements) {
      const values = valuesFor(s, personId, measureId, now);
      const result = await client.query(s.name ? { name: s.name, text: s.text, values } : { text: s.text, values });
      if (result.rows?.length) answer = result.rows;
    }
    return answer;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function plain(personId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('SELECT row_to_json(p) AS person FROM persons p WHERE p.id = $1', [personId]);
    await client.query(PLAIN_EVENT, [personId]);
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  const [, kind, a, b, c] = req.url.split('/');
  const work = kind === 'plain' ? plain(a) : kind === 'replay' && scripts[a] ? replay(scripts[a], b, c) : null;
  if (!work) {
    res.writeHead(404).end();
    return;
  }
  // A request's body (a check-in's) is read and dropped: the replayed statements carry their own values.
  req.resume();
  work.then(
    (rows) => {
      const body = JSON.stringify(rows);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
    (error) => {
      process.stderr.write(`[minimal] ${error.message}\n`);
      res.writeHead(500).end();
    },
  );
});
server.listen(Number(env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
