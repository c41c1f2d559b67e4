/**
 * The session's token pair, shared by every tab through localStorage. A
 * refresh token works once (a second use ends the session), so refreshes are
 * serialised across tabs with the Web Locks API: inside the lock a tab first
 * looks whether another tab has refreshed meanwhile, and if so uses that pair.
 */
import type { IssuedTokens } from '../types';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  username: string;
}

/** What login and refresh answer (the api's TokenPair). */
export type { IssuedTokens };

export const STORAGE_KEY = 'register.session';
export const LOCK_NAME = 'register-refresh';
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export class TokenStore {
  constructor(
    private readonly storage: Storage = window.localStorage,
    private readonly locks: LockManagerLike | undefined = typeof navigator !== 'undefined'
      ? navigator.locks
      : undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get(): TokenPair | null {
    const raw = this.storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as TokenPair;
    } catch {
      return null;
    }
  }

  save(issued: IssuedTokens, username: string): TokenPair {
    const pair = {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      expiresAt: this.now() + issued.expiresIn * 1000,
      username,
    };
    this.storage.setItem(STORAGE_KEY, JSON.stringify(pair));
    return pair;
  }

  clear(): void {
    this.storage.removeItem(STORAGE_KEY);
  }

  /** Whether the access token is within the margin of its expiry. */
  needsRefresh(pair: TokenPair): boolean {
    return pair.expiresAt - this.now() <= REFRESH_MARGIN_MS;
  }

  /**
   * A fresh pair: refreshes once under the cross-tab lock, unless another tab
   * already did (the stored refresh token changed since `seen`) or the stored
   * access token is not near its expiry (and `force` is false). Null when
   * the session has ended.
   */
  async refresh(
    exchange: (refreshToken: string) => Promise<IssuedTokens | null>,
    seen: TokenPair | null = this.get(),
    force = false,
  ): Promise<TokenPair | null> {
    const run = async (): Promise<TokenPair | null> => {
      const current = this.get();
      if (!current) return null;
      if (seen && current.refreshToken !== seen.refreshToken) return current;
      if (!force && !this.needsRefresh(current)) return current;
      const issued = await exchange(current.refreshToken);
      if (!issued) {
        this.clear();
        return null;
      }
      // Signed out (or locked) in another tab meanwhile: the new pair must not bring the session back.
      if (this.get()?.refreshToken !== current.refreshToken) return null;
      return this.save(issued, current.username);
    };
    if (this.locks) return this.locks.request(LOCK_NAME, run);
    // Without Web Locks (no secure context) at least this tab's refreshes wait for each other.
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => null);
    return next;
  }

  private queue: Promise<TokenPair | null> = Promise.resolve(null);
}
