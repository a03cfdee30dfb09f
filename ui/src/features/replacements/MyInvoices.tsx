import { useState } from "react";
import { api, asApiError } from "../../api";

import type { InvoiceSummary } from "../../bindings/InvoiceSummary";
import { useLoad } from "../../components/useAsync";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import { money, replacementTexts } from "../../i18n-replacements";
import { frenchDate } from "../../components/dates";

/** « Mes factures »: the duplicates of the last 10 years, each downloadable. */
export function MyInvoices({ online }: { online: boolean }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const { data: invoices, error, setError } = useLoad<InvoiceSummary[]>(() => api.myInvoices(), [], [online]);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="invoices-title">
      <h2 id="invoices-title">{rt.invoicesTitle}</h2>
      <p className="muted">{rt.invoicesHint}</p>
      <Alert error={error} />
      {invoices.length === 0 ? (
        <p className="muted">{rt.noInvoice}</p>
      ) : (
        <table className="table" id="invoices">
          <thead>
            <tr>
              <th>{rt.invoiceNumber}</th>
              <th>{rt.invoiceDate}</th>
              <th>{rt.invoiceItem}</th>
              <th>{rt.invoiceTotal}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => (
              <tr key={invoice.number}>
                <td>{invoice.number}</td>
                <td>{frenchDate(invoice.issued_on)}</td>
                <td>{invoice.title}</td>
                <td>{money(invoice.total, t.lang)}</td>
                <td>
                  <button
                    className="link-button"
                    id={`download-${invoice.number}`}
                    aria-label={`${rt.download} ${invoice.number}`}
                    onClick={() =>
                      api.saveInvoice(invoice.number).then(setSavedPath, (e) => setError(asApiError(e)))
                    }
                  >
                    ⬇ {rt.download}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {savedPath && <p className="muted">{rt.savedAt(savedPath)}</p>}
    </section>
  );
}
