//! Helpers for the account tests: signing up through the API, reading queued mail, following
//! links, signing in, using the refresh cookie.

use crate::support::{PUBLIC_URL, TestApp, TestResponse};
use axum::body::Body;
use http::{Method, Request, StatusCode};
use serde_json::{Value, json};

/// An account's credentials.
#[derive(Debug, Clone)]
pub(crate) struct Creds {
    pub(crate) organisation: String,
    pub(crate) email: String,
    pub(crate) password: String,
}

/// A signed-in session: the access token and the refresh cookie (`name=value`).
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) access_token: String,
    pub(crate) cookie: String,
}

pub(crate) const PASSWORD: &str = "aurora over the rig floor";

/// The `name=value` of the refresh cookie a response sets, if any.
pub(crate) fn refresh_cookie(r: &TestResponse) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-attest_refresh="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// The token of the first link in a mail body (`…#token=XYZ`).
pub(crate) fn link_token(body: &str) -> String {
    body.lines()
        .find_map(|l| l.trim().split_once("#token=").map(|(_, t)| t.to_owned()))
        .unwrap_or_else(|| panic!("no link in {body}"))
}

impl TestApp {
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<TestResponse> {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))?,
            None => builder.body(Body::empty())?,
        };
        self.request(request).await
    }

    /// A request with an access token.
    pub(crate) async fn authed(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<TestResponse> {
        let bearer = format!("Bearer {token}");
        self.call(method, path, body, &[("authorization", &bearer)])
            .await
    }

    /// A request from our own pages carrying a cookie.
    pub(crate) async fn with_cookie(
        &self,
        path: &str,
        cookie: &str,
    ) -> anyhow::Result<TestResponse> {
        self.call(
            Method::POST,
            path,
            None,
            &[("cookie", cookie), ("origin", PUBLIC_URL)],
        )
        .await
    }

    /// The newest queued mail to `to`: (subject, body).
    pub(crate) async fn last_mail(&self, to: &str) -> anyhow::Result<(String, String)> {
        for db in [&self.db.na, &self.db.ca] {
            let found: Option<(String, String)> = sqlx::query_as(
                "select subject, body from attest.outbox where to_address = $1 order by created_at desc, message_id desc limit 1",
            )
            .bind(to)
            .fetch_optional(&db.superuser)
            .await?;
            if let Some(mail) = found {
                return Ok(mail);
            }
        }
        anyhow::bail!("no mail to {to}")
    }

    /// The newest mail to `to` once there are `n` of them: for mail queued after the answer
    /// (a reset link, a new verification link). Waits up to five seconds.
    pub(crate) async fn nth_mail(&self, to: &str, n: usize) -> anyhow::Result<(String, String)> {
        for _ in 0..250 {
            if self.mail_kinds(to).await?.len() >= n {
                return self.last_mail(to).await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        anyhow::bail!("no mail number {n} to {to}")
    }

    /// Waits (up to five seconds) until an `action` event exists: for work done after the
    /// answer.
    pub(crate) async fn await_event(&self, action: &str) -> anyhow::Result<()> {
        for _ in 0..250 {
            let n: i64 = sqlx::query_scalar("select count(*) from audit.events where action = $1")
                .bind(action)
                .fetch_one(&self.db.na.superuser)
                .await?;
            if n > 0 {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        anyhow::bail!("no {action} event")
    }

    /// Every queued mail kind to `to`, oldest first.
    pub(crate) async fn mail_kinds(&self, to: &str) -> anyhow::Result<Vec<String>> {
        let mut kinds = Vec::new();
        for db in [&self.db.na, &self.db.ca] {
            let found: Vec<String> = sqlx::query_scalar("select kind from attest.outbox where to_address = $1 order by created_at, message_id")
                .bind(to)
                .fetch_all(&db.superuser)
                .await?;
            kinds.extend(found);
        }
        Ok(kinds)
    }

    /// Signs up an organisation through the API and follows the verification link.
    pub(crate) async fn verified_org(&self, slug: &str, region: &str) -> anyhow::Result<Creds> {
        let email = format!("admin@{slug}.example");
        let r = self
            .post_json(
                "/api/v1/organisations",
                &json!({"slug": slug, "name": format!("{slug} Ltd"), "region": region, "admin": {"email": email, "name": "Ada Admin", "password": PASSWORD}}),
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "sign-up failed: {}",
            String::from_utf8_lossy(&r.body)
        );
        let (_, body) = self.last_mail(&email).await?;
        let r = self
            .post_json(
                "/api/v1/auth/verify-email",
                &json!({ "token": link_token(&body) }),
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::OK,
            "verification failed: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(Creds {
            organisation: slug.to_owned(),
            email,
            password: PASSWORD.to_owned(),
        })
    }

    pub(crate) async fn sign_in(&self, creds: &Creds) -> anyhow::Result<TestResponse> {
        self.post_json(
            "/api/v1/auth/sign-in",
            &json!({"organisation": creds.organisation, "email": creds.email, "password": creds.password}),
        )
        .await
    }

    /// Signs in (no second factor expected) and returns the session.
    pub(crate) async fn session(&self, creds: &Creds) -> anyhow::Result<Session> {
        let r = self.sign_in(creds).await?;
        anyhow::ensure!(
            r.status == StatusCode::OK && r.json()["status"] == "signed_in",
            "sign-in failed: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(Session {
            access_token: r.json()["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            cookie: refresh_cookie(&r).ok_or_else(|| anyhow::anyhow!("no refresh cookie"))?,
        })
    }

    /// Invites `email` with `role` as `admin`, and accepts the invitation with the standard password.
    pub(crate) async fn invited(
        &self,
        admin: &Session,
        organisation: &str,
        email: &str,
        role: &str,
    ) -> anyhow::Result<Creds> {
        let r = self
            .authed(
                Method::POST,
                "/api/v1/members",
                &admin.access_token,
                Some(json!({"email": email, "name": "Ivy Invitee", "role": role})),
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "invitation failed: {}",
            String::from_utf8_lossy(&r.body)
        );
        let (_, body) = self.last_mail(email).await?;
        let r = self
            .post_json(
                "/api/v1/auth/accept-invitation",
                &json!({"token": link_token(&body), "password": PASSWORD}),
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::OK,
            "acceptance failed: {}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(Creds {
            organisation: organisation.to_owned(),
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
        })
    }

    /// The audit actions recorded about `subject` (by email), oldest first.
    pub(crate) async fn audit_actions(&self, email: &str) -> anyhow::Result<Vec<String>> {
        let mut actions = Vec::new();
        for db in [&self.db.na, &self.db.ca] {
            let found: Vec<String> = sqlx::query_scalar(
                "select e.action from audit.events e join attest.users u on u.org_id = e.org_id and u.user_id = e.subject_user_id
                 where lower(u.email) = lower($1) order by e.event_row",
            )
            .bind(email)
            .fetch_all(&db.superuser)
            .await?;
            actions.extend(found);
        }
        Ok(actions)
    }
}
