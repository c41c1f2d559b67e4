import pino, { type Logger } from 'pino';
import { ConfigError } from '../config/environment';

/** Structured logger for what happens before Nest is up and after it is down. */
export function processLogger(level = 'info', name = 'register'): Logger {
  return pino({ level, name, messageKey: 'message', base: { pid: process.pid } });
}

/** Loads a `.env` file from the working folder when there is one (development convenience). */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Ends start-up with exit code 1 and one line on stderr saying what is wrong:
 * the variable and the rule for a configuration fault, the message otherwise.
 * Never a stack trace.
 */
export function failStartup(error: unknown): never {
  const text =
    error instanceof ConfigError
      ? `Configuration error: ${error.message}`
      : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(text.replace(/\s+/g, ' ').trim() + '\n');
  process.exit(1);
}

/**
 * Runs `shutdown` once on SIGINT or SIGTERM, then exits. Repeated signals are
 * ignored (npm forwards the one a process group already received); the grace
 * period running out forces the exit.
 */
export function onShutdownSignal(shutdown: () => Promise<void>, graceMs: number, log: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took longer than the grace period: exiting');
      process.exit(1);
    }, graceMs + 5_000);
    timer.unref();
    shutdown().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
