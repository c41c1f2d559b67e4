// Loaded into an api by the bench (`node --import ./bench/pipeline-probe.mjs`) to take the read's cost apart in one
// process. Never part of the service itself. `GET /bench/mode/<mode>` chooses what `GET /api/v1/persons/:id` does:
// - `full`: the service's read, untouched;
// - `pipeline`: Nest's pipeline as for the read (Fastify and the api's hooks, the guards with the token's check,
//   the interceptors and pipes, the audit's bookkeeping), then the read's captured statement sent as the service
//   sends it, prepared, on the api's own pool, its JSON answered as it came (no scope built, no hydration, no view);
// and `GET /bench/bare/:id` sends that statement from a bare Fastify route in the same process (Fastify and the
// api's hooks, none of Nest's pipeline), as the minimal server does from node:http.
// BENCH_PROBE_SCRIPTS names the captured statements (bench/.work/statements.json).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { env } from 'node:process';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const require = createRequire(import.meta.url);
const { PersonReadModel } = require('../dist/libs/register/src/access/person-read-model.js');

const script = JSON.parse(readFileSync(env.BENCH_PROBE_SCRIPTS, 'utf8')).read;
const [statement] = script.statements;
const valuesFor = (personId) => statement.values.map((v) => (v === script.personId ? personId : v));

let mode = 'full';
/** The api's pool (the driver's), found at the first read. */
let pool = null;

async function send(personId) {
  const client = await pool.connect();
  try {
    return (await client.query({ name: statement.name, text: statement.text, values: valuesFor(personId) })).rows;
  } finally {
    client.release();
  }
}

const read = PersonReadModel.prototype.get;
PersonReadModel.prototype.get = async function probed(audit, principal, id) {
  pool ??= this.dataSource.driver.master;
  if (mode !== 'pipeline') return read.call(this, audit, principal, id);
  const [row] = await send(id);
  // The statement wrote the request's audit event, as the service's does.
  audit.written = true;
  return row.answer;
};

const listen = FastifyAdapter.prototype.listen;
FastifyAdapter.prototype.listen = function probedListen(...args) {
  const fastify = this.getInstance();
  fastify.get('/bench/mode/:mode', async (request) => {
    mode = request.params.mode;
    return { mode };
  });
  fastify.get('/bench/bare/:id', async (request, reply) => {
    if (!pool) throw new Error('read one person first: the bare route uses the api’s pool');
    const rows = await send(request.params.id);
    reply.type('application/json');
    return JSON.stringify(rows);
  });
  return listen.apply(this, args);
};
