/** `usePages`: a keyset-paginated list that loads its next page on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api.ts';
import type { Page } from './api-types.ts';

export interface Pages<T> {
  readonly items: readonly T[];
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: ApiError | null;
  /** Whether the first page arrived. */
  readonly loaded: boolean;
  readonly loadMore: () => void;
}

/** Pages of `path` (which has a query string or not); starts over when `path` changes. */
export function usePages<T>(path: string | null, pageSize = 100, refresh = 0): Pages<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState({
    loading: false,
    loaded: false,
    done: false,
    error: null as ApiError | null,
  });
  const busy = useRef(false);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const fetchPage = useCallback(
    (from: string | null, gen: number) => {
      if (path === null) return;
      busy.current = true;
      setState((s) => ({ ...s, loading: true, error: null }));
      const separator = path.includes('?') ? '&' : '?';
      const cursorPart = from ? `&cursor=${encodeURIComponent(from)}` : '';
      const abort = new AbortController();
      controller.current = abort;
      api<Page<T>>(`${path}${separator}limit=${pageSize}${cursorPart}`, {
        signal: abort.signal,
      }).then(
        (page) => {
          if (gen !== generation.current) return;
          busy.current = false;
          setItems((prev) => (from ? [...prev, ...page.items] : page.items));
          setCursor(page.nextCursor);
          setState({ loading: false, loaded: true, done: page.nextCursor === null, error: null });
        },
        (error: unknown) => {
          if (gen !== generation.current || abort.signal.aborted) return;
          busy.current = false;
          setState((s) => ({
            ...s,
            loading: false,
            error: error instanceof ApiError ? error : new ApiError(0, 'client', String(error)),
          }));
        },
      );
    },
    // `refresh` starts the list over after a change (a mute) without changing its path.
    [path, pageSize, refresh],
  );

  useEffect(() => {
    generation.current += 1;
    controller.current?.abort();
    setItems([]);
    setCursor(null);
    setState({ loading: false, loaded: false, done: false, error: null });
    busy.current = false;
    fetchPage(null, generation.current);
    return () => controller.current?.abort();
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (busy.current || state.done || state.error || cursor === null) return;
    fetchPage(cursor, generation.current);
  }, [cursor, fetchPage, state.done, state.error]);

  return {
    items,
    hasMore: !state.done,
    loading: state.loading,
    error: state.error,
    loaded: state.loaded,
    loadMore,
  };
}
