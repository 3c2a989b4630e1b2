//! The accept loop of `kaifang serve` (in place of `axum::serve`, which has no timeouts and
//! no connection caps): one HTTP/1.1 connection per task, with
//! - hyper's request-head timeout, whose clock starts whenever the connection waits for a
//!   request: a client that never sends a byte, dribbles its head a line at a time, or idles
//!   on a kept-alive connection is closed when it runs out;
//! - a cap on open connections per client address and in total: past it a new connection is
//!   closed at once, before any byte is read, so one client cannot fill the table.
//!
//! Body and whole-request timeouts are tower layers on the router ([`super::wrap`]): they
//! need the request, which this loop does not look into.

use super::client::Peer;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The caps, and the head timeout hyper enforces.
#[derive(Clone, Debug)]
pub struct ConnLimits {
    pub head_timeout: Duration,
    pub per_client: usize,
    pub total: usize,
    /// Proxies carry many clients' connections: only the total cap applies to them.
    pub uncapped: Vec<IpAddr>,
}

impl From<&super::EdgeArgs> for ConnLimits {
    fn from(a: &super::EdgeArgs) -> ConnLimits {
        ConnLimits {
            head_timeout: a.head_timeout(),
            per_client: a.max_connections_per_client,
            total: a.max_connections,
            uncapped: a.trusted_proxy.clone(),
        }
    }
}

/// Open connections by client address. A [`Slot`] holds one until dropped.
#[derive(Default)]
struct Table {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
}

struct Slot {
    table: Arc<Mutex<Table>>,
    ip: IpAddr,
}

fn admit(table: &Arc<Mutex<Table>>, ip: IpAddr, limits: &ConnLimits) -> Option<Slot> {
    let mut t = table.lock().unwrap();
    let mine = t.by_ip.get(&ip).copied().unwrap_or(0);
    if t.total >= limits.total || (mine >= limits.per_client && !limits.uncapped.contains(&ip)) {
        return None;
    }
    t.total += 1;
    *t.by_ip.entry(ip).or_default() += 1;
    Some(Slot { table: table.clone(), ip })
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut t = self.table.lock().unwrap();
        t.total -= 1;
        if let Some(n) = t.by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                t.by_ip.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets the
/// open connections finish their request in progress and returns when they have (or after
/// `drain`). Each request carries its connection's [`Peer`] as an extension.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) -> std::io::Result<()> {
    let table = Arc::new(Mutex::new(Table::default()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue }
            },
            _ = &mut shutdown => break,
        };
        let Some(slot) = admit(&table, peer.ip(), &limits) else { continue };
        // TCP_NODELAY: see `serve::no_delay`.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let mut stop = stop_rx.clone();
        let head_timeout = limits.head_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(Peer(peer));
                req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                app.clone().oneshot(req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(head_timeout)
                .serve_connection(TokioIo::new(tcp), service)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    let deadline = tokio::time::Instant::now() + drain;
    while table.lock().unwrap().total > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_client_and_in_total_and_slots_come_back() {
        let limits = ConnLimits {
            head_timeout: Duration::from_secs(1),
            per_client: 1,
            total: 3,
            uncapped: vec!["10.0.0.9".parse().unwrap()],
        };
        let table = Arc::new(Mutex::new(Table::default()));
        let (a, b, proxy): (IpAddr, IpAddr, IpAddr) =
            ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap(), "10.0.0.9".parse().unwrap());
        let a1 = admit(&table, a, &limits).unwrap();
        assert!(admit(&table, a, &limits).is_none(), "a second from one client");
        let b1 = admit(&table, b, &limits).unwrap();
        drop(a1);
        drop(b1);
        assert_eq!(table.lock().unwrap().total, 0);
        // A trusted proxy is held to the total only.
        let _held: Vec<Slot> = (0..3).map(|_| admit(&table, proxy, &limits).unwrap()).collect();
        assert!(admit(&table, proxy, &limits).is_none(), "the total is reached");
        assert!(admit(&table, a, &limits).is_none(), "for everyone");
        assert_eq!(table.lock().unwrap().total, 3);
    }
}
