import { useState } from "react";
import { api } from "../../api";
import { Alert, TextField } from "../../components";
import { useAction } from "../../components/useAsync";
import { useT } from "../../i18n";

/** « Clôturer mon compte »: what goes and what the law keeps, said first; confirmed with the
 * password; then the account is closed on the service and forgotten on this computer. */
export function CloseAccount({ onClosed }: { onClosed: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [closed, setClosed] = useState(false);
  const { busy, error, run } = useAction();

  if (closed) {
    return (
      <div className="close-account" role="status">
        <p>
          <strong>{t.accountClosed}</strong>
        </p>
        <button type="button" className="primary" onClick={onClosed}>
          {t.backToStart}
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" className="link-button" id="close-account" onClick={() => setOpen(true)}>
        {t.closeAccount}
      </button>
    );
  }
  return (
    <form
      className="close-account"
      aria-labelledby="close-account-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(
          () => api.closeAccount(password),
          () => setClosed(true),
        );
      }}
    >
      <h3 id="close-account-title">{t.closeAccount}</h3>
      <p>{t.closureDeleted}</p>
      <p>{t.closureKeptIntro}</p>
      <ul>
        {t.closureKept.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <TextField
        id="closure-password"
        label={t.password}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
      />
      <Alert error={error} />
      <div className="actions-row">
        <button type="submit" className="danger" id="confirm-closure" disabled={busy}>
          {t.confirmClosure}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
