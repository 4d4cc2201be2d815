//! Authentication: who is calling ([`Principal`], from an access token), where from
//! ([`RequestMeta`]), the refresh cookie, and rate limits for unauthenticated endpoints.

pub(crate) mod attempts;
mod claims;
mod cookies;
pub(crate) mod flows;
mod meta;
mod principal;
mod rate_limit;
pub(crate) mod second_factor;
mod session;

pub(crate) use claims::{AccessClaims, EmailLinkClaims, MfaClaims};
pub(crate) use cookies::{
    RefreshCookie, check_same_origin, clear_hint_cookie, clear_refresh_cookie, hint_cookie,
    refresh_cookie,
};
pub use flows::Links;
pub(crate) use meta::RequestMeta;
pub use principal::Principal;
pub use rate_limit::RateLimits;
pub(crate) use rate_limit::{AnalysisRateLimited, RateLimited};
pub(crate) use session::{
    OrganisationBrief, SignedInBody, SignedInStatus, UserView, access_token, start_session,
};
