import { PROBLEM_CODES } from '@app/common';
import type { RawResponse } from './raw-http';

/** The problem codes of the contract, plus `method_not_allowed` (README: a 405). `internal` is never acceptable here. */
export const CONTRACT_PROBLEM_CODES: string[] = PROBLEM_CODES.filter((code) => code !== 'internal');

/** A stack frame: `at fn (/path/file.js:1:2)`, `at /path/file.js:1:2`, `at node:internal/...`. */
export const STACK_FRAME = /\bat\s+(?:async\s+)?(?:[\w$.<>[\]]+\s+)?\(?(?:file:\/\/|node:|\/)[^\s)]*:\d+(?::\d+)?\)?/;

/** Names of the stack's libraries and of database internals: never in any answer. */
export const LIBRARY_NAMES =
  /QueryFailedError|EntityNotFound|EntityMetadata|TypeORM|node_modules|class-validator|class-transformer|@nestjs|NestJS|fastify|FST_ERR|rxjs|argon2|jsonwebtoken/i;

/** SQL and PostgreSQL texts: never in an error answer. */
export const SQL_AND_DATABASE = new RegExp(
  [
    /postgres|\bpg\b|relation "|syntax error at|violates|duplicate key|invalid input syntax|invalid byte sequence/i
      .source,
    /unsupported Unicode escape|out of range for type|ECONNREFUSED|SQLSTATE/i.source,
  ].join('|'),
  'i',
);
const SQL = /\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bFROM\s+"?\w+"?\s+WHERE\b/;

/** JavaScript error names and parser messages: an error that escaped its mapping. */
export const RUNTIME_ERRORS =
  /\b(?:RangeError|TypeError|ReferenceError|SyntaxError|URIError)\b|Unexpected token|in JSON at position|Maximum call stack|Cannot read properties|is not a function|undefined is not/;

/** Anything a generated input may contain must not trip the checks by being echoed back. */
export const isEchoSafe = (s: string): boolean =>
  !LIBRARY_NAMES.test(s) &&
  !SQL.test(s) &&
  !SQL_AND_DATABASE.test(s) &&
  !RUNTIME_ERRORS.test(s) &&
  !STACK_FRAME.test(s);

function hasKey(value: unknown, key: string, depth = 0): boolean {
  if (depth > 50 || typeof value !== 'object' || value === null) return false;
  if (Object.prototype.hasOwnProperty.call(value, key)) return true;
  return Object.values(value).some((v) => hasKey(v, key, depth + 1));
}

/**
 * What every answer must be, whatever was sent: no 5xx (`allow503` for the
 * documented `unavailable`), every error a problem+json of the contract's
 * codes, and no stack, SQL, database or library text anywhere. Returns the
 * list of what is wrong (empty when the answer is safe).
 */
export function unsafeAnswer(res: RawResponse, options: { allow503?: boolean } = {}): string[] {
  const wrong: string[] = [];
  const text = res.headers['content-type']?.startsWith('image/') ? '' : res.text;
  if (res.status >= 500 && !(options.allow503 && res.status === 503)) wrong.push(`status ${res.status}`);
  if (res.status >= 400) {
    if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
      wrong.push(`content-type ${res.headers['content-type']}`);
    }
    const problem = res.json as { type?: unknown; status?: unknown; title?: unknown } | undefined;
    const code = typeof problem?.type === 'string' ? problem.type.replace(/^urn:register:problem:/, '') : undefined;
    if (
      !problem ||
      typeof problem.type !== 'string' ||
      !problem.type.startsWith('urn:register:problem:') ||
      !CONTRACT_PROBLEM_CODES.includes(code ?? '')
    ) {
      wrong.push(`problem type ${JSON.stringify(problem?.type)}`);
    }
    if (problem && problem.status !== res.status) wrong.push(`problem status ${String(problem.status)}`);
    if (typeof problem?.title !== 'string') wrong.push('problem without a title');
    if (SQL_AND_DATABASE.test(text)) wrong.push(`database text: ${SQL_AND_DATABASE.exec(text)?.[0]}`);
    if (SQL.test(text)) wrong.push(`SQL: ${SQL.exec(text)?.[0]}`);
    if (RUNTIME_ERRORS.test(text)) wrong.push(`runtime error text: ${RUNTIME_ERRORS.exec(text)?.[0]}`);
  }
  if (res.json !== undefined && hasKey(res.json, 'stack')) wrong.push('a "stack" member');
  if (STACK_FRAME.test(text)) wrong.push(`a stack frame: ${STACK_FRAME.exec(text)?.[0]}`);
  if (LIBRARY_NAMES.test(text)) wrong.push(`a library name: ${LIBRARY_NAMES.exec(text)?.[0]}`);
  return wrong;
}

/** A short description of an exchange for a failure message. */
export function describeExchange(
  sent: { method: string; path: string; headers?: Record<string, unknown>; body?: string | Buffer },
  res?: RawResponse,
): string {
  const cut = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  return [
    `${sent.method} ${cut(sent.path)}`,
    `headers ${cut(
      JSON.stringify(sent.headers ?? {}, (key, value: unknown) =>
        key === 'authorization' && typeof value === 'string' && value.length > 40 ? `${value.slice(0, 30)}…` : value,
      ),
      1000,
    )}`,
    sent.body === undefined ? 'no body' : `body ${cut(String(sent.body))}`,
    res ? `→ ${res.status} ${res.headers['content-type'] ?? ''} ${cut(res.text, 500)}` : '→ no answer',
  ].join('\n  ');
}
