//! What the gateway's test binaries share: a gateway served in-process on a
//! free port, and reading the next text message of a socket.
#![allow(dead_code)] // each binary uses part of it

use std::time::Duration;

use futures_util::StreamExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

pub type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Gateway {
    pub addr: String,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Gateway {
    pub async fn start(redis_url: &str) -> Gateway {
        Self::start_with(redis_url, ws_gateway::AuthMode::Open).await
    }

    pub async fn start_with(redis_url: &str, auth: ws_gateway::AuthMode) -> Gateway {
        Self::start_with_origins(redis_url, auth, Vec::new()).await
    }

    pub async fn start_with_origins(
        redis_url: &str,
        auth: ws_gateway::AuthMode,
        allowed_origins: Vec<String>,
    ) -> Gateway {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let config = ws_gateway::Config {
            redis_url: redis_url.to_string(),
            addr: addr.clone(),
            ping_secs: 20,
            auth,
            allowed_origins,
        };
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(ws_gateway::serve(config, listener, shutdown.clone()));
        Gateway {
            addr,
            shutdown,
            task,
        }
    }

    pub async fn connect(&self, path: &str) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}{path}", self.addr))
            .await
            .unwrap();
        ws
    }

    pub async fn stop(self) {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("gateway stops")
            .unwrap()
            .unwrap();
    }
}

pub async fn next_text(ws: &mut Client) -> String {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message within 5 s")
            .expect("socket open")
            .expect("no error");
        match msg {
            Message::Text(t) => return t.to_string(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}
