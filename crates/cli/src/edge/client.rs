//! Which client a request comes from. Behind a reverse proxy every connection comes from
//! the proxy, so the proxy's `X-Forwarded-For` names the client — but only a proxy the
//! operator named may say so: anyone else could send the header to pose as many clients and
//! escape every per-client limit.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The TCP peer of a connection, put on each request by [`super::listen`].
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

/// The client's address: the TCP peer, or — when the peer is a trusted proxy — the last
/// address in `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the
/// address it received the request from, so the addresses to its left are the client's
/// claims and cannot be trusted).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    let hops: Vec<IpAddr> = forwarded.flat_map(|v| v.split(',')).filter_map(|a| a.trim().parse().ok()).collect();
    hops.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let h = headers(&["198.51.100.1, 192.0.2.7"]);
        // Not trusted: the header is ignored, whatever it says.
        assert_eq!(client_ip(stranger, &h, &[proxy]), stranger);
        assert_eq!(client_ip(proxy, &h, &[]), proxy);
        // Trusted: the address the proxy saw (the rightmost), not what the client claimed.
        assert_eq!(client_ip(proxy, &h, &[proxy]), "192.0.2.7".parse::<IpAddr>().unwrap());
        // Two trusted proxies in a row are skipped; several header lines read as one list.
        let chain = headers(&["198.51.100.1", "192.0.2.7, 10.0.0.3"]);
        assert_eq!(
            client_ip(proxy, &chain, &[proxy, "10.0.0.3".parse().unwrap()]),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        // A trusted proxy that sent no usable header: the proxy itself.
        assert_eq!(client_ip(proxy, &headers(&["garbage"]), &[proxy]), proxy);
    }
}
