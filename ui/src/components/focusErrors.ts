/** After a form is sent, focus goes to the first field to correct, or to the error message when
 * the refusal names no field: someone using the keyboard or a screen reader lands on what to fix
 * (RGAA 11.10 and 11.11). One listener serves every form of the app; it waits for the refusal to
 * appear (the checks are immediate, the server's answer is not) and gives up once the form is gone
 * or after a while. Returns what stops it. */
export function focusFirstErrorAfterSend(doc: Document = document): () => void {
  const WAIT_MS = 15_000;
  let sent: { form: HTMLFormElement; until: number } | null = null;

  const look = () => {
    if (!sent) return;
    if (!sent.form.isConnected || Date.now() > sent.until) {
      sent = null;
      return;
    }
    const target =
      sent.form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      sent.form.querySelector<HTMLElement>('[role="alert"]');
    if (!target) return;
    sent = null;
    if (!target.matches("input, select, textarea, button, [tabindex]")) target.tabIndex = -1;
    target.focus();
  };

  const onSubmit = (event: Event) => {
    if (!(event.target instanceof HTMLFormElement)) return;
    sent = { form: event.target, until: Date.now() + WAIT_MS };
    // The same refusal twice changes nothing on the page: look once the screen has settled too.
    setTimeout(look, 400);
  };
  const observer = new MutationObserver(look);
  observer.observe(doc.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-invalid"],
  });
  doc.addEventListener("submit", onSubmit, true);
  return () => {
    observer.disconnect();
    doc.removeEventListener("submit", onSubmit, true);
  };
}
