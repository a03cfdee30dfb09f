//! The pages the emailed links open in a browser, for a machine where the app is not installed
//! (the app itself takes the same links through « J'ai reçu un lien »).

use axum::response::Html;

pub async fn set_password_page() -> Html<&'static str> {
    Html(include_str!("../../pages/mot-de-passe.html"))
}

pub async fn correction_page() -> Html<&'static str> {
    Html(include_str!("../../pages/correction.html"))
}
