//! A token bucket per client IP for the unauthenticated endpoints (sign-in and its second factor,
//! sign-up, password reset, verification and invitation links): exceeding it is `429` with
//! `Retry-After`. Kept in memory, per
//! server; failed sign-ins per account are counted in PostgreSQL (see `attest_store::accounts`).

use crate::error::AppError;
use governor::clock::{Clock as _, DefaultClock};
use governor::{Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;

type Limiter =
    RateLimiter<IpAddr, governor::state::keyed::DefaultKeyedStateStore<IpAddr>, DefaultClock>;

#[derive(Debug)]
pub struct RateLimits {
    per_ip: Limiter,
    /// Anonymous requisition analyses: a bucket of their own, smaller (each costs CPU).
    analyses_per_ip: Limiter,
}

fn limiter(per_minute: u32, burst: u32) -> Limiter {
    let quota = Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN));
    RateLimiter::keyed(quota)
}

/// The bucket's key: an IPv4 address, or an IPv6 address's /64 (one host may hold a whole /64
/// and rotate through it).
fn bucket(ip: Option<IpAddr>) -> IpAddr {
    match ip {
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
            )),
        },
        Some(v4) => v4,
    }
}

fn take(limiter: &Limiter, ip: Option<IpAddr>) -> Result<(), AppError> {
    let ip = bucket(ip);
    limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_seconds: wait.as_secs().max(1),
        }
    })
}

impl RateLimits {
    /// `per_minute` requests per IP per minute, in bursts of up to `burst`; anonymous analyses
    /// 10 a minute in bursts of 5 (see `with_analyses`).
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_ip: limiter(per_minute, burst),
            analyses_per_ip: limiter(10, 5),
        }
    }

    /// Anonymous analyses: `per_minute` per IP, in bursts of up to `burst`.
    #[must_use]
    pub fn with_analyses(self, per_minute: u32, burst: u32) -> Self {
        Self {
            analyses_per_ip: limiter(per_minute, burst),
            ..self
        }
    }

    /// Takes a token for `ip`, or says how long to wait.
    pub(crate) fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        take(&self.per_ip, ip)
    }

    /// Takes an anonymous-analysis token for `ip`, or says how long to wait.
    pub(crate) fn check_analysis(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        take(&self.analyses_per_ip, ip)
    }

    /// Forgets idle buckets (call now and then, so memory stays bounded).
    pub fn shrink(&self) {
        for limiter in [&self.per_ip, &self.analyses_per_ip] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

impl Default for RateLimits {
    /// 30 requests a minute per IP, in bursts of up to 20 (a team behind one address signing in
    /// together in the morning).
    fn default() -> Self {
        Self::new(30, 20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_ip_waits_and_others_do_not() {
        let limits = RateLimits::new(6, 3);
        let a = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        let b = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
        for _ in 0..3 {
            assert!(limits.check(a).is_ok());
        }
        match limits.check(a) {
            Err(AppError::RateLimited {
                retry_after_seconds,
            }) => assert!((1..=10).contains(&retry_after_seconds)),
            other => panic!("expected a rate limit, got {other:?}"),
        }
        assert!(limits.check(b).is_ok(), "another IP has its own bucket");
    }

    #[test]
    fn an_ipv6_host_is_one_bucket_per_64() {
        let limits = RateLimits::new(6, 2);
        let addr = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(limits.check(addr("2001:db8:1:2::1")).is_ok());
        assert!(limits.check(addr("2001:db8:1:2:ffff::9")).is_ok());
        assert!(
            limits.check(addr("2001:db8:1:2:abcd::7")).is_err(),
            "same /64"
        );
        assert!(limits.check(addr("2001:db8:1:3::1")).is_ok(), "another /64");
        assert!(limits.check(addr("::ffff:192.0.2.7")).is_ok());
        assert!(limits.check(addr("192.0.2.7")).is_ok());
        assert!(
            limits.check(addr("192.0.2.7")).is_err(),
            "mapped and plain IPv4 share"
        );
    }
}

/// Put first among a handler's parameters to rate-limit it per client IP before anything else
/// (the body is not even read when the limit is reached).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateLimited;

fn client_ip(parts: &http::request::Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(addr)| addr.ip())
}

impl axum::extract::FromRequestParts<crate::state::AppState> for RateLimited {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        state.limits.check(client_ip(parts))?;
        Ok(Self)
    }
}

/// As [`RateLimited`], with the anonymous-analysis bucket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnalysisRateLimited;

impl axum::extract::FromRequestParts<crate::state::AppState> for AnalysisRateLimited {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        state.limits.check_analysis(client_ip(parts))?;
        Ok(Self)
    }
}
