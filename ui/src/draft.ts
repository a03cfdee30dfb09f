import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "./api";

/** How long after the last key a draft is written. */
export const DRAFT_SAVE_DELAY_MS = 300;

/** The open forms' ways to write at once what they hold back. */
const openForms = new Set<() => Promise<void>>();

/**
 * Signs out once every open form's draft is written: a save still waiting would otherwise land
 * after the account's file closed, in the computer's, out of the account's reach.
 */
export async function logOut() {
  await Promise.all([...openForms].map((flush) => flush()));
  await api.logout();
}

/**
 * Saves a form on this computer as it is typed (300 ms after the last key), so that a crash or a
 * restart loses nothing; `merge` fills a saved draft from an older version of the form.
 *
 * Two races are closed here: a saved draft that arrives after the person began typing never
 * replaces what they typed, and a form once sent is never written back by a save still waiting
 * (it would reopen, for the next person at this computer, the form they had sent).
 */
export function useDraft<T extends object>(
  form: string,
  initial: T,
  merge: (initial: T, saved: T) => T = (i, s) => ({ ...i, ...s }),
) {
  const [value, setValue] = useState<T>(initial);
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  /** What was typed and not yet written: written by the timer, or at once by `flush`. */
  const waiting = useRef<T | null>(null);
  const typed = useRef(false);
  const fromDraft = useRef(false);

  useEffect(() => {
    api.loadDraft<T>(form).then(
      (draft) => {
        if (draft && !typed.current) {
          setValue(merge(initial, draft));
          fromDraft.current = true;
        }
        setLoaded(true);
      },
      () => setLoaded(true),
    );
    // Loaded once per form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form]);

  const write = useCallback((next: T) => api.saveDraft(form, next).then(() => setSaved(true)), [form]);

  const update = (next: T) => {
    typed.current = true;
    waiting.current = next;
    setValue(next);
    setSaved(false);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      waiting.current = null;
      void write(next);
    }, DRAFT_SAVE_DELAY_MS);
  };

  /** Fills the form from elsewhere (the server's copy) unless a draft or the person filled it. */
  const prefill = (next: T) => {
    if (!typed.current && !fromDraft.current) setValue(next);
  };

  /** Writes what waits at once: before the form is sent, so no save lands after it. */
  const flush = useCallback(async () => {
    window.clearTimeout(timer.current);
    const next = waiting.current;
    waiting.current = null;
    if (next) await write(next);
  }, [write]);
  useEffect(() => {
    openForms.add(flush);
    return () => void openForms.delete(flush);
  }, [flush]);

  /** The form was sent: its draft goes, nothing waiting is written, the form starts again. */
  const discard = async (fresh: T = initial) => {
    window.clearTimeout(timer.current);
    waiting.current = null;
    await api.clearDraft(form);
    setValue(fresh);
    setSaved(false);
  };

  return { value, update, prefill, flush, discard, loaded, saved };
}
