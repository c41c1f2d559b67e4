import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import type { Page } from '../types';

/**
 * One paged list of the api (`path`, with the access reason and `query`):
 * the first page on mount and whenever the query changes, then "more" by
 * the cursor. `items` is null while the first page loads.
 */
export function usePages<T>(path: string, reason: string, query: Record<string, string | number | undefined>) {
  const { api } = useSession();
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);

  const load = useCallback(
    async (after?: string | null) => {
      setError(null);
      if (!after) setItems(null);
      try {
        const { data } = await api.get<Page<T>>(path, {
          reason,
          query: { ...(JSON.parse(key) as typeof query), limit: 50, cursor: after ?? undefined },
        });
        setItems((list) => (after ? [...(list ?? []), ...data.items] : data.items));
        setCursor(data.nextCursor);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, path, reason, key],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return { items, cursor, error, setError, more: () => void load(cursor) };
}
