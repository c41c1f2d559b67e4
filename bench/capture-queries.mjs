// Loaded into the api by the bench (`node --import ./bench/capture-queries.mjs`) when it captures the statements
// the service sends: every query on every pg client, with its parameters as pg sends them, appended as a JSON line
// to BENCH_CAPTURE_FILE, with its name when it is a prepared statement. Never part of the service itself.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { env } from 'node:process';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const { prepareValue } = require('pg/lib/utils');

const file = env.BENCH_CAPTURE_FILE;
const query = Client.prototype.query;
Client.prototype.query = function capture(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const params = Array.isArray(values) ? values : (config?.values ?? []);
  if (file && typeof text === 'string') {
    // A named (prepared) statement is replayed as one too.
    const name = typeof config === 'object' ? config?.name : undefined;
    appendFileSync(file, `${JSON.stringify({ name, text, values: params.map((v) => prepareValue(v)) })}\n`);
  }
  return query.call(this, config, values, callback);
};
