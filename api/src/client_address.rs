//! The client's address for the per-address sign-in back-off and sign-up
//! limit: the TCP peer, unless the peer is one of the reverse proxies
//! configured in `JUDGE_TRUSTED_PROXIES`; then `X-Forwarded-For` is read
//! from the right, each trusted proxy's entry skipped, and the first
//! address no trusted proxy stands for is the client. Entries left of it
//! were written by the client itself and are never believed; a header from
//! a peer that is not a trusted proxy is ignored altogether.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::connect_info::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderMap;

/// One entry of `JUDGE_TRUSTED_PROXIES`: an address (`10.0.0.7`, `::1`) or
/// a network (`10.0.0.0/8`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 peer may come as ::ffff:a.b.c.d on a dual-stack socket.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - self.prefix as u32).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - self.prefix as u32).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<IpRange, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network (10.0.0.7, 10.0.0.0/8)"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0-{max}"))?,
        };
        Ok(IpRange { network, prefix })
    }
}

/// The client address of a request (see the module's rules).
pub fn client_address(parts: &Parts, trusted: &[IpRange]) -> String {
    match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => client_ip(peer.ip(), &parts.headers, trusted).to_string(),
        None => "unknown".into(),
    }
}

/// The client behind `peer`: `peer` itself unless it is trusted, else the
/// rightmost `X-Forwarded-For` entry that is not a trusted proxy (the
/// leftmost when every entry is one; `peer` when an entry is unreadable
/// before an untrusted one is found, since the chain cannot be followed).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    // Several headers are one list, in order.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(ip) = parse_entry(entry) else {
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            return ip;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, possibly with a port
/// (`1.2.3.4:5678`, `[::1]:80`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    entry.parse::<SocketAddr>().ok().map(|s| s.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let r: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(r.contains(ip("10.1.2.3")));
        assert!(!r.contains(ip("11.0.0.1")));
        assert!(r.contains(ip("::ffff:10.0.0.1")));
        let one: IpRange = "192.168.1.5".parse().unwrap();
        assert!(one.contains(ip("192.168.1.5")));
        assert!(!one.contains(ip("192.168.1.6")));
        let v6: IpRange = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("fe80::1")));
        let all: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")));
        for bad in ["proxy", "10.0.0.0/33", "::/129", "10.0.0.0/x"] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let trusted = ranges(&["10.0.0.0/8"]);
        // An untrusted peer's header is ignored: it could say anything.
        assert_eq!(
            client_ip(ip("203.0.113.9"), &headers(&["1.1.1.1"]), &trusted),
            ip("203.0.113.9")
        );
        // No proxies configured: the peer, whatever the header says.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&["1.1.1.1"]), &[]),
            ip("10.0.0.2")
        );
        // The rightmost untrusted entry is the client; what the client
        // wrote to the left of it is not believed.
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                &headers(&["6.6.6.6, 198.51.100.7, 10.0.0.3"]),
                &trusted
            ),
            ip("198.51.100.7")
        );
        // Several headers are one list.
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                &headers(&["6.6.6.6", "198.51.100.7"]),
                &trusted
            ),
            ip("198.51.100.7")
        );
        // A trusted peer without the header: the peer.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&[]), &trusted),
            ip("10.0.0.2")
        );
        // Every entry a proxy: the leftmost.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&["10.9.9.9, 10.0.0.3"]), &trusted),
            ip("10.9.9.9")
        );
        // Garbage stops the walk at the last address known.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&["1.2.3.4, garbage"]), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers(&["[2001:db8::1]:443"]), &trusted),
            ip("2001:db8::1")
        );
    }
}
