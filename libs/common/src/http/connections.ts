import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { AppConfig } from '../config/app-config';

/** The HTTP server's timeouts, as Node's `http.createServer` takes them. */
export function serverTimeouts(
  http: AppConfig['http'],
): Required<
  Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionsCheckingInterval'>
> {
  return {
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Node looks for expired headers and requests on this interval: its default, 30 s, would let a
    // stalled connection outlive a 10 s headers timeout by half a minute.
    connectionsCheckingInterval: Math.min(1_000, Math.ceil(http.headersTimeoutMs / 4)),
  };
}

/**
 * Closes, as soon as it is accepted, a connection from an address that
 * already holds `max` open ones (0: no cap), so that one client cannot take
 * every file descriptor with connections it never uses. Nothing is read
 * from it and nothing answered: it is not a request yet. Behind a proxy
 * (TRUST_PROXY) the address is the proxy's: set the cap above its pool.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
