//! How many connections the server holds, and for whom: a cap for all, and a share per client
//! address, so that one client holding its connections open (a body announced and never sent)
//! leaves room for everybody else.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Connections served at once; further ones wait in the system's accept queue.
pub const MAX_CONNECTIONS: usize = 2048;
/// Connections one client address holds at once: a training centre's office behind one address
/// with a few dozen computers stays well under it.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 64;

/// The connections held per client address. An IPv6 client is counted by its /64, the block
/// one subscriber holds: otherwise each of its addresses would get a share of its own.
#[derive(Clone, Default)]
pub struct PerAddress {
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
    limit: Option<usize>,
}

impl PerAddress {
    /// `None`: no share per address (behind a load balancer, every connection comes from it).
    pub fn new(limit: Option<usize>) -> Self {
        Self { held: Arc::default(), limit }
    }

    /// A seat for a new connection from `address`, given back when dropped; none when that
    /// address already holds its share.
    pub fn seat(&self, address: IpAddr) -> Option<Seat> {
        let key = block_of(address);
        let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = held.entry(key).or_default();
        if self.limit.is_some_and(|limit| *count >= limit) {
            return None;
        }
        *count += 1;
        Some(Seat { held: self.held.clone(), key })
    }
}

/// One connection's place in its address's share.
pub struct Seat {
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
    key: IpAddr,
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

fn block_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_its_share_and_gets_it_back_as_its_connections_end() {
        let connections = PerAddress::new(Some(2));
        let greedy: IpAddr = "203.0.113.9".parse().unwrap();
        let first = connections.seat(greedy).unwrap();
        let _second = connections.seat(greedy).unwrap();
        assert!(connections.seat(greedy).is_none());
        assert!(connections.seat("203.0.113.10".parse().unwrap()).is_some(), "another address is let in");
        drop(first);
        assert!(connections.seat(greedy).is_some());
    }

    #[test]
    fn an_ipv6_subscriber_is_one_address_however_many_it_uses() {
        let connections = PerAddress::new(Some(1));
        let _held = connections.seat("2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert!(connections.seat("2001:db8:1:2:ffff::9".parse().unwrap()).is_none());
        assert!(connections.seat("2001:db8:1:3::1".parse().unwrap()).is_some());
    }

    #[test]
    fn behind_a_load_balancer_there_is_no_share() {
        let connections = PerAddress::new(None);
        let balancer: IpAddr = "10.0.0.2".parse().unwrap();
        let seats: Vec<_> = (0..1000).map(|_| connections.seat(balancer).unwrap()).collect();
        assert_eq!(seats.len(), 1000);
    }
}
