import { useEffect, useState } from 'react';

/** A list loaded page by page with the API's keyset cursors ("load more"). */
export function usePagedList<T>(fetchPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>, deps: unknown[] = []) {
  const [rows, setRows] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const load = async (after: string | null) => {
    const page = await fetchPage(after);
    setRows((old) => (after ? [...old, ...page.items] : page.items));
    setCursor(page.nextCursor);
  };
  useEffect(() => { void load(null).catch(() => {}); }, deps);
  return { rows, more: cursor ? () => load(cursor) : null };
}
