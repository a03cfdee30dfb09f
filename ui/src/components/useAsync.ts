import { asApiError } from "../api";
import { type DependencyList, useCallback, useEffect, useState } from "react";
import type { ApiError } from "../bindings/ApiError";

/** Data read from the API: read again when `deps` change or on `reload()`; an answer that comes
 * after a newer read was started is dropped, so a slow answer never overwrites a fresh one. */
export function useLoad<T>(load: () => Promise<T>, initial: T, deps: DependencyList) {
  const [data, setData] = useState<T>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (e) => {
        if (current) setError(asApiError(e));
      },
    );
    return () => {
      current = false;
    };
    // `deps` are what `load` reads: the caller lists them, as for useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, setData, error, setError, reload };
}

/** A user's action on the API: `busy` while it runs (to disable its button), its error kept for
 * the Alert. `run` hands the action's result to `then` and answers whether it succeeded. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async <T>(action: () => Promise<T>, then?: (value: T) => void): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        const value = await action();
        then?.(value);
        return true;
      } catch (e) {
        setError(asApiError(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, setError, run };
}
