//! An organisation with two requisition authors, a compliance reviewer, an auditor and an HSE
//! manager (who has nothing to do with requisitions), and a compliance reviewer of another
//! organisation.

pub(crate) use crate::credentials::fixture::{Member, member};
use crate::support::{TestApp, TestResponse};
use http::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) struct Team {
    pub(crate) app: TestApp,
    pub(crate) author_a: Member,
    pub(crate) author_b: Member,
    pub(crate) reviewer: Member,
    pub(crate) auditor: Member,
    pub(crate) manager: Member,
    /// A compliance reviewer of another organisation.
    pub(crate) outsider: Member,
}

/// A requisition with several concerns (California, 50 employees, no pay scale).
pub(crate) const POSTING: &str = "Warehouse Associate\n\
We are hiring a warehouse associate in Fresno. Recent college graduates preferred.\n\
Applicants must be U.S. citizens. No felons.\n\
Native English speaker required.\n\
Salary: competitive.\n";

pub(crate) fn posting_fields() -> Value {
    json!({"work_state": "CA", "employees_total": 50})
}

impl Team {
    pub(crate) async fn new() -> anyhow::Result<Self> {
        Self::on(TestApp::new().await?).await
    }

    /// The team on `app`.
    pub(crate) async fn on(app: TestApp) -> anyhow::Result<Self> {
        let admin = app.verified_org("acme", "na").await?;
        let admin = app.session(&admin).await?;
        let mut members = Vec::new();
        for (email, role) in [
            ("ana@acme.example", "requisition_author"),
            ("ben@acme.example", "requisition_author"),
            ("rosa@acme.example", "compliance_reviewer"),
            ("aisha@acme.example", "auditor"),
            ("hana@acme.example", "hse_manager"),
        ] {
            let creds = app.invited(&admin, "acme", email, role).await?;
            members.push(member(&app, &creds).await?);
        }
        let rival = app.verified_org("rival", "na").await?;
        let rival = app.session(&rival).await?;
        let outsider = app
            .invited(&rival, "rival", "otto@rival.example", "compliance_reviewer")
            .await?;
        let outsider = member(&app, &outsider).await?;
        let [author_a, author_b, reviewer, auditor, manager]: [Member; 5] = members
            .try_into()
            .map_err(|_| anyhow::anyhow!("five members"))?;
        Ok(Self {
            app,
            author_a,
            author_b,
            reviewer,
            auditor,
            manager,
            outsider,
        })
    }

    pub(crate) async fn call(
        &self,
        who: &Member,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<TestResponse> {
        self.app
            .authed(method, path, &who.session.access_token, body)
            .await
    }

    /// Submits `text` as `who`; returns the requisition.
    pub(crate) async fn submit(
        &self,
        who: &Member,
        title: &str,
        text: &str,
        fields: Value,
    ) -> anyhow::Result<Value> {
        let r = self
            .call(
                who,
                Method::POST,
                "/api/v1/requisitions",
                Some(json!({"title": title, "text": text, "fields": fields})),
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "submit: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(r.json())
    }

    /// Uploads a file as `who` with `query` (title, fields…).
    pub(crate) async fn upload(
        &self,
        who: &Member,
        query: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<TestResponse> {
        let request = http::Request::post(format!("/api/v1/requisitions/upload?{query}"))
            .header(
                "authorization",
                format!("Bearer {}", who.session.access_token),
            )
            .header("content-type", "application/octet-stream")
            .body(axum::body::Body::from(bytes))?;
        self.app.request(request).await
    }

    /// How many requisitions (and versions) organisation `acme` has stored.
    pub(crate) async fn stored(&self) -> anyhow::Result<(i64, i64)> {
        let db = &self.app.db.na.superuser;
        let requisitions = sqlx::query_scalar(
            "select count(*) from attest.requisitions r join attest.organisations o using (org_id) where o.slug = 'acme'",
        )
        .fetch_one(db)
        .await?;
        let versions = sqlx::query_scalar(
            "select count(*) from attest.requisition_versions r join attest.organisations o using (org_id) where o.slug = 'acme'",
        )
        .fetch_one(db)
        .await?;
        Ok((requisitions, versions))
    }
}

/// The finding of `rule` in a requisition's answer.
pub(crate) fn finding<'a>(requisition: &'a Value, rule: &str) -> &'a Value {
    requisition["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule_id"] == rule))
        .unwrap_or_else(|| panic!("no {rule} finding in {requisition}"))
}

/// Every finding's span cuts exactly its excerpt out of the text (character offsets).
pub(crate) fn assert_spans_match(requisition: &Value) {
    let text: Vec<char> = requisition["text"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .collect();
    for f in requisition["findings"].as_array().into_iter().flatten() {
        let (start, end) = (
            usize::try_from(f["start"].as_i64().unwrap_or(-1)).unwrap_or(usize::MAX),
            usize::try_from(f["end"].as_i64().unwrap_or(-1)).unwrap_or(usize::MAX),
        );
        assert!(start <= end && end <= text.len(), "span of {f}");
        let cut: String = text[start..end].iter().collect();
        assert_eq!(
            cut,
            f["excerpt"].as_str().unwrap_or_default(),
            "excerpt of {f}"
        );
    }
}
