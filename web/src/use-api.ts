/** `useApi`: one GET with loading / error / data states, refetched when its path changes. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api.ts';

export type ApiState<T> =
  | { readonly status: 'loading'; readonly data: T | null }
  | { readonly status: 'error'; readonly error: ApiError; readonly data: null }
  | { readonly status: 'ok'; readonly data: T };

/** Fetches `path` (null: nothing) and refetches on change or on `reload()`. */
export function useApi<T>(path: string | null, refresh = 0): ApiState<T> & { reload: () => void } {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading', data: null });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    setState((prev) => ({ status: 'loading', data: prev.data }));
    const load = (): void => {
      api<T>(path, { signal: controller.signal }).then(
        (data) => setState({ status: 'ok', data }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (error instanceof ApiError && error.code === 'not_ready') {
            // The server is still loading the analysis: ask again when it says.
            retry = setTimeout(load, (error.retryAfter ?? 2) * 1000);
            return;
          }
          setState({
            status: 'error',
            data: null,
            error:
              error instanceof ApiError
                ? error
                : new ApiError(0, 'client', error instanceof Error ? error.message : String(error)),
          });
        },
      );
    };
    load();
    return () => {
      controller.abort();
      if (retry) clearTimeout(retry);
    };
  }, [path, version, refresh]);
  return { ...state, reload };
}
