//! The web app's static files. Hashed assets (`/assets/…`) are cached for a year; everything
//! else revalidates. Unknown paths outside `/api` get the app's `index.html`, whose router shows
//! the page (or its own not-found page).

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use http::header::{CACHE_CONTROL, HeaderValue};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub(crate) fn router(web_dir: &Path) -> Router {
    if !web_dir.join("index.html").is_file() {
        tracing::warn!(dir = %web_dir.display(), "the web app is not built (run `make web`); only the API is served");
    }
    let assets = ServeDir::new(web_dir.join("assets"));
    let app = ServeDir::new(web_dir).fallback(ServeFile::new(web_dir.join("index.html")));
    Router::new()
        .nest_service("/assets", assets)
        .fallback_service(app)
        .layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let value = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}
