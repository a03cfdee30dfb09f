//! What an operator watches: `/metrics` in Prometheus' text format (requests and their latency
//! per route, the outboxes' backlog, sync pushes, payment outcomes, the database pool), the
//! readiness probe, and a request id on every request and log line.

use crate::db::outbox::{self, Outbox};
use crate::db::DbResult;
use crate::secrets::token_hash;
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use cqc_sync::api::REQUEST_ID_HEADER as REQUEST_ID;

/// Request latency buckets, in seconds: the reads answer in a few milliseconds, a login's hash
/// takes about a tenth of a second, an upload several.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's metrics recorder, installed once (the metrics macros write to it).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed")
    })
}

/// Counts each request and its latency under its route's pattern (`/api/v1/applications/{id}`,
/// never an id), its method and its status. Every label comes from a closed set: any token is a
/// method to HTTP, and one series per made-up method grew the metrics without bound.
pub async fn measure(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("other", |p| p.as_str()).to_owned();
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("route", route), ("method", method.to_owned()), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// The methods the API serves by name, every other one as `other`.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `GET /metrics` on the API's address: for the scraper's bearer token only (`CQC_METRICS_TOKEN`);
/// without a token set, not there at all (404). Nothing the client sends (its address, a
/// `Forwarded` header) can open it: a local reverse proxy connects from loopback too.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = state.metrics_token.as_ref().is_some_and(|token| {
        let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        // Digests compared, as for sessions: the time taken tells nothing about the token.
        given.and_then(|v| v.strip_prefix("Bearer ")).is_some_and(|given| token_hash(given) == token_hash(token))
    });
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    metrics_page(State(state)).await
}

/// The metrics in Prometheus' text format: on the metrics' own address (`CQC_METRICS_BIND`,
/// which serves nothing else), or behind the token on the API's.
pub async fn metrics_page(State(state): State<AppState>) -> Response {
    if let Err(error) = record_backlog(&state).await {
        tracing::warn!(%error, "the outboxes' backlog could not be read");
    }
    let pool = &state.db.pool;
    metrics::gauge!("db_pool_connections").set(f64::from(pool.size()));
    metrics::gauge!("db_pool_idle_connections").set(pool.num_idle() as f64);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], recorder().render()).into_response()
}

/// The emails and text messages waiting, and how long the oldest has waited: a stuck sender
/// shows as an age that only grows.
async fn record_backlog(state: &AppState) -> DbResult<()> {
    let now = state.clock.now();
    for (outbox, name) in [(Outbox::Emails, "emails"), (Outbox::Sms, "sms")] {
        let (pending, oldest) = outbox::backlog(&state.db, outbox).await?;
        let age = oldest.map_or(0.0, |oldest| (now - oldest).as_seconds_f64().max(0.0));
        metrics::gauge!("outbox_pending", "kind" => name).set(pending as f64);
        metrics::gauge!("outbox_oldest_pending_seconds", "kind" => name).set(age);
    }
    Ok(())
}

/// `GET /api/v1/ready`: 200 when the database answers within a second, 503 otherwise (a load
/// balancer then sends the requests elsewhere). The server listens only once its migrations ran.
#[utoipa::path(get, path = "/api/v1/ready", responses((status = 200, description = "Prêt"), (status = 503, description = "Base de données injoignable")))]
pub async fn ready(State(state): State<AppState>) -> StatusCode {
    let probe = state.db.ping();
    match tokio::time::timeout(Duration::from_secs(1), probe).await {
        Ok(Ok(_)) => StatusCode::OK,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}
