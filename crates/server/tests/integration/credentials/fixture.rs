//! An organisation with a person in every role that matters to credentials, two crews at two
//! sites, the starter credential types, and a manager of another organisation.

use crate::accounts::{Creds, Session};
use crate::support::{TestApp, TestResponse};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// A signed-in member: their session and user id.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) session: Session,
    pub(crate) id: Uuid,
}

pub(crate) struct Workforce {
    pub(crate) app: TestApp,
    /// The organisation's administrator (`people.manage`, `crews.manage`).
    pub(crate) admin: Member,
    pub(crate) manager: Member,
    pub(crate) auditor: Member,
    /// Supervises crew A (worker A) at site A.
    pub(crate) supervisor_a: Member,
    /// Supervises crew B (worker B) at site B.
    pub(crate) supervisor_b: Member,
    pub(crate) worker_a: Member,
    pub(crate) worker_b: Member,
    /// An HSE manager of another organisation.
    pub(crate) outsider: Member,
    pub(crate) site_a: Uuid,
    pub(crate) site_b: Uuid,
}

/// A minimal PDF, as evidence.
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

impl Workforce {
    pub(crate) async fn new() -> anyhow::Result<Self> {
        let app = TestApp::new().await?;
        let admin_creds = app.verified_org("acme", "na").await?;
        let admin = member(&app, &admin_creds).await?;
        let invite = |email: &'static str, role: &'static str| {
            let app = &app;
            let admin = admin.session.clone();
            async move {
                let creds = app.invited(&admin, "acme", email, role).await?;
                member(app, &creds).await
            }
        };
        let manager = invite("hana@acme.example", "hse_manager").await?;
        let auditor = invite("aisha@acme.example", "auditor").await?;
        let supervisor_a = invite("sam@acme.example", "supervisor").await?;
        let supervisor_b = invite("priya@acme.example", "supervisor").await?;
        let worker_a = invite("liam@acme.example", "worker").await?;
        let worker_b = invite("mia@acme.example", "worker").await?;
        let outsider_admin = app.verified_org("rival", "na").await?;
        let outsider_admin = member(&app, &outsider_admin).await?;
        let outsider = app
            .invited(
                &outsider_admin.session,
                "rival",
                "otto@rival.example",
                "hse_manager",
            )
            .await?;
        let outsider = member(&app, &outsider).await?;
        let org: Uuid =
            sqlx::query_scalar("select org_id from attest.organisations where slug = 'acme'")
                .fetch_one(&app.db.na.superuser)
                .await?;
        let (site_a, site_b, crew_a, crew_b) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let db = &app.db.na.superuser;
        for (site, name) in [(site_a, "Harbour Tower"), (site_b, "Eastside Depot")] {
            sqlx::query("insert into attest.sites (org_id, site_id, name) values ($1, $2, $3)")
                .bind(org)
                .bind(site)
                .bind(name)
                .execute(db)
                .await?;
        }
        for (crew, name, supervisor, site, worker) in [
            (crew_a, "Framing", supervisor_a.id, site_a, worker_a.id),
            (crew_b, "Electrical", supervisor_b.id, site_b, worker_b.id),
        ] {
            sqlx::query("insert into attest.crews (org_id, crew_id, name, supervisor_id, site_id) values ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(crew)
                .bind(name)
                .bind(supervisor)
                .bind(site)
                .execute(db)
                .await?;
            sqlx::query(
                "insert into attest.crew_members (org_id, crew_id, user_id) values ($1, $2, $3)",
            )
            .bind(org)
            .bind(crew)
            .bind(worker)
            .execute(db)
            .await?;
        }
        let w = Self {
            app,
            admin,
            manager,
            auditor,
            supervisor_a,
            supervisor_b,
            worker_a,
            worker_b,
            outsider,
            site_a,
            site_b,
        };
        let r = w
            .post(&w.manager, "/api/v1/credential-types/starter", json!({}))
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::OK,
            "adopting: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(w)
    }

    pub(crate) async fn get(&self, who: &Member, path: &str) -> anyhow::Result<TestResponse> {
        self.app
            .authed(Method::GET, path, &who.session.access_token, None)
            .await
    }

    pub(crate) async fn post(
        &self,
        who: &Member,
        path: &str,
        body: Value,
    ) -> anyhow::Result<TestResponse> {
        self.app
            .authed(Method::POST, path, &who.session.access_token, Some(body))
            .await
    }

    /// The id of the organisation's credential type with `code`.
    pub(crate) async fn type_id(&self, code: &str) -> anyhow::Result<Uuid> {
        let r = self.get(&self.manager, "/api/v1/credential-types").await?;
        let types = r.json();
        let id = types
            .as_array()
            .and_then(|a| a.iter().find(|t| t["code"] == code))
            .and_then(|t| t["type_id"].as_str())
            .ok_or_else(|| anyhow::anyhow!("no type {code}"))?;
        Ok(id.parse()?)
    }

    /// Uploads `bytes` as evidence for `worker`; returns the evidence id.
    pub(crate) async fn upload(&self, worker: Uuid, bytes: &[u8]) -> anyhow::Result<Uuid> {
        let r = self.upload_as(&self.manager, worker, bytes).await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "upload: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(r.json()["evidence_id"]
            .as_str()
            .unwrap_or_default()
            .parse()?)
    }

    pub(crate) async fn upload_as(
        &self,
        who: &Member,
        worker: Uuid,
        bytes: &[u8],
    ) -> anyhow::Result<TestResponse> {
        let request = http::Request::post(format!("/api/v1/workers/{worker}/evidence"))
            .header(
                "authorization",
                format!("Bearer {}", who.session.access_token),
            )
            .header("content-type", "application/octet-stream")
            .body(axum::body::Body::from(bytes.to_vec()))?;
        self.app.request(request).await
    }

    /// Records a credential of `code` for `worker` as the manager; returns its id.
    pub(crate) async fn add_credential(
        &self,
        worker: Uuid,
        code: &str,
        body: Value,
    ) -> anyhow::Result<Uuid> {
        let mut body = body;
        body["type_id"] = json!(self.type_id(code).await?);
        let r = self
            .post(
                &self.manager,
                &format!("/api/v1/workers/{worker}/credentials"),
                body,
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "add: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(r.json()["credential_id"]
            .as_str()
            .unwrap_or_default()
            .parse()?)
    }
}

/// Signs `creds` in and reads their user id.
pub(crate) async fn member(app: &TestApp, creds: &Creds) -> anyhow::Result<Member> {
    let session = app.session(creds).await?;
    let me = app
        .authed(Method::GET, "/api/v1/me", &session.access_token, None)
        .await?;
    let id = me.json()["user_id"].as_str().unwrap_or_default().parse()?;
    Ok(Member { session, id })
}
