import { Agent, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no normalisation of `..`, no re-encoding (unlike supertest's URL handling). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as bytes and as UTF-8 text. */
  raw: Buffer;
  text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

/**
 * A plain HTTP client on the test app's server, listening on an ephemeral
 * local port: the path and headers go on the wire byte for byte, which the
 * attack tests need (`..%2F`, `%00`, bad percent-encoding, odd content types).
 */
export class RawClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  static async start(server: Server): Promise<RawClient> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new RawClient(server, (server.address() as AddressInfo).port);
  }

  /**
   * Sends the request. A kept-alive socket the server closed meanwhile (it
   * closes after answering some refusals) is the client's race, not an
   * answer: such a request is sent once more on a new connection.
   */
  async send(req: RawRequest): Promise<RawResponse> {
    try {
      return await this.sendOnce(req, this.agent);
    } catch (error) {
      if ((error as { reusedSocket?: boolean }).reusedSocket) return this.sendOnce(req, false);
      throw error;
    }
  }

  private sendOnce(req: RawRequest, agent: Agent | false): Promise<RawResponse> {
    const headers: Record<string, string | string[]> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    return new Promise((resolve, reject) => {
      const call = request(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.path, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = raw.toString('utf8');
            let json: unknown;
            if (/json/.test(res.headers['content-type'] ?? '')) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, json });
          });
        },
      );
      call.on('error', (error: NodeJS.ErrnoException) => {
        const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
        reject(Object.assign(error, { reusedSocket: reset && call.reusedSocket }));
      });
      if (req.body !== undefined) call.write(req.body);
      call.end();
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }
}
