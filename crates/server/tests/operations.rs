//! What an operator relies on: the readiness probe, `/metrics` (for the machine itself or the
//! scraper's token, never for API clients), a request id from the app to the logs, JSON logs.

use cqc_testkit::TestServer;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_load_balancer_sees_the_server_ready() {
    let server = TestServer::start().await;
    let ready = get(&format!("{}/api/v1/ready", server.base_url), &[]).await;
    assert_eq!(ready.status(), 200);
}

/// The metrics on an address of their own, as `CQC_METRICS_BIND` serves them.
async fn metrics_address(server: &TestServer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/metrics", listener.local_addr().unwrap());
    tokio::spawn(cqc_server::serve_metrics(listener, server.state.clone()));
    url
}

#[tokio::test]
async fn the_metrics_count_requests_per_route_never_per_id_and_show_the_backlog() {
    let server = TestServer::start().await;
    get(&format!("{}/api/v1/health", server.base_url), &[]).await;
    let id = uuid::Uuid::new_v4();
    get(&format!("{}/api/v1/applications/{id}", server.base_url), &[]).await;

    // Without a token, the API's address has no metrics, whoever asks: the machine itself, or
    // a client through a reverse proxy on it (`Forwarded` or `X-Forwarded-For`).
    let on_the_api = format!("{}/metrics", server.base_url);
    assert_eq!(get(&on_the_api, &[]).await.status(), 404);
    assert_eq!(get(&on_the_api, &[("forwarded", "for=203.0.113.9")]).await.status(), 404);
    let page = get(&metrics_address(&server).await, &[]).await;
    assert_eq!(page.status(), 200);
    let text = page.text().await.unwrap();
    assert!(text.contains(r#"http_requests_total{route="/api/v1/health",method="GET",status="200"}"#), "{text}");
    assert!(text.contains(r#"route="/api/v1/applications/{id}""#), "{text}");
    assert!(!text.contains(&id.to_string()), "an id in the metrics: {text}");
    assert!(text.contains("http_request_duration_seconds_bucket{"), "{text}");
    assert!(text.contains(r#"outbox_pending{kind="emails"}"#), "{text}");
    assert!(text.contains(r#"outbox_oldest_pending_seconds{kind="sms"}"#), "{text}");
    assert!(text.contains("db_pool_connections"), "{text}");
}

#[tokio::test]
async fn made_up_methods_add_no_series_to_the_metrics() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/nowhere", server.base_url);
    let series = |text: &str| text.lines().filter(|l| l.starts_with("http_requests_total{")).count();
    let before = get(&metrics_address(&server).await, &[]).await.text().await.unwrap();
    for n in 0..300 {
        let method = reqwest::Method::from_bytes(format!("M{n:040x}").as_bytes()).unwrap();
        client.request(method, &url).send().await.unwrap();
    }
    let after = get(&metrics_address(&server).await, &[]).await.text().await.unwrap();
    assert!(!after.contains("M000"), "a made-up method became a label");
    assert!(after.contains(r#"method="other""#), "{after}");
    // Other tests of this process may add their own routes' series meanwhile, never 300.
    assert!(series(&after) <= series(&before) + 10, "{} series before, {} after", series(&before), series(&after));
}

#[tokio::test]
async fn with_a_token_the_metrics_are_for_its_bearer_only() {
    let server = TestServer::start_with(|config| config.metrics_token = Some("jeton-du-collecteur".into())).await;
    let url = format!("{}/metrics", server.base_url);
    assert_eq!(get(&url, &[]).await.status(), 404);
    assert_eq!(get(&url, &[("authorization", "Bearer autre-jeton")]).await.status(), 404);
    assert_eq!(get(&url, &[("authorization", "Bearer jeton-du-collecteur")]).await.status(), 200);
}

#[tokio::test]
async fn the_apps_request_id_comes_back_and_each_request_has_one() {
    let server = TestServer::start().await;
    let url = format!("{}/api/v1/health", server.base_url);
    let echoed = get(&url, &[("x-request-id", "app-7f3a")]).await;
    assert_eq!(echoed.headers()["x-request-id"], "app-7f3a");
    let made = get(&url, &[]).await;
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
}

#[tokio::test]
async fn the_logs_are_json_lines_that_carry_the_request_id() {
    let data = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cqc-server"))
        .arg("serve")
        .env("CQC_BIND", format!("127.0.0.1:{port}"))
        .env("CQC_DATA_DIR", data.path())
        .env("CQC_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,tower_http=debug")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/api/v1/health");
    let mut answered = false;
    for _ in 0..200 {
        if reqwest::Client::new().get(&url).header("x-request-id", "suivi-conducteur-42").send().await.is_ok() {
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(answered, "the server never answered");
    let _ = child.kill();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok).collect();
    let _ = child.wait();
    assert!(!lines.is_empty());
    for line in &lines {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    assert!(lines.iter().any(|l| l.contains("suivi-conducteur-42")), "{lines:#?}");
}
