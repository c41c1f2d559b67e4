import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';

/**
 * The compiled api, worker and CLI as separate processes, for fault tests
 * that kill or multiply them. Every process started here is remembered and
 * `stopAll()` ends what is still running (by its own pid, never by name).
 */

export const ROOT = path.resolve('.');

let built = false;

/** `npm run build` once per test file (tsc is quick when little changed). */
export function buildDist(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** The api's base URL (`http://127.0.0.1:<port>`); empty for a worker. */
  url: string;
  port: number;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** How many lines written so far contained `text` (counted from the start, not only the last lines). */
  count(text: string): number;
  /** The first lines logged at error or fatal level (pino's 50 and 60), cut short. */
  errors(): string[];
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  running(): boolean;
}

const started = new Set<ServiceProcess>();

/** The environment every process gets: nothing of the test runner's own (no DATABASE_URL leaks in). */
function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    MFA_REQUIRED_ROLES: '',
    ...env,
  };
}

/** Lines counted for `count()`: what the tests ask about. */
const COUNTED = ['compliance scan done'];
const ERROR_LINE = /"level":(50|60)[,}]/;

function track(name: string, child: ChildProcess, url: string, port: number): ServiceProcess {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  const errors: string[] = [];
  const partial = new Map<string, string>();
  const keeper = (stream: string) => (chunk: Buffer) => {
    const parts = ((partial.get(stream) ?? '') + chunk.toString('utf8')).split('\n');
    partial.set(stream, parts.pop() ?? '');
    for (const line of parts) {
      if (!line) continue;
      for (const text of COUNTED) if (line.includes(text)) counts.set(text, (counts.get(text) ?? 0) + 1);
      if (ERROR_LINE.test(line) && errors.length < 20) errors.push(line.slice(0, 1_500));
      lines.push(line.slice(0, 2_000));
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout?.on('data', keeper('stdout'));
  child.stderr?.on('data', keeper('stderr'));
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      started.delete(service);
      resolve(exit);
    });
  });
  const service: ServiceProcess = {
    name,
    child,
    url,
    port,
    exited,
    output: () => [...lines, ...partial.values()].join('\n'),
    count: (text) => {
      if (!COUNTED.includes(text)) throw new Error(`count() knows only ${COUNTED.join(', ')}`);
      return counts.get(text) ?? 0;
    },
    errors: () => [...errors],
    running: () => exit === null,
    stop: async (signal = 'SIGTERM') => {
      if (exit) return exit;
      child.kill(signal);
      return exited;
    },
  };
  started.add(service);
  return service;
}

/** Waits for `ok` or the process's death, whichever comes first. */
async function whileAlive(service: ServiceProcess, ok: () => Promise<boolean>, what: string): Promise<void> {
  try {
    await until(
      async () => {
        if (!service.running()) throw new Error(`${service.name} exited while waiting for ${what}`);
        return ok();
      },
      what,
      60_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- ${service.name} output ---\n${service.output()}`);
  }
}

/** `node dist/apps/api/src/main.js` on a free port; resolves once `/health/ready` answers 200. */
export async function startApi(env: Record<string, string>, name = 'api', port?: number): Promise<ServiceProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn('node', ['dist/apps/api/src/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: baseEnv({ HOST: '127.0.0.1', PORT: String(listenOn), RATE_LIMIT_MAX: '1000000', ...env }),
  });
  const url = `http://127.0.0.1:${listenOn}`;
  const service = track(name, child, url, listenOn);
  await whileAlive(
    service,
    async () => {
      try {
        return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;
      } catch {
        return false;
      }
    },
    `${name} to be ready`,
  );
  return service;
}

/** `node dist/apps/worker/src/main.js`; resolves once it says it runs (it logs at info for that). */
export async function startWorker(env: Record<string, string>, name = 'worker'): Promise<ServiceProcess> {
  const child = spawn('node', ['dist/apps/worker/src/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: baseEnv({ LOG_LEVEL: 'info', ...env }),
  });
  const service = track(name, child, '', 0);
  await whileAlive(service, async () => service.output().includes('register worker running'), `${name} to run`);
  return service;
}

/** The CLI, run to completion. */
export function runCli(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync('node', ['dist/apps/cli/src/main.js', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: baseEnv({ LOG_LEVEL: 'silent', ...env }),
    timeout: 60_000,
  });
}

/** Ends every process started here that still runs (SIGKILL: tests clean up, they do not test shutdown here). */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((service) => service.stop('SIGKILL')));
}

export interface Answer {
  status: number;
  /** 0 when no answer came (connection refused or reset, or the timeout). */
  ok: boolean;
  contentType: string;
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape, read by the tests
  body: any;
  ms: number;
  error?: string;
}

/** One HTTP call to a process; never throws: a lost connection is status 0 with `error`. */
export async function call(
  url: string,
  method: string,
  pathAndQuery: string,
  options: {
    token?: string;
    reason?: boolean;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.reason) headers['x-access-reason'] = 'KT-100%2F2026';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  try {
    const res = await fetch(`${url}${pathAndQuery}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return {
      status: res.status,
      ok: res.status >= 200 && res.status < 300,
      contentType: res.headers.get('content-type') ?? '',
      retryAfter: res.headers.get('retry-after'),
      body,
      ms: performance.now() - started,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 0,
      ok: false,
      contentType: '',
      retryAfter: null,
      body: null,
      ms: performance.now() - started,
      error: cause?.code ?? cause?.message ?? (error as Error).name,
    };
  }
}
