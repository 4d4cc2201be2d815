//! `TestApp`: the application over fresh databases for both regions, driven in-process.

use attest_crypto::{LocalKek, PasswordParams};
use attest_server::{AppSettings, AppState, PasswordPool, app};
use attest_testkit::TestRegions;
use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt as _;
use std::sync::Arc;
use tower::ServiceExt as _;

pub(crate) struct TestApp {
    pub(crate) router: Router,
    pub(crate) db: TestRegions,
    _dir: tempfile::TempDir,
}

pub(crate) struct TestResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl TestResponse {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "expected JSON, got {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the error shape and returns the code.
    pub(crate) fn error_code(&self) -> String {
        let body = self.json();
        let code = body["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no code in {body}"));
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "no message in {body}"
        );
        assert_eq!(
            body["request_id"].as_str(),
            Some(self.header("x-request-id")),
            "request_id in body and header"
        );
        code.to_owned()
    }
}

impl TestApp {
    pub(crate) async fn new() -> anyhow::Result<Self> {
        Self::with_db(attest_testkit::regions().await?).await
    }

    pub(crate) async fn with_db(db: TestRegions) -> anyhow::Result<Self> {
        Self::build(db.clone(), db.regions.clone())
    }

    /// An application whose server only has the primary region configured.
    pub(crate) async fn primary_only() -> anyhow::Result<Self> {
        let db = attest_testkit::regions().await?;
        let only_na = attest_store::Regions::from_pools(
            [(attest_core::Region::Na, db.na.app.clone())].into(),
        )?;
        Self::build(db, only_na)
    }

    fn build(db: TestRegions, regions: attest_store::Regions) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let web = dir.path().join("web");
        std::fs::create_dir_all(web.join("assets"))?;
        std::fs::write(
            web.join("index.html"),
            "<!doctype html><title>Attest</title><script type=\"module\" src=\"/assets/app.js\"></script>",
        )?;
        std::fs::write(web.join("assets/app.js"), "console.log('attest')")?;
        let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
        let state = AppState {
            regions,
            kek: Arc::new(kek),
            passwords: PasswordPool::new(
                PasswordParams {
                    memory_kib: 1024,
                    iterations: 1,
                    parallelism: 1,
                },
                2,
            )?,
            settings: Arc::new(AppSettings {
                web_dir: web,
                ..AppSettings::default()
            }),
        };
        Ok(Self {
            router: app(state),
            db,
            _dir: dir,
        })
    }

    pub(crate) async fn request(&self, request: Request<Body>) -> anyhow::Result<TestResponse> {
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await?.to_bytes().to_vec();
        Ok(TestResponse {
            status,
            headers,
            body,
        })
    }

    pub(crate) async fn get(&self, path: &str) -> anyhow::Result<TestResponse> {
        self.request(Request::get(path).body(Body::empty())?).await
    }

    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<TestResponse> {
        self.send(
            Method::POST,
            path,
            "application/json",
            body.to_string().into_bytes(),
        )
        .await
    }

    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> anyhow::Result<TestResponse> {
        self.request(
            Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", content_type)
                .body(Body::from(body))?,
        )
        .await
    }

    /// Rows in every table that could hold an organisation, in both regions, plus the directory.
    pub(crate) async fn stored_rows(&self) -> anyhow::Result<i64> {
        let mut total = 0;
        for db in [&self.db.na, &self.db.ca] {
            for table in [
                "attest.organisations",
                "attest.users",
                "attest.memberships",
                "attest.roles",
                "attest.password_credentials",
                "directory.organisations",
            ] {
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "select count(*) from {table}"
                )))
                .fetch_one(&db.superuser)
                .await?;
                total += n;
            }
        }
        Ok(total)
    }
}

/// A valid sign-up body.
pub(crate) fn new_org(slug: &str, region: &str) -> serde_json::Value {
    serde_json::json!({
        "slug": slug,
        "name": "Acme Construction",
        "region": region,
        "admin": { "email": "ada@acme.example", "name": "Ada Lovelace", "password": "correct horse battery staple" }
    })
}
