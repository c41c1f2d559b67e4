import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { LOCK_NAME, STORAGE_KEY, TokenStore } from '../../../apps/console/src/api/tokens';

/** Web Locks as the browser keeps them: one holder at a time per name, across every tab of the origin. */
function lockManager() {
  const queues = new Map<string, Promise<unknown>>();
  const names: string[] = [];
  return {
    names,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      names.push(name);
      const previous = queues.get(name) ?? Promise.resolve();
      const next = previous.then(callback, callback);
      queues.set(
        name,
        next.catch(() => undefined),
      );
      return next;
    },
  };
}

describe('token refresh across tabs', () => {
  it('spends the refresh token once when two tabs refresh at the same moment', async () => {
    const locks = lockManager();
    let now = 1_000_000;
    // Two tabs: two stores and two clients over the same localStorage and lock manager.
    const tabA = new TokenStore(localStorage, locks, () => now);
    const tabB = new TokenStore(localStorage, locks, () => now);
    tabA.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    now += 850_000; // within a minute of expiry
    const spent: string[] = [];
    const fetcher = vi.fn(async (_url: string, init: RequestInit) => {
      const { refreshToken } = JSON.parse(String(init.body)) as { refreshToken: string };
      if (spent.includes(refreshToken))
        return new Response('{"type":"urn:register:problem:unauthenticated","title":"x","status":401}', {
          status: 401,
        });
      spent.push(refreshToken);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return new Response(
        JSON.stringify({ accessToken: 'a2', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 }),
        { status: 200 },
      );
    });
    const apiA = new ApiClient(tabA, fetcher as unknown as typeof fetch);
    const apiB = new ApiClient(tabB, fetcher as unknown as typeof fetch);
    const ended = vi.fn();
    apiA.onSessionEnded = ended;
    apiB.onSessionEnded = ended;

    const [a, b] = await Promise.all([apiA.refresh(), apiB.refresh()]);

    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(spent).toEqual(['r1']);
    expect(a?.refreshToken).toBe('r2');
    expect(b?.refreshToken).toBe('r2');
    expect(ended).not.toHaveBeenCalled();
    expect(locks.names).toEqual([LOCK_NAME, LOCK_NAME]);
  });

  it('does not refresh a token far from expiry, and ends the session when the refresh is refused', async () => {
    const locks = lockManager();
    const store = new TokenStore(localStorage, locks);
    store.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    const fetcher = vi.fn(
      async () =>
        new Response('{"type":"urn:register:problem:unauthenticated","title":"x","status":401}', { status: 401 }),
    );
    const api = new ApiClient(store, fetcher as unknown as typeof fetch);
    expect((await api.refresh())?.accessToken).toBe('a1');
    expect(fetcher).not.toHaveBeenCalled();
    const ended = vi.fn();
    api.onSessionEnded = ended;
    expect(await api.refresh(true)).toBeNull();
    expect(ended).toHaveBeenCalled();
    expect(store.get()).toBeNull();
  });

  it('does not bring a session back when another tab signed out while the refresh was on its way', async () => {
    const store = new TokenStore(localStorage, lockManager());
    store.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    const fetcher = vi.fn(async () => {
      localStorage.removeItem(STORAGE_KEY); // the other tab's sign-out, before the answer arrives
      return new Response(
        JSON.stringify({ accessToken: 'a2', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 }),
        { status: 200 },
      );
    });
    const api = new ApiClient(store, fetcher as unknown as typeof fetch);
    expect(await api.refresh(true)).toBeNull();
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('without Web Locks, still refreshes once for two requests of the same tab', async () => {
    let now = 1_000_000;
    const store = new TokenStore(localStorage, undefined, () => now);
    store.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    now += 850_000;
    const fetcher = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return new Response(
        JSON.stringify({ accessToken: 'a2', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 }),
        { status: 200 },
      );
    });
    const api = new ApiClient(store, fetcher as unknown as typeof fetch);
    const [a, b] = await Promise.all([api.refresh(), api.refresh()]);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect([a?.refreshToken, b?.refreshToken]).toEqual(['r2', 'r2']);
  });
});
