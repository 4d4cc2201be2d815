//! Security headers on every response, and the error shape for bare error statuses.

use crate::error::{error_response, for_status};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{self, HeaderName, HeaderValue};

/// Scripts, styles and everything else only from our own origin; no inline script or style, no
/// framing, no plugins. The gate scanner's camera is allowed for our origin only, and its QR
/// decoder (ZXing-C++ as WebAssembly, from our origin) may be compiled: `'wasm-unsafe-eval'`
/// allows WebAssembly only, never JavaScript `eval`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
    worker-src 'self'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; \
    form-action 'self'; object-src 'none'; upgrade-insecure-requests";

/// Two years, subdomains included.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

const STATIC_HEADERS: [(HeaderName, &str); 8] = [
    (header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY),
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(self), geolocation=(), microphone=(), payment=(), usb=()",
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
];

pub(crate) async fn middleware(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        // A status from a layer or the router (limit, timeout, no route): give it the shape.
        let (code, message) = for_status(status);
        let mut shaped = error_response(status, code, message.to_owned(), None);
        if let Some(allow) = response.headers().get(header::ALLOW).cloned() {
            shaped.headers_mut().insert(header::ALLOW, allow);
        }
        response = shaped;
    }
    let headers = response.headers_mut();
    for (name, value) in STATIC_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // API responses are not stored unless the handler says otherwise (the public trust-bundle
    // key, a bundle's revalidation).
    if !headers.contains_key(header::CACHE_CONTROL) || (is_api && status.is_server_error()) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
