//! The audit ledger's HTTP API: the timeline and who sees what, the signed checkpoint and the
//! proofs (checked with the ledger's own verifier functions), streamed exports that verify
//! offline, CSV, erasure, bad input, and atomicity with the changes it records.

use crate::accounts::{Creds, Session};
use crate::support::{TestApp, TestResponse};
use attest_ledger::export::{self, Options};
use attest_ledger::tree::{check_record, check_tree};
use attest_ledger::{Hash, SignedCheckpoint, hash_from_hex};
use http::{Method, StatusCode};
use serde_json::{Value, json};

struct Org {
    app: TestApp,
    admin: Session,
    worker: Session,
    worker_id: String,
    auditor: Session,
}

async fn org() -> anyhow::Result<Org> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let admin = app.session(&creds).await?;
    let will = app
        .invited(&admin, "acme", "will@acme.example", "worker")
        .await?;
    let worker = app.session(&will).await?;
    let audrey = app
        .invited(&admin, "acme", "audrey@acme.example", "auditor")
        .await?;
    let auditor = app.session(&audrey).await?;
    let members = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?
        .json();
    let worker_id = members
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["email"] == "will@acme.example")
        .and_then(|m| m["user_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    Ok(Org {
        app,
        admin,
        worker,
        worker_id,
        auditor,
    })
}

impl Org {
    async fn get(&self, who: &Session, path: &str) -> anyhow::Result<TestResponse> {
        self.app
            .authed(Method::GET, path, &who.access_token, None)
            .await
    }

    async fn actions(&self, who: &Session, query: &str) -> anyhow::Result<Vec<String>> {
        let r = self
            .get(who, &format!("/api/v1/audit/events{query}"))
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        Ok(r.json()["events"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
            .collect())
    }

    async fn export(&self, who: &Session, query: &str) -> anyhow::Result<TestResponse> {
        self.get(who, &format!("/api/v1/audit/export{query}")).await
    }

    async fn vkey(&self) -> anyhow::Result<String> {
        let r = self.get(&self.auditor, "/api/v1/audit/checkpoint").await?;
        Ok(r.json()["vkey"].as_str().unwrap_or_default().to_owned())
    }
}

fn verify(body: &[u8], key: &str) -> Result<export::Report, export::VerifyError> {
    export::verify(
        body,
        &Options {
            key: Some(key.to_owned()),
            previous_checkpoint: None,
        },
    )
}

#[tokio::test]
async fn managers_and_auditors_see_the_organisation_workers_see_themselves() -> anyhow::Result<()> {
    let o = org().await?;
    let everything = o.actions(&o.auditor, "?limit=200").await?;
    for action in [
        "organisation.created",
        "auth.email_verified",
        "member.invited",
        "member.invitation_accepted",
        "auth.sign_in",
    ] {
        assert!(
            everything.contains(&action.to_owned()),
            "{action} in {everything:?}"
        );
    }
    assert_eq!(everything, o.actions(&o.admin, "?limit=200").await?);

    // The worker sees what they did and what is about them: never the admin's own sign-in.
    let theirs = o
        .get(&o.worker, "/api/v1/audit/events?limit=200")
        .await?
        .json();
    let events = theirs["events"].as_array().cloned().unwrap_or_default();
    assert!(!events.is_empty());
    for e in &events {
        assert!(
            e["actor_user_id"] == o.worker_id.as_str()
                || e["subject_user_id"] == o.worker_id.as_str(),
            "a worker sees only events by or about them: {e}"
        );
    }
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"member.invited"), "{actions:?}");
    assert!(actions.contains(&"auth.sign_in"), "{actions:?}");
    // Where the admin acted on them, the admin's address and browser are not theirs to see;
    // their own actions show their own.
    let by = |action: &str| {
        events
            .iter()
            .find(|e| e["action"] == action)
            .cloned()
            .unwrap_or_default()
    };
    assert!(by("member.invited")["source_ip"].is_null());
    assert!(by("member.invited")["user_agent"].is_null());
    assert_eq!(by("auth.sign_in")["source_ip"], "203.0.113.10");
    // The auditor sees the admin's.
    let audited = o
        .get(&o.auditor, "/api/v1/audit/events?action=member.invited")
        .await?
        .json();
    assert_eq!(audited["events"][0]["source_ip"], "203.0.113.10");

    // Workers cannot export or read proofs.
    assert_eq!(o.export(&o.worker, "").await?.status, StatusCode::FORBIDDEN);
    assert_eq!(
        o.get(&o.worker, "/api/v1/audit/proofs/inclusion?index=0&size=1")
            .await?
            .status,
        StatusCode::FORBIDDEN
    );
    Ok(())
}

#[tokio::test]
async fn the_timeline_filters_and_pages() -> anyhow::Result<()> {
    let o = org().await?;
    let auth = o.actions(&o.auditor, "?action=auth&limit=200").await?;
    assert!(!auth.is_empty());
    assert!(auth.iter().all(|a| a.starts_with("auth.")), "{auth:?}");
    // A prefix is literal text: `%` and `_` are not wildcards.
    for wildcard in ["%25", "_uth", "a%25"] {
        let none = o
            .actions(&o.auditor, &format!("?action={wildcard}&limit=200"))
            .await?;
        assert!(none.is_empty(), "{wildcard}: {none:?}");
    }
    let exact = o.actions(&o.auditor, "?action=member.invited").await?;
    assert_eq!(exact, ["member.invited", "member.invited"]);

    let by_worker = o
        .get(
            &o.auditor,
            &format!("/api/v1/audit/events?actor={}&limit=200", o.worker_id),
        )
        .await?
        .json();
    let by_worker = by_worker["events"].as_array().cloned().unwrap_or_default();
    assert!(!by_worker.is_empty());
    assert!(
        by_worker
            .iter()
            .all(|e| e["actor_user_id"] == o.worker_id.as_str())
    );

    let resource = o
        .get(
            &o.auditor,
            &format!(
                "/api/v1/audit/events?resource_type=account&resource_id={}",
                o.worker_id
            ),
        )
        .await?
        .json();
    let resource = resource["events"].as_array().cloned().unwrap_or_default();
    assert!(!resource.is_empty());
    assert!(
        resource
            .iter()
            .all(|e| e["resource_id"] == o.worker_id.as_str())
    );

    let now = o.app.clock_now();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let future = o
        .actions(
            &o.auditor,
            &format!("?from={}", fmt(now + time::Duration::hours(1))),
        )
        .await?;
    assert!(future.is_empty(), "{future:?}");
    let past = o
        .actions(
            &o.auditor,
            &format!(
                "?from={}&to={}&limit=200",
                fmt(now - time::Duration::hours(1)),
                fmt(now + time::Duration::hours(1))
            ),
        )
        .await?;
    assert_eq!(past, o.actions(&o.auditor, "?limit=200").await?);

    // Paging: newest first, `next` continues where the page ended, nothing twice or skipped.
    let all = o.actions(&o.auditor, "?limit=200").await?;
    let mut paged = Vec::new();
    let mut query = "?limit=3".to_owned();
    loop {
        let page = o
            .get(&o.auditor, &format!("/api/v1/audit/events{query}"))
            .await?
            .json();
        paged.extend(
            page["events"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["action"].as_str().unwrap_or_default().to_owned()),
        );
        match page["next"].as_i64() {
            Some(next) => query = format!("?limit=3&before={next}"),
            None => break,
        }
    }
    assert_eq!(paged, all);
    Ok(())
}

#[tokio::test]
async fn bad_queries_get_clear_errors() -> anyhow::Result<()> {
    let o = org().await?;
    for (query, status, code) in [
        (
            "/api/v1/audit/events?from=yesterday",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/events?actor=not-a-uuid",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "/api/v1/audit/events?colour=blue",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "/api/v1/audit/events?limit=ten",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "/api/v1/audit/export?format=xlsx",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/proofs/inclusion?index=0&size=999999",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/proofs/inclusion?index=5&size=5",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/proofs/inclusion?index=-1&size=5",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "/api/v1/audit/proofs/consistency?from=9&to=3",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "/api/v1/audit/proofs/consistency?from=1",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
    ] {
        let r = o.get(&o.auditor, query).await?;
        assert_eq!(
            (r.status, r.error_code()),
            (status, code.to_owned()),
            "{query}"
        );
    }
    let r = o
        .app
        .authed(
            Method::POST,
            "/api/v1/audit/erasures",
            &o.admin.access_token,
            Some(json!({"user_id": uuid::Uuid::now_v7()})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "an unknown person");
    let r = o
        .app
        .authed(
            Method::POST,
            "/api/v1/audit/erasures",
            &o.auditor.access_token,
            Some(json!({"user_id": o.worker_id})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "auditors read, they do not erase"
    );
    Ok(())
}

#[tokio::test]
async fn the_checkpoint_and_proofs_check_with_the_published_key() -> anyhow::Result<()> {
    let o = org().await?;
    let first = o.get(&o.auditor, "/api/v1/audit/checkpoint").await?.json();
    let vkey = first["vkey"].as_str().unwrap_or_default();
    let note = first["note"].as_str().unwrap_or_default();
    let signed = SignedCheckpoint::verify(note, vkey)?;
    let size = first["size"].as_u64().unwrap_or_default();
    assert_eq!(signed.size, size);
    assert_eq!(first["origin"], signed.origin.as_str());

    // More happens; the log grows and the new tree provably extends the old one.
    o.app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{}", o.worker_id),
            &o.admin.access_token,
            Some(json!({"role": "supervisor"})),
        )
        .await?;
    let later = o.get(&o.auditor, "/api/v1/audit/checkpoint").await?.json();
    let later_signed = SignedCheckpoint::verify(later["note"].as_str().unwrap_or_default(), vkey)?;
    assert!(later_signed.size > size);
    let proof = o
        .get(
            &o.auditor,
            &format!(
                "/api/v1/audit/proofs/consistency?from={size}&to={}",
                later_signed.size
            ),
        )
        .await?
        .json();
    let proof: Vec<Hash> = proof["proof"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h.as_str().and_then(hash_from_hex))
        .collect();
    check_tree(
        &proof,
        later_signed.size,
        later_signed.root,
        size,
        signed.root,
    )?;

    // Every leaf of an export is provably in the tree.
    let exported = o.export(&o.auditor, "").await?;
    let lines: Vec<Value> = String::from_utf8_lossy(&exported.body)
        .lines()
        .skip(1)
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    for line in &lines {
        let index = line["index"].as_u64().unwrap_or_default();
        let leaf = hash_from_hex(line["leaf_hash"].as_str().unwrap_or_default())
            .ok_or_else(|| anyhow::anyhow!("leaf hash"))?;
        let proof = o
            .get(
                &o.auditor,
                &format!(
                    "/api/v1/audit/proofs/inclusion?index={index}&size={}",
                    later_signed.size
                ),
            )
            .await?
            .json();
        let proof: Vec<Hash> = proof["proof"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h.as_str().and_then(hash_from_hex))
            .collect();
        check_record(&proof, later_signed.size, later_signed.root, index, leaf)?;
    }
    Ok(())
}

#[tokio::test]
async fn an_export_streams_verifies_and_is_itself_audited() -> anyhow::Result<()> {
    let o = org().await?;
    let key = o.vkey().await?;
    let r = o.export(&o.auditor, "").await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/x-ndjson");
    assert!(r.header("content-disposition").contains(".jsonl"));
    let report = verify(&r.body, &key)?;
    assert_eq!(
        report.events.to_string(),
        r.header("x-export-events"),
        "the count announced for progress"
    );
    assert_eq!(report.first, 0);
    assert!(
        o.actions(&o.auditor, "?action=audit.exported").await?.len() == 1,
        "the export is recorded"
    );

    // A later export extends the earlier one's checkpoint.
    let header: Value = serde_json::from_str(
        String::from_utf8_lossy(&r.body)
            .lines()
            .next()
            .unwrap_or_default(),
    )?;
    let earlier = header["checkpoint"].as_str().unwrap_or_default().to_owned();
    let size = header["tree_size"].as_u64().unwrap_or_default();
    let later = o.export(&o.admin, &format!("?since_size={size}")).await?;
    let report = export::verify(
        later.body.as_slice(),
        &Options {
            key: Some(key.clone()),
            previous_checkpoint: Some(earlier),
        },
    )?;
    assert_eq!(report.extends, Some(size));

    // Any change to a byte of an event is caught.
    let text = String::from_utf8_lossy(&later.body).replace("member.invited", "member.invitee");
    assert!(matches!(
        verify(text.as_bytes(), &key),
        Err(export::VerifyError::Event { .. })
    ));
    Ok(())
}

#[tokio::test]
async fn the_csv_companion_is_readable_and_defuses_formulas() -> anyhow::Result<()> {
    let o = org().await?;
    let creds = Creds {
        organisation: "acme".into(),
        email: "will@acme.example".into(),
        password: "=HYPERLINK(\"https://evil.example\")".into(),
    };
    // A failed sign-in from a hostile user agent.
    o.app
        .call(
            Method::POST,
            "/api/v1/auth/sign-in",
            Some(json!({"organisation": creds.organisation, "email": creds.email, "password": creds.password})),
            &[("user-agent", "=cmd|' /C calc'!A0")],
        )
        .await?;
    let r = o.export(&o.auditor, "?format=csv").await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(r.body.as_slice());
    let headers = reader.headers()?.clone();
    assert_eq!(&headers[0], "seq");
    assert_eq!(&headers[5], "action");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    assert!(!rows.is_empty());
    let hostile = rows
        .iter()
        .find(|row| &row[5] == "auth.sign_in_failed")
        .ok_or_else(|| anyhow::anyhow!("the failed sign-in"))?;
    assert_eq!(&hostile[10], "'=cmd|' /C calc'!A0", "a formula is defused");
    let text = String::from_utf8_lossy(&r.body);
    assert!(!text.contains("HYPERLINK"), "no secret is exported");
    Ok(())
}

#[tokio::test]
async fn erasure_removes_personal_fields_and_every_proof_stays_valid() -> anyhow::Result<()> {
    let o = org().await?;
    let key = o.vkey().await?;
    // Nobody erases their own trail: another administrator must.
    let me = o.get(&o.admin, "/api/v1/me").await?.json()["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let own = o
        .app
        .authed(
            Method::POST,
            "/api/v1/audit/erasures",
            &o.admin.access_token,
            Some(json!({"user_id": me})),
        )
        .await?;
    assert_eq!(
        (own.status, own.error_code().as_str()),
        (StatusCode::FORBIDDEN, "own_erasure")
    );
    let r = o
        .app
        .authed(
            Method::POST,
            "/api/v1/audit/erasures",
            &o.admin.access_token,
            Some(json!({"user_id": o.worker_id})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let erased = r.json()["events"].as_u64().unwrap_or_default();
    assert!(erased >= 3, "invitation, acceptance, sign-in: {erased}");

    let exported = o.export(&o.auditor, "").await?;
    let report = verify(&exported.body, &key)?;
    assert_eq!(report.erased, erased);
    let text = String::from_utf8_lossy(&exported.body);
    for line in text.lines().skip(1) {
        let line: Value = serde_json::from_str(line)?;
        let about_worker = line["event"]["subject"] == o.worker_id.as_str()
            || line["event"]["actor"]["user"] == o.worker_id.as_str();
        if about_worker && line["event"]["action"] != "audit.personal_erased" {
            assert!(line["personal"].is_null(), "erased: {line}");
        }
    }
    let timeline = o
        .get(
            &o.auditor,
            "/api/v1/audit/events?action=audit.personal_erased",
        )
        .await?
        .json();
    assert_eq!(
        timeline["events"][0]["subject_user_id"],
        o.worker_id.as_str()
    );
    assert_eq!(timeline["events"][0]["source_ip"], "203.0.113.10");
    Ok(())
}

#[tokio::test]
async fn a_failed_change_leaves_no_event_and_a_failed_append_undoes_the_change()
-> anyhow::Result<()> {
    let o = org().await?;
    let count = async || -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("select count(*) from audit.events")
            .fetch_one(&o.app.db.na.superuser)
            .await?)
    };
    let before = count().await?;
    let r = o
        .app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{}", o.worker_id),
            &o.admin.access_token,
            Some(json!({"role": "emperor"})),
        )
        .await?;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(count().await?, before, "a refused change records nothing");

    // The ledger refuses this one event (a trigger planted by the superuser): the role change it
    // records must not happen either.
    sqlx::raw_sql(
        "create function public.refuse_role_events() returns trigger language plpgsql as $$
         begin
             if new.action = 'member.role_changed' then raise exception 'ledger unavailable'; end if;
             return new;
         end $$;
         create trigger refuse_role_events before insert on audit.events
             for each row execute function public.refuse_role_events();",
    )
    .execute(&o.app.db.na.superuser)
    .await?;
    let r = o
        .app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{}", o.worker_id),
            &o.admin.access_token,
            Some(json!({"role": "supervisor"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let role: String = sqlx::query_scalar(
        "select r.key from attest.memberships m join attest.roles r using (org_id, role_id)
         where m.user_id = $1::uuid",
    )
    .bind(&o.worker_id)
    .fetch_one(&o.app.db.na.superuser)
    .await?;
    assert_eq!(role, "worker", "the change was rolled back with its event");
    assert_eq!(count().await?, before);
    Ok(())
}
