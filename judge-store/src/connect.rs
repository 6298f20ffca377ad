//! Where Redis is: one server (`redis://host:port`), or a primary found
//! through Redis Sentinel (`redis+sentinel://s1:26379,s2:26379/master-name`).
//!
//! Every service keeps one `REDIS_URL` string in its configuration; with
//! Sentinel it names the sentinels and the master instead of a server, and
//! every connection asks the sentinels which server is the primary *when it
//! is made*. That is how a service follows a failover by itself: the old
//! primary's connections fail, pooled ones are dropped at their next
//! recycle, dedicated ones (blocking reads, pub/sub) are reopened by their
//! loops, and each new connection lands on the promoted replica.
//! `REDIS_SENTINELS` and `REDIS_MASTER_NAME` build such a URL
//! ([`url_from_env`]), so a deployment sets them beside (or instead of)
//! `REDIS_URL`.

use std::time::Duration;

use redis::aio::{ConnectionLike, MultiplexedConnection};

/// The URL scheme of a Sentinel deployment.
pub const SENTINEL_SCHEME: &str = "redis+sentinel://";
/// The master name when `REDIS_MASTER_NAME` is unset.
pub const DEFAULT_MASTER_NAME: &str = "judge";
/// How long one connection attempt (to a sentinel or a server) may take, so
/// that a dead primary fails fast instead of hanging a reconnect loop.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// A parsed `REDIS_URL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Server(String),
    Sentinel {
        /// `redis://host:port` of each sentinel.
        sentinels: Vec<String>,
        master: String,
    },
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let Some(rest) = url.strip_prefix(SENTINEL_SCHEME) else {
            return Ok(Target::Server(url.to_string()));
        };
        let (hosts, master) = rest.split_once('/').unwrap_or((rest, DEFAULT_MASTER_NAME));
        let master = if master.trim().is_empty() {
            DEFAULT_MASTER_NAME
        } else {
            master.trim()
        };
        let sentinels: Vec<String> = hosts
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| format!("redis://{h}"))
            .collect();
        if sentinels.is_empty() {
            return Err(format!("{url}: no sentinel named"));
        }
        Ok(Target::Sentinel {
            sentinels,
            master: master.to_string(),
        })
    }

    /// The address of the server to connect to now: the URL itself, or the
    /// primary the sentinels name (checked with `ROLE` by redis-rs).
    pub async fn client(&self) -> redis::RedisResult<redis::Client> {
        match self {
            Target::Server(url) => redis::Client::open(url.as_str()),
            Target::Sentinel { sentinels, master } => {
                let mut sentinel = redis::sentinel::Sentinel::build(sentinels.clone())?;
                tokio::time::timeout(CONNECT_TIMEOUT * 3, sentinel.async_master_for(master, None))
                    .await
                    .map_err(|_| timeout_error("asking the sentinels for the primary"))?
            }
        }
    }
}

/// `url`, unless `REDIS_SENTINELS` (comma-separated `host:port`) is set: then
/// the Sentinel URL of those sentinels and `REDIS_MASTER_NAME` (default
/// [`DEFAULT_MASTER_NAME`]). Read by the services' `main`s only.
pub fn url_from_env(url: String) -> String {
    match std::env::var("REDIS_SENTINELS") {
        Ok(sentinels) if !sentinels.trim().is_empty() => {
            let master = std::env::var("REDIS_MASTER_NAME")
                .ok()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_MASTER_NAME.to_string());
            format!("{SENTINEL_SCHEME}{}/{}", sentinels.trim(), master.trim())
        }
        _ => url,
    }
}

/// A connection pool to a server, or to whichever server is the primary.
#[derive(Clone)]
pub enum Pool {
    Server(deadpool_redis::Pool),
    Sentinel(deadpool_redis::sentinel::Pool),
}

/// A pooled connection (back to the pool when dropped). Pooled connections
/// keep redis' 500 ms reply timeout: short commands only.
pub enum Connection {
    Server(deadpool_redis::Connection),
    Sentinel(deadpool_redis::sentinel::Connection),
}

impl Pool {
    pub fn new(url: &str, max_size: usize) -> Result<Pool, String> {
        let pool_config = deadpool_redis::PoolConfig::new(max_size);
        match Target::parse(url)? {
            Target::Server(url) => {
                let mut config = deadpool_redis::Config::from_url(url.as_str());
                config.pool = Some(pool_config);
                config
                    .create_pool(Some(deadpool_redis::Runtime::Tokio1))
                    .map(Pool::Server)
                    .map_err(|e| format!("redis pool for {url}: {e}"))
            }
            Target::Sentinel { sentinels, master } => {
                let mut config = deadpool_redis::sentinel::Config::from_urls(
                    sentinels,
                    master.clone(),
                    deadpool_redis::sentinel::SentinelServerType::Master,
                );
                config.pool = Some(pool_config);
                config
                    .create_pool(Some(deadpool_redis::sentinel::Runtime::Tokio1))
                    .map(Pool::Sentinel)
                    .map_err(|e| format!("redis sentinel pool for {master}: {e}"))
            }
        }
    }

    pub async fn get(&self) -> Result<Connection, deadpool_redis::PoolError> {
        match self {
            Pool::Server(pool) => pool.get().await.map(Connection::Server),
            Pool::Sentinel(pool) => pool.get().await.map(Connection::Sentinel),
        }
    }
}

impl Connection {
    /// The underlying connection, e.g. to lengthen its reply timeout for one
    /// slow command (`WAIT`).
    pub fn multiplexed(&mut self) -> &mut MultiplexedConnection {
        match self {
            Connection::Server(c) => c,
            Connection::Sentinel(c) => c,
        }
    }
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(
        &'a mut self,
        cmd: &'a redis::Cmd,
    ) -> redis::RedisFuture<'a, redis::Value> {
        match self {
            Connection::Server(c) => c.req_packed_command(cmd),
            Connection::Sentinel(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<redis::Value>> {
        match self {
            Connection::Server(c) => c.req_packed_commands(cmd, offset, count),
            Connection::Sentinel(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Server(c) => c.get_db(),
            Connection::Sentinel(c) => c.get_db(),
        }
    }
}

/// A connection of its own with no reply timeout, to the server or the
/// current primary, for blocking reads and large values.
pub async fn dedicated(url: &str) -> redis::RedisResult<MultiplexedConnection> {
    let target = Target::parse(url).map_err(|e| {
        redis::RedisError::from((redis::ErrorKind::InvalidClientConfig, "bad REDIS_URL", e))
    })?;
    let config = redis::AsyncConnectionConfig::new()
        .set_response_timeout(None)
        .set_connection_timeout(Some(CONNECT_TIMEOUT));
    target
        .client()
        .await?
        .get_multiplexed_async_connection_with_config(&config)
        .await
}

/// A client for the server or the current primary, for pub/sub: resolve it
/// again at each reconnection, the primary may have changed.
pub async fn client(url: &str) -> redis::RedisResult<redis::Client> {
    Target::parse(url)
        .map_err(|e| {
            redis::RedisError::from((redis::ErrorKind::InvalidClientConfig, "bad REDIS_URL", e))
        })?
        .client()
        .await
}

/// How many replicas the primary has connected now (`INFO replication`).
pub async fn connected_replicas<C: ConnectionLike + Send>(conn: &mut C) -> redis::RedisResult<u64> {
    let info: String = redis::cmd("INFO")
        .arg("replication")
        .query_async(conn)
        .await?;
    Ok(info
        .lines()
        .find_map(|l| l.strip_prefix("connected_slaves:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0))
}

fn timeout_error(what: &str) -> redis::RedisError {
    redis::RedisError::from((redis::ErrorKind::Io, "timed out", what.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinel_urls_name_the_sentinels_and_the_master() {
        assert_eq!(
            Target::parse("redis://10.0.0.1:6379/0").unwrap(),
            Target::Server("redis://10.0.0.1:6379/0".into())
        );
        assert_eq!(
            Target::parse("redis+sentinel://a:26379, b:26380/mymaster").unwrap(),
            Target::Sentinel {
                sentinels: vec!["redis://a:26379".into(), "redis://b:26380".into()],
                master: "mymaster".into()
            }
        );
        assert_eq!(
            Target::parse("redis+sentinel://a:26379").unwrap(),
            Target::Sentinel {
                sentinels: vec!["redis://a:26379".into()],
                master: DEFAULT_MASTER_NAME.into()
            }
        );
        assert!(Target::parse("redis+sentinel:///x").is_err());
    }
}
