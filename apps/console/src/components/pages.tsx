import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import { useT } from '../i18n';
import type { Page } from '../types';

type Query = Record<string, string | number | boolean | undefined | null>;

export interface Pages<T> {
  /** The rows read so far (null while the first page is read). */
  items: T[] | null;
  error: unknown;
  /** Reads the next page onto the list; null when there is none. */
  more: (() => Promise<void>) | null;
  /** Reads the list again from its first page. */
  reload: () => Promise<void>;
}

/**
 * The one way the console reads a list (with the case's access reason,
 * none for lists that need none): `limit` rows a page, the next page
 * (the api's `nextCursor`) added below on demand, read again when the path,
 * query or reason changes.
 */
export function usePages<T>(path: string, query: Query, reason: string | undefined, limit = 50): Pages<T> {
  const { api } = useSession();
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The query by value: a new object with the same values reads nothing again.
  const queryKey = JSON.stringify(query);

  const load = useCallback(
    async (after?: string | null) => {
      setError(null);
      try {
        const { data } = await api.get<Page<T>>(path, {
          reason,
          query: { ...(JSON.parse(queryKey) as Query), limit, cursor: after ?? undefined },
        });
        setItems((list) => (after ? [...(list ?? []), ...data.items] : data.items));
        setCursor(data.nextCursor);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, path, queryKey, reason, limit],
  );

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  return { items, error, more: cursor ? () => load(cursor) : null, reload: () => load() };
}

/** The "more" button under a list, while the api has another page. */
export function MoreButton<T>({ pages }: { pages: Pages<T> }) {
  const { t } = useT();
  if (!pages.more) return null;
  const more = pages.more;
  return (
    <button type="button" className="secondary" onClick={() => void more()}>
      {t('more')}
    </button>
  );
}
