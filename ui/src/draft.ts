import { useEffect, useRef, useState } from "react";
import { api } from "./api";

/**
 * Saves a form on this computer as it is typed (300 ms after the last key), so that a crash or a
 * restart loses nothing; `merge` fills a saved draft from an older version of the form.
 */
export function useDraft<T extends object>(
  form: string,
  initial: T,
  merge: (initial: T, saved: T) => T = (i, s) => ({ ...i, ...s }),
) {
  const [value, setValue] = useState<T>(initial);
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState(false);
  const [hadDraft, setHadDraft] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    api.loadDraft<T>(form).then(
      (draft) => {
        if (draft) {
          setValue(merge(initial, draft));
          setHadDraft(true);
        }
        setLoaded(true);
      },
      () => setLoaded(true),
    );
    // Loaded once per form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form]);

  const update = (next: T) => {
    setValue(next);
    setSaved(false);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => api.saveDraft(form, next).then(() => setSaved(true)), 300);
  };
  return { value, setValue, update, loaded, saved, hadDraft };
}
