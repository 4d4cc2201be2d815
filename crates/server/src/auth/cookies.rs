//! The refresh-token cookie: `__Host-attest_refresh`, HttpOnly, Secure, SameSite=Strict, Path=/.
//! Its value names the region, organisation and user (so the server knows where to look) and
//! carries the 256-bit secret, of which only a hash is stored.

use crate::error::AppError;
use attest_core::{OrgId, Region, UserId};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::header::{COOKIE, HOST, ORIGIN};
use http::{HeaderMap, HeaderValue, StatusCode};
use uuid::Uuid;

pub(crate) const REFRESH_COOKIE: &str = "__Host-attest_refresh";
/// A readable companion of the refresh cookie holding no secret ("1"): it only tells the web app
/// that a session may exist, so that a page load does not probe the refresh endpoint in vain.
pub(crate) const HINT_COOKIE: &str = "__Host-attest_session";

/// A parsed refresh cookie.
#[derive(Debug, Clone)]
pub(crate) struct RefreshCookie {
    pub(crate) region: Region,
    pub(crate) org_id: OrgId,
    pub(crate) user_id: UserId,
    pub(crate) secret: [u8; 32],
}

impl RefreshCookie {
    pub(crate) fn hash(&self) -> [u8; 32] {
        attest_crypto::sha256(&self.secret)
    }

    pub(crate) fn value(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.region.code(),
            self.org_id,
            self.user_id,
            URL_SAFE_NO_PAD.encode(self.secret)
        )
    }

    /// The refresh cookie of the request, if it is well formed.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let raw = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| cookie::Cookie::split_parse(v.to_owned()))
            .filter_map(Result::ok)
            .find(|c| c.name() == REFRESH_COOKIE)?;
        let mut parts = raw.value().split('.');
        let region = parts.next()?.parse().ok()?;
        let org_id = OrgId::from_uuid(parts.next()?.parse::<Uuid>().ok()?);
        let user_id = UserId::from_uuid(parts.next()?.parse::<Uuid>().ok()?);
        let secret: [u8; 32] = URL_SAFE_NO_PAD
            .decode(parts.next()?)
            .ok()?
            .try_into()
            .ok()?;
        parts.next().is_none().then_some(Self {
            region,
            org_id,
            user_id,
            secret,
        })
    }
}

/// `Set-Cookie` for a refresh token that lives `max_age`.
pub(crate) fn refresh_cookie(cookie: &RefreshCookie, max_age: time::Duration) -> HeaderValue {
    let value = format!(
        "{REFRESH_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={}",
        cookie.value(),
        max_age.whole_seconds().max(0)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| clear_refresh_cookie())
}

/// `Set-Cookie` that removes the refresh cookie.
pub(crate) fn clear_refresh_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-attest_refresh=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// `Set-Cookie` for the session hint (no secret, readable by the web app).
pub(crate) fn hint_cookie(max_age: time::Duration) -> HeaderValue {
    let value = format!(
        "{HINT_COOKIE}=1; Path=/; Secure; SameSite=Strict; Max-Age={}",
        max_age.whole_seconds().max(0)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| clear_hint_cookie())
}

/// `Set-Cookie` that removes the session hint.
pub(crate) fn clear_hint_cookie() -> HeaderValue {
    HeaderValue::from_static("__Host-attest_session=; Path=/; Secure; SameSite=Strict; Max-Age=0")
}

/// The cookie endpoints answer only our own pages: the browser's `Origin` must be ours (the
/// request's own host, or the configured public URL), or, without `Origin`, `Sec-Fetch-Site`
/// must say `same-origin`. A request with neither is refused.
pub(crate) fn check_same_origin(headers: &HeaderMap, public_url: &str) -> Result<(), AppError> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let allowed = match header(ORIGIN.as_str()) {
        Some(origin) => {
            let own = header(HOST.as_str()).map(|host| format!("https://{host}"));
            origin == public_origin(public_url) || own.as_deref() == Some(origin)
        }
        None => header("sec-fetch-site") == Some("same-origin"),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::client(
            StatusCode::FORBIDDEN,
            "cross_origin",
            "This request must come from Attest's own pages.",
        ))
    }
}

/// `https://host[:port]` of a URL.
fn public_origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_cookie_round_trips_and_is_host_locked_http_only_and_strict() {
        let cookie = RefreshCookie {
            region: Region::Ca,
            org_id: OrgId::new(),
            user_id: UserId::new(),
            secret: [9; 32],
        };
        let set = refresh_cookie(&cookie, time::Duration::hours(12));
        let set = set.to_str().unwrap();
        assert!(set.starts_with("__Host-attest_refresh="));
        for flag in [
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=43200",
        ] {
            assert!(set.contains(flag), "{set}");
        }
        assert!(!set.contains("Domain="), "a __Host- cookie has no Domain");
        let value = set.split(';').next().unwrap();
        let parsed =
            RefreshCookie::from_headers(&headers(&[("cookie", &format!("theme=dark; {value}"))]))
                .unwrap();
        assert_eq!(
            (parsed.region, parsed.org_id, parsed.user_id, parsed.secret),
            (cookie.region, cookie.org_id, cookie.user_id, cookie.secret)
        );
    }

    #[test]
    fn malformed_cookies_are_ignored() {
        for value in [
            "",
            "na",
            "na.x.y.z",
            "xx.00000000-0000-0000-0000-000000000000.00000000-0000-0000-0000-000000000000.AAAA",
        ] {
            assert!(
                RefreshCookie::from_headers(&headers(&[(
                    "cookie",
                    &format!("__Host-attest_refresh={value}")
                )]))
                .is_none()
            );
        }
    }

    #[test]
    fn only_our_own_origin_may_use_the_cookie_endpoints() {
        let public = "https://attest.example.com";
        assert!(
            check_same_origin(
                &headers(&[("origin", "https://attest.example.com")]),
                public
            )
            .is_ok()
        );
        assert!(
            check_same_origin(
                &headers(&[
                    ("origin", "https://localhost:8443"),
                    ("host", "localhost:8443")
                ]),
                public
            )
            .is_ok()
        );
        assert!(check_same_origin(&headers(&[("sec-fetch-site", "same-origin")]), public).is_ok());
        assert!(
            check_same_origin(&headers(&[("origin", "https://evil.example")]), public).is_err()
        );
        assert!(
            check_same_origin(
                &headers(&[
                    ("origin", "http://localhost:8443"),
                    ("host", "localhost:8443")
                ]),
                public
            )
            .is_err()
        );
        assert!(check_same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public).is_err());
        assert!(check_same_origin(&headers(&[]), public).is_err());
    }
}
