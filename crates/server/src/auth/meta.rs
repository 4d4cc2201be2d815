use crate::request_id;
use attest_store::audit::Origin;
use axum::extract::{ConnectInfo, FromRequestParts};
use http::header::USER_AGENT;
use http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// Where a request came from, for rate limits and audit events.
#[derive(Debug, Clone)]
pub(crate) struct RequestMeta {
    pub(crate) ip: Option<IpAddr>,
    pub(crate) user_agent: Option<String>,
    pub(crate) request_id: String,
}

impl RequestMeta {
    pub(crate) fn origin(&self) -> Origin {
        Origin {
            source_ip: self.ip,
            user_agent: self.user_agent.clone(),
            request_id: Some(self.request_id.clone()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect());
        Ok(Self {
            ip,
            user_agent,
            request_id: request_id::current(),
        })
    }
}
