import { type IssuedTokens, type TokenPair, TokenStore } from './tokens';

/** An RFC 9457 problem from the api. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  /** The problem code: `urn:register:problem:<code>`. */
  get code(): string {
    return this.problem.type.replace('urn:register:problem:', '');
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  form?: FormData;
  /** The access reason; sent as X-Access-Reason, percent-encoded UTF-8. */
  reason?: string;
  /** The version for If-Match. */
  version?: number;
  /** An access token to use instead of the session's (the password-change token). */
  token?: string;
  as?: 'json' | 'blob' | 'text';
  idempotencyKey?: string;
}

export interface Answer<T> {
  data: T;
  status: number;
  etag: string | null;
}

export const API_BASE = '/api/v1';

/** The header value for an access reason: trimmed, percent-encoded UTF-8 (`č` → `%C4%8D`). */
export function encodeReason(reason: string): string {
  return encodeURIComponent(reason.trim());
}

/** The version an ETag names (`"3"`, `W/"3"`). */
export function versionOf(etag: string | null): number | null {
  const match = etag?.match(/(\d+)/);
  return match ? Number(match[1]) : null;
}

/** The one way the console talks to the api: tokens, refresh, reason, versions, problems. */
export class ApiClient {
  /** Called when the session has ended (refresh refused, or signed out in another tab). */
  onSessionEnded: () => void = () => undefined;
  /** Called when the role needs a second factor that this account has not enrolled yet. */
  onMfaRequired: () => void = () => undefined;

  constructor(
    readonly tokens: TokenStore = new TokenStore(),
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  async login(username: string, password: string, otp?: string): Promise<TokenPair> {
    const { data } = await this.send<IssuedTokens>('POST', '/auth/login', {
      body: { username, password, ...(otp ? { otp } : {}) },
      token: '',
    });
    return this.tokens.save(data, username);
  }

  async logout(): Promise<void> {
    const pair = this.tokens.get();
    this.tokens.clear();
    if (pair) await this.send('POST', '/auth/logout', { token: pair.accessToken }).catch(() => undefined);
  }

  /** Refreshes when the access token is near its expiry (or `force`); serialised across tabs. */
  async refresh(force = false): Promise<TokenPair | null> {
    const seen = this.tokens.get();
    const pair = await this.tokens.refresh(
      async (refreshToken) => {
        try {
          return (await this.send<IssuedTokens>('POST', '/auth/refresh', { body: { refreshToken }, token: '' })).data;
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) return null;
          throw error;
        }
      },
      seen,
      force,
    );
    if (!pair) this.onSessionEnded();
    return pair;
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    return this.request<T>('GET', path, options);
  }

  async post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<Answer<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /** A request with the session's token; refreshes first when it is near expiry, and once after a 401. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    if (options.token !== undefined) return this.send<T>(method, path, options);
    let pair = this.tokens.get();
    if (pair && this.tokens.needsRefresh(pair)) pair = await this.refresh();
    if (!pair) {
      this.onSessionEnded();
      throw new ApiError(401, { type: 'urn:register:problem:unauthenticated', title: 'Unauthenticated', status: 401 });
    }
    try {
      return await this.send<T>(method, path, { ...options, token: pair.accessToken });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'mfa_enrollment_required') this.onMfaRequired();
      if (!(error instanceof ApiError) || error.status !== 401 || error.code !== 'unauthenticated') throw error;
      const next = await this.refresh(true);
      if (!next) throw error;
      return this.send<T>(method, path, { ...options, token: next.accessToken });
    }
  }

  private async send<T>(method: string, path: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.reason !== undefined) headers['x-access-reason'] = encodeReason(options.reason);
    if (options.version !== undefined) headers['if-match'] = `"${options.version}"`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
    }
    const search = query.toString();
    const url = `${API_BASE}${path}${search ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await this.fetcher(url, { method, headers, body });
    } catch {
      throw new ApiError(0, { type: 'urn:register:problem:unavailable', title: 'Network error', status: 0 });
    }
    if (!response.ok) {
      let problem: Problem;
      try {
        problem = (await response.json()) as Problem;
      } catch {
        problem = { type: 'urn:register:problem:unavailable', title: response.statusText, status: response.status };
      }
      throw new ApiError(response.status, problem);
    }
    const etag = response.headers.get('etag');
    let data: unknown = null;
    if (options.as === 'blob') data = await response.blob();
    else if (options.as === 'text') data = await response.text();
    else if (response.status !== 204) {
      const text = await response.text();
      data = text ? JSON.parse(text) : null;
    }
    return { data: data as T, status: response.status, etag };
  }
}

/** A fresh Idempotency-Key (getRandomValues works outside secure contexts too, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
