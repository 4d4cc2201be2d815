//! The listeners: HTTPS (the application) and plain HTTP (a redirect to HTTPS, nothing else).

use crate::redirect;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use rustls::server::ServerConfig;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Bound listening sockets, ready to serve.
#[derive(Debug)]
pub struct Listeners {
    https: TcpListener,
    http: Option<TcpListener>,
    tls: Arc<ServerConfig>,
}

impl Listeners {
    /// Binds the HTTPS address and, if given, the HTTP (redirect) address. Port 0 picks a free
    /// port; see [`Listeners::https_addr`].
    pub async fn bind(
        https: SocketAddr,
        http: Option<SocketAddr>,
        tls: Arc<ServerConfig>,
    ) -> std::io::Result<Self> {
        let https = TcpListener::bind(https).await?;
        let http = match http {
            Some(addr) => Some(TcpListener::bind(addr).await?),
            None => None,
        };
        Ok(Self { https, http, tls })
    }

    pub fn https_addr(&self) -> std::io::Result<SocketAddr> {
        self.https.local_addr()
    }

    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` resolves, then stops accepting and gives open connections a few
    /// seconds to finish. Plain HTTP redirects to `public_url` (where users reach Attest).
    pub async fn serve(
        self,
        app: Router,
        public_url: &str,
        shutdown: impl Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let graceful = Arc::new(GracefulShutdown::new());
        let acceptor = TlsAcceptor::from(self.tls);
        let https = tokio::spawn(accept_loop(
            self.https,
            Some(acceptor),
            app,
            stopped.clone(),
            Arc::clone(&graceful),
        ));
        let http = self.http.map(|listener| {
            tokio::spawn(accept_loop(
                listener,
                None,
                redirect::router(public_url),
                stopped,
                Arc::clone(&graceful),
            ))
        });
        shutdown.await;
        let _ = stop.send(true);
        let _ = https.await;
        if let Some(http) = http {
            let _ = http.await;
        }
        if let Ok(graceful) = Arc::try_unwrap(graceful)
            && tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
                .await
                .is_err()
        {
            tracing::warn!("connections still open after the shutdown grace period; closing them");
        }
        Ok(())
    }
}

async fn accept_loop(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    mut stopped: watch::Receiver<bool>,
    graceful: Arc<GracefulShutdown>,
) {
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors and similar: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
        };
        let app = app.clone();
        let tls = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let service = TowerToHyperService::new(app.map_request(
                move |mut request: http::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(remote));
                    request
                },
            ));
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            match tls {
                Some(acceptor) => {
                    let stream =
                        match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                            Ok(Ok(stream)) => stream,
                            Ok(Err(error)) => {
                                tracing::debug!(%remote, %error, "TLS handshake refused");
                                return;
                            }
                            Err(_) => return,
                        };
                    let connection =
                        builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    let _ = watcher.watch(connection.into_owned()).await;
                }
                None => {
                    let connection = builder.serve_connection(TokioIo::new(tcp), service);
                    let _ = watcher.watch(connection.into_owned()).await;
                }
            }
        });
    }
}
