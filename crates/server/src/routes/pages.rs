//! The pages the emailed links open in a browser, for a machine where the app is not installed;
//! each offers « Ouvrir dans l'application CQC » (its `cqc://` twin) first. Their address carries a
//! one-time token: they run only their own inline code, cannot be framed, send no referrer and
//! are never cached. The same holds for « Vérifier une attestation », the page of someone who
//! checks a certificate's code without the app.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

const SET_PASSWORD: &str = include_str!("../../pages/mot-de-passe.html");
const CORRECTION: &str = include_str!("../../pages/correction.html");
const VERIFICATION: &str = include_str!("../../pages/verification.html");

pub async fn set_password_page() -> Response {
    page(SET_PASSWORD)
}

pub async fn correction_page() -> Response {
    page(CORRECTION)
}

/// « Vérifier une attestation », for someone without the app.
pub async fn verification_page() -> Response {
    page(VERIFICATION)
}

fn page(html: &'static str) -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, content_security_policy(html)),
            (header::X_FRAME_OPTIONS, "DENY".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Html(html),
    )
        .into_response()
}

/// Nothing but the page's own inline script and style (by their hashes), and calls to this server.
fn content_security_policy(html: &str) -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
        inline_hashes(html, "script"),
        inline_hashes(html, "style"),
    )
}

fn inline_hashes(html: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let body = &rest[start + open.len()..];
        let Some(end) = body.find(&close) else { break };
        hashes.push(format!("'sha256-{}'", STANDARD.encode(Sha256::digest(&body.as_bytes()[..end]))));
        rest = &body[end..];
    }
    if hashes.is_empty() {
        "'none'".to_owned()
    } else {
        hashes.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_allow_exactly_their_own_inline_code() {
        let policy = content_security_policy(SET_PASSWORD);
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(inline_hashes("<p>rien</p>", "script"), "'none'");
    }

    #[test]
    fn each_page_offers_to_open_its_link_in_the_installed_app() {
        for (page, app_link) in [
            (SET_PASSWORD, "\"cqc://mot-de-passe\" + location.search"),
            (CORRECTION, "\"cqc://correction\" + location.search"),
        ] {
            assert!(page.contains("id=\"in-app\""));
            assert!(page.contains(app_link), "{app_link}");
            assert_eq!(content_security_policy(page).matches("'sha256-").count(), 2, "one script, one style");
        }
    }
}
