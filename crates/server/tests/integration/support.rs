//! `TestApp`: the application over fresh databases for both regions, driven in-process.

use attest_core::ManualClock;
use attest_crypto::{LocalKek, PasswordParams, TokenKeys};
use attest_server::{AppSettings, AppState, EngineSetting, PasswordPool, RateLimits, app};
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
    pub(crate) state: AppState,
    pub(crate) clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

/// The public URL of the test application (links in mail, same-origin checks).
pub(crate) const PUBLIC_URL: &str = "https://attest.test";
/// The client address of every in-process request.
pub(crate) const CLIENT_IP: [u8; 4] = [203, 0, 113, 10];

/// Parser workers as the server runs them, from this package's worker binary.
pub(crate) fn parsers() -> attest_server::Parsers {
    attest_server::Parsers::new(parser_setting())
}

/// The worker binary with the default limits.
pub(crate) fn parser_setting() -> attest_server::ParserSetting {
    attest_server::ParserSetting::new(env!("CARGO_BIN_EXE_attest-parse-worker").into(), Vec::new())
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
        Self::build_with(
            db,
            regions,
            RateLimits::new(10_000, 10_000),
            EngineSetting::InProcess,
        )
    }

    /// An application whose state `change` adjusts first (limits, settings).
    pub(crate) async fn customised(change: impl FnOnce(&mut AppState)) -> anyhow::Result<Self> {
        let db = attest_testkit::regions().await?;
        let regions = db.regions.clone();
        let mut built = Self::build_with(
            db,
            regions,
            RateLimits::new(10_000, 10_000),
            EngineSetting::InProcess,
        )?;
        change(&mut built.state);
        built.router = app(built.state.clone());
        Ok(built)
    }

    /// An application that calls the requisition engine at `engine`.
    pub(crate) async fn with_engine(engine: EngineSetting) -> anyhow::Result<Self> {
        let db = attest_testkit::regions().await?;
        let regions = db.regions.clone();
        Self::build_with(db, regions, RateLimits::new(10_000, 10_000), engine)
    }

    /// An application whose per-IP rate limit is `per_minute` in bursts of `burst`.
    pub(crate) async fn with_rate_limit(per_minute: u32, burst: u32) -> anyhow::Result<Self> {
        let db = attest_testkit::regions().await?;
        let regions = db.regions.clone();
        Self::build_with(
            db,
            regions,
            RateLimits::new(per_minute, burst),
            EngineSetting::InProcess,
        )
    }

    fn build_with(
        db: TestRegions,
        regions: attest_store::Regions,
        limits: RateLimits,
        engine: EngineSetting,
    ) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let web = dir.path().join("web");
        std::fs::create_dir_all(web.join("assets"))?;
        std::fs::write(
            web.join("index.html"),
            "<!doctype html><title>Attest</title><script type=\"module\" src=\"/assets/app.js\"></script>",
        )?;
        std::fs::write(web.join("assets/app.js"), "console.log('attest')")?;
        let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
        let clock = Arc::new(ManualClock::new(time::OffsetDateTime::now_utc()));
        // Tests run at the test process's own priority: many run at once on few cores.
        let cpu = attest_server::CpuPool::new(attest_server::CpuPoolSettings {
            threads: 2,
            nice: 0,
        })?;
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
                cpu.clone(),
            )?,
            cpu,
            parsers: parsers(),
            concurrency: attest_server::Concurrency::new(
                attest_server::ConcurrencyLimits::default(),
            ),
            tokens: Arc::new(TokenKeys::new("test-key", &[5; 32])),
            bundle_key: Arc::new(ed25519_dalek::SigningKey::from_bytes(&[6; 32])),
            clock: clock.clone(),
            limits: Arc::new(limits),
            mail_queued: Arc::new(tokio::sync::Notify::new()),
            live: attest_server::LiveUpdates::new(),
            settings: Arc::new(AppSettings {
                web_dir: web,
                public_url: PUBLIC_URL.to_owned(),
                engine,
                ..AppSettings::default()
            }),
        };
        state.live.listen(&state.regions);
        Ok(Self {
            router: app(state.clone()),
            db,
            state,
            clock,
            _dir: dir,
        })
    }

    pub(crate) async fn request(&self, mut request: Request<Body>) -> anyhow::Result<TestResponse> {
        let client = std::net::SocketAddr::from((CLIENT_IP, 50_000));
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(client));
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

    pub(crate) fn clock_now(&self) -> time::OffsetDateTime {
        attest_core::Clock::now(self.clock.as_ref())
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
