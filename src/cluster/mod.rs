//! Cluster mode on Apache Ballista (feature `cluster`): docsql's own
//! [`scheduler`] and [`executor`] (Ballista's, with docsql's SQL functions
//! registered), a client session whose queries run on them ([`connect`]), and
//! a store build whose extraction runs on the executors ([`analyzer`]).
//!
//! Ballista has no authentication: anyone who reaches the scheduler's port
//! runs SQL that reads files as the executors' user. Both servers bind
//! loopback unless told otherwise.

pub mod analyzer;
pub mod executor;
pub mod scheduler;

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use ballista_core::extension::{SessionConfigExt, SessionStateExt};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

pub use analyzer::ClusterAnalyzer;

/// How long [`connect`] waits for the scheduler to accept a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// What can go wrong in cluster mode.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClusterError {
    /// A cluster address that is not `df://HOST:PORT` (or `HOST:PORT`).
    #[error("invalid cluster address {text:?} (expected df://HOST:PORT)")]
    BadAddress {
        /// The address given.
        text: String,
    },
    /// The scheduler did not accept a connection.
    #[error("cannot reach the scheduler at {address}: {reason} (is `docsql scheduler` running there?)")]
    Unreachable {
        /// `HOST:PORT`.
        address: String,
        /// Why, as the OS said it.
        reason: String,
    },
    /// A listener could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: String,
        /// The OS's error.
        #[source]
        source: std::io::Error,
    },
    /// An executor bound to all interfaces must be told what address to
    /// give the scheduler and clients.
    #[error(
        "--bind {bind} listens on all interfaces: give --advertise HOST, the address others reach this executor at"
    )]
    NeedsAdvertise {
        /// The bind address.
        bind: SocketAddr,
    },
    /// Ballista failed.
    #[error("ballista: {0}")]
    Ballista(#[from] ballista_core::error::BallistaError),
    /// DataFusion failed while setting up the session.
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
}

/// A scheduler's address, parsed from `df://HOST:PORT` or `HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterAddress {
    /// Host name or IP address.
    pub host: String,
    /// gRPC port of the scheduler.
    pub port: u16,
}

impl ClusterAddress {
    /// Parses `df://HOST:PORT` (the scheme may be left out; IPv6 hosts in
    /// brackets).
    pub fn parse(text: &str) -> Result<ClusterAddress, ClusterError> {
        let bad = || ClusterError::BadAddress { text: text.to_string() };
        let rest = text.trim().strip_prefix("df://").unwrap_or(text.trim()).trim_end_matches('/');
        let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        let port: u16 = port.parse().map_err(|_| bad())?;
        if host.is_empty() || port == 0 || host.contains('/') {
            return Err(bad());
        }
        Ok(ClusterAddress { host: host.to_string(), port })
    }

    /// `HOST:PORT` (IPv6 hosts in brackets).
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL Ballista's client takes.
    fn url(&self) -> String {
        format!("df://{}", self.host_port())
    }

    /// Fails within [`CONNECT_TIMEOUT`] unless something accepts connections
    /// at the address: Ballista's client would otherwise only fail at the first
    /// query, after retrying for a long while.
    pub fn check_reachable(&self) -> Result<(), ClusterError> {
        let unreachable = |reason: String| ClusterError::Unreachable { address: self.host_port(), reason };
        let addresses: Vec<SocketAddr> =
            self.host_port().to_socket_addrs().map_err(|e| unreachable(e.to_string()))?.collect();
        let mut last = String::from("no address found");
        for address in addresses {
            match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) {
                Ok(_) => return Ok(()),
                Err(err) => last = err.to_string(),
            }
        }
        Err(unreachable(last))
    }
}

/// Marks a session whose queries run on a cluster, so that statements which
/// would write files on the executors (`COPY`) are run by docsql instead.
#[derive(Debug, Clone)]
pub struct ClusterSession {
    /// The scheduler.
    pub address: ClusterAddress,
}

/// True when `ctx` was made by [`connect`].
pub fn is_cluster(ctx: &SessionContext) -> bool {
    ctx.state().config().get_extension::<ClusterSession>().is_some()
}

/// A session whose queries are planned here and run on the cluster whose
/// scheduler is at `address`, with docsql's functions and URL tables (files
/// named in queries are read by the executors, so give paths they can read).
/// Fails within seconds when the scheduler cannot be reached.
pub fn connect(address: &ClusterAddress, partitions: usize) -> Result<SessionContext, ClusterError> {
    address.check_reachable()?;
    let config = SessionConfig::new_with_ballista()
        .with_information_schema(true)
        .with_target_partitions(partitions.max(1))
        .with_extension(Arc::new(ClusterSession { address: address.clone() }));
    let state = SessionStateBuilder::new()
        .with_default_features()
        .with_config(config)
        .build()
        .upgrade_for_ballista(address.url())?;
    let ctx = SessionContext::new_with_state(state);
    // Upgrading replaces the scalar functions with Ballista's list: ours go after.
    crate::functions::register(&ctx);
    Ok(ctx.enable_url_table())
}

/// docsql's functions in a Ballista function registry (for executors).
fn function_registry() -> ballista_core::registry::BallistaFunctionRegistry {
    let mut registry = ballista_core::registry::BallistaFunctionRegistry::default();
    // Ballista's default registry lacks DataFusion's array functions, which
    // docsql's SQL surface has (`array_to_string(array_agg(…))`): without them
    // a plan using one fails to decode on the scheduler and executors.
    let nested = datafusion::functions_nested::all_default_nested_functions();
    for function in nested.into_iter().chain(crate::functions::all()) {
        registry.scalar_functions.insert(function.name().to_string(), function);
    }
    registry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_with_or_without_the_scheme() {
        let a = ClusterAddress::parse("df://10.0.0.5:50050").unwrap();
        assert_eq!(a, ClusterAddress { host: "10.0.0.5".into(), port: 50050 });
        assert_eq!(ClusterAddress::parse("localhost:7").unwrap().host_port(), "localhost:7");
        assert_eq!(ClusterAddress::parse("df://[::1]:9/").unwrap().host_port(), "[::1]:9");
        for bad in ["df://host", "df://:50050", "df://h:0", "df://h:99999", "http://h:1", ""] {
            assert!(matches!(ClusterAddress::parse(bad), Err(ClusterError::BadAddress { .. })), "{bad}");
        }
    }

    #[test]
    fn an_unreachable_scheduler_is_named_in_the_error() {
        // A port nothing listens on: bind one, then free it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = ClusterAddress { host: "127.0.0.1".into(), port };
        let Err(err) = connect(&address, 1) else { panic!("connected to a closed port") };
        assert!(matches!(err, ClusterError::Unreachable { .. }), "{err:?}");
        assert!(err.to_string().contains(&format!("127.0.0.1:{port}")), "{err}");
    }

    #[test]
    fn executors_know_every_docsql_function() {
        let registry = function_registry();
        for function in crate::functions::all() {
            assert!(registry.scalar_functions.contains_key(function.name()), "{}", function.name());
        }
        assert!(registry.scalar_functions.contains_key("lower"), "DataFusion's functions stay");
    }
}
