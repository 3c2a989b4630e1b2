//! The edge over real loopback sockets: slow and silent connections are closed on time while
//! the health check keeps answering; caps, body timeouts, rate limits and headers as a
//! client sees them.

use super::{listen, wrap, EdgeArgs};
use axum::body::Bytes;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server with the edge around a health route and a route that reads its body, on a free
/// loopback port. `tweak` sets the options under test.
async fn start(tweak: impl FnOnce(&mut EdgeArgs)) -> (SocketAddr, EdgeArgs) {
    let mut args = EdgeArgs::defaults();
    tweak(&mut args);
    let routes = Router::new().route("/api/v1/health", get(|| async { "ok" })).route(
        "/api/v1/filings",
        post(|body: Bytes| async move { (axum::http::StatusCode::CREATED, format!("{}", body.len())) }),
    );
    let app = wrap(routes, &args);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = listen::ConnLimits::from(&args);
    tokio::spawn(listen::serve(listener, app, limits, std::future::pending(), Duration::ZERO));
    (addr, args)
}

/// Sends `request` on a new connection and reads the answer to its end (bounded by 5 s).
async fn exchange(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn health(addr: SocketAddr) -> String {
    exchange(addr, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await
}

/// Waits (at most `limit`) until the server closes `s`; the time it took, or None.
async fn closed_within(mut s: impl tokio::io::AsyncRead + Unpin, limit: Duration) -> Option<Duration> {
    let t0 = Instant::now();
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(limit.saturating_sub(t0.elapsed()), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(t0.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

/// `n` connections that send nothing.
async fn silent(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    held
}

#[tokio::test]
async fn slow_silent_and_idle_connections_are_closed_on_time_while_health_answers() {
    let (addr, _) = start(|a| a.head_timeout = 1).await;
    // 30 that never send a byte, 30 that send a request line and then a header line every
    // 300 ms (never finishing the head), one kept alive after a request and then idle.
    let silent = silent(addr, 30).await;
    let mut drips = Vec::new();
    for i in 0..30 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /api/v1/health HTTP/1.1\r\n").await.unwrap();
        let (r, mut w) = s.into_split();
        tokio::spawn(async move {
            for n in 0..20 {
                tokio::time::sleep(Duration::from_millis(300)).await;
                if w.write_all(format!("X-Slow-{i}-{n}: y\r\n").as_bytes()).await.is_err() {
                    break;
                }
            }
        });
        drips.push(r);
    }
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let mut first = [0u8; 15];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200 OK");
    // Meanwhile the health check answers, again and again.
    for _ in 0..5 {
        assert!(health(addr).await.starts_with("HTTP/1.1 200 OK"));
    }
    let limit = Duration::from_millis(2500);
    let mut times = Vec::new();
    for s in silent.into_iter().chain([kept]) {
        times.push(closed_within(s, limit).await.expect("a silent or idle connection still open after 2.5 s"));
    }
    for r in drips {
        times.push(closed_within(r, limit).await.expect("a dripping connection still open after 2.5 s"));
    }
    let worst = times.iter().max().unwrap();
    eprintln!("61 connections closed, the last after {worst:?} (head timeout 1 s)");
    assert!(health(addr).await.starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn one_client_cannot_hold_more_than_its_share_of_connections() {
    let (addr, _) = start(|a| a.max_connections_per_client = 8).await;
    let mut held = silent(addr, 8).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The ninth is closed at once, before it sends anything.
    let ninth = TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(ninth, Duration::from_millis(500)).await.is_some());
    // When one of the eight goes, the client may connect again.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(health(addr).await.starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn a_body_that_stalls_fails_within_the_body_timeout() {
    let (addr, _) = start(|a| a.body_timeout = 1).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /api/v1/filings HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"a\":").await.unwrap();
    let t0 = Instant::now();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    let answer = String::from_utf8_lossy(&out);
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
}

#[tokio::test]
async fn filing_too_fast_answers_429_with_retry_after_in_both_languages() {
    let (addr, _) = start(|a| (a.filing_burst, a.filing_every) = (3, 60)).await;
    let post = "POST /api/v1/filings HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    for _ in 0..3 {
        assert!(exchange(addr, post).await.starts_with("HTTP/1.1 201"));
    }
    let refused = exchange(addr, post).await;
    assert!(refused.starts_with("HTTP/1.1 429"), "{refused}");
    let head = refused.to_ascii_lowercase();
    assert!(head.contains("retry-after: 60\r\n"), "{refused}");
    let body: serde_json::Value = serde_json::from_str(refused.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().unwrap().contains("60 s"));
    assert!(body["error"]["message_zh"].as_str().unwrap().contains("60 秒"));
    // Other operations and routes are not affected.
    assert!(health(addr).await.starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let post = |xff: &str| {
        format!("POST /api/v1/filings HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: {xff}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}")
    };
    // Untrusted: changing the header does not make a new client.
    let (addr, _) = start(|a| (a.filing_burst, a.filing_every) = (1, 60)).await;
    assert!(exchange(addr, &post("192.0.2.1")).await.starts_with("HTTP/1.1 201"));
    assert!(exchange(addr, &post("192.0.2.2")).await.starts_with("HTTP/1.1 429"));
    // Trusted (the loopback peer is the proxy): each forwarded client has its own bucket.
    let (addr, _) = start(|a| {
        (a.filing_burst, a.filing_every) = (1, 60);
        a.trusted_proxy = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    assert!(exchange(addr, &post("192.0.2.1")).await.starts_with("HTTP/1.1 201"));
    assert!(exchange(addr, &post("192.0.2.2")).await.starts_with("HTTP/1.1 201"));
    assert!(exchange(addr, &post("192.0.2.1")).await.starts_with("HTTP/1.1 429"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_hsts_only_when_asked() {
    for hsts in [false, true] {
        let (addr, _) = start(|a| a.hsts = hsts).await;
        let answer = health(addr).await.to_ascii_lowercase();
        for (name, value) in super::headers::ALWAYS {
            assert!(answer.contains(&format!("{name}: {value}\r\n")), "{name} in {answer}");
        }
        assert!(answer.contains("x-frame-options: deny\r\n"));
        assert!(answer.contains("x-content-type-options: nosniff\r\n"));
        assert_eq!(
            answer.contains(&format!("strict-transport-security: {}\r\n", super::headers::HSTS.to_ascii_lowercase())),
            hsts
        );
    }
}
