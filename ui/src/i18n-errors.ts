import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Lang } from "./i18n";
import { reasonText } from "./i18n-applications";

/** The English sentence of each error code: English mode never shows the server's French. */
const englishErrors: Record<ErrorCode, string> = {
  invalid_request: "The request is not valid: check what you typed.",
  body_too_large: "What you sent is too large.",
  invalid_fields: "Some fields need correcting: see the messages below them.",
  password_policy: "The password does not meet every rule.",
  password_mismatch: "The two passwords differ.",
  link_invalid: "This link is not valid.",
  link_expired: "This link has expired: ask for a new one.",
  link_used: "This link has already been used.",
  invalid_credentials: "Incorrect email address or password.",
  account_locked: "Too many attempts: the account is locked for a while. Try again later.",
  rate_limited: "Too many requests: try again in a moment.",
  service_busy: "The service is busy: try again in a moment.",
  unauthenticated: "Your session has ended: log in again.",
  forbidden: "Your account cannot do this.",
  not_found: "Not found: it may have been deleted, or it is not yours.",
  conflict: "This cannot be done now: the request's state has changed. Reload and try again.",
  invalid_file: "The file was refused: send a JPEG, PNG or PDF that is readable and not too large.",
  not_eligible: "You cannot start an application: no valid qualification certificate, or one is in progress.",
  internal: "Something went wrong on our side. Try again later.",
  unreachable: "The service cannot be reached: check your connection. Nothing you typed is lost.",
};

/** What a person reads of an error: the domain's reason when it gives one, worded by the
 * feature; otherwise in French the server's own sentence, which names the case precisely, and in
 * English the sentence of its code. */
export function errorText(error: ApiError, lang: Lang): string {
  if (error.reason) return reasonText(error.reason, lang);
  return lang === "fr" ? error.message : englishErrors[error.code];
}
