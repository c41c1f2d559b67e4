import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { useSession } from '../auth/session';

/** Reference lists read once per page load and shared by every form (they change rarely; a reload reads them again). */
const lists = new Map<string, Promise<unknown[]>>();

function read<T>(api: ApiClient, path: string): Promise<T[]> {
  let list = lists.get(path);
  if (!list) {
    list = api.get<{ items?: T[] }>(path).then(({ data }) => (Array.isArray(data.items) ? data.items : []));
    // A failure is not kept: the next form asks again.
    list.catch(() => lists.delete(path));
    lists.set(path, list);
  }
  return list as Promise<T[]>;
}

/** A reference list's items (empty until read; a failure leaves it empty and the form falls back to typing). */
export function useReference<T>(path: string): T[] {
  const { api } = useSession();
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    let live = true;
    read<T>(api, path)
      .then((found) => live && setItems(found))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, path]);
  return items;
}

/** A coded reference list as choices: `[code, "name (code)"]`, in the list's order. */
export function useCodeChoices(
  path: '/reference/police-administrations' | '/reference/uiks-offices',
): [string, string][] {
  return useReference<{ code: string; name: string }>(path).map((item) => [item.code, `${item.name} (${item.code})`]);
}

/** Forgets the lists (tests; a new sign-in need not). */
export function forgetReferenceLists(): void {
  lists.clear();
}
