//! Route × role: every credential route, called by each kind of caller, answers exactly what
//! it should. Another organisation's manager gets 404 for our resources, never the data.

use super::fixture::{PDF, Workforce};
use crate::role_matrix::{ANON, Callers};
use http::{Method, StatusCode};
use serde_json::{Value, json};

/// The callers, in the order of each case's expected statuses; the manager calls last.
fn callers(w: &Workforce) -> Callers<'_, 8> {
    Callers {
        app: &w.app,
        who: [
            ("anonymous", None),
            ("worker A", Some(&w.worker_a)),
            ("worker B", Some(&w.worker_b)),
            ("supervisor of A's crew", Some(&w.supervisor_a)),
            ("supervisor of another crew", Some(&w.supervisor_b)),
            ("HSE manager", Some(&w.manager)),
            ("auditor", Some(&w.auditor)),
            ("manager of another organisation", Some(&w.outsider)),
        ],
        last: 5,
    }
}

async fn check(
    w: &Workforce,
    method: Method,
    path: &str,
    body: Option<Value>,
    expected: [u16; 8],
) -> anyhow::Result<Vec<Value>> {
    callers(w).check(method, path, body, expected).await
}

#[tokio::test]
async fn every_credential_route_answers_each_caller_as_it_should() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let (a, b) = (w.worker_a.id, w.worker_b.id);
    let evidence = w.upload(a, PDF).await?;
    let cred = w
        .add_credential(a, "FACPR", json!({"issuer": "Red Cross", "issued_on": "2026-01-10", "number": "RC-99812", "notes": "Renewal booked", "evidence_id": evidence}))
        .await?;
    w.add_credential(
        b,
        "WAH",
        json!({"issuer": "Safety Co", "issued_on": "2026-02-01"}),
    )
    .await?;

    // Reads of one worker's things: themselves, their supervisor, the organisation.
    let one = [ANON, 200, 404, 200, 404, 200, 200, 404];
    check(&w, Method::GET, &format!("/api/v1/workers/{a}"), None, one).await?;
    let views = check(
        &w,
        Method::GET,
        &format!("/api/v1/credentials/{cred}"),
        None,
        one,
    )
    .await?;
    // Personal fields: the worker and the manager; not the supervisor, not the auditor.
    for (i, shown) in [(1, true), (3, false), (5, true), (6, false)] {
        assert_eq!(
            views[i].get("personal").is_some(),
            shown,
            "personal fields for caller {i}: {}",
            views[i]
        );
        assert_eq!(
            views[i].to_string().contains("RC-99812"),
            shown,
            "number for caller {i}"
        );
    }
    assert_eq!(views[1]["personal"]["number"], "RC-99812");
    // Evidence: the worker and `credentials.personal.read` only.
    check(
        &w,
        Method::GET,
        &format!("/api/v1/evidence/{evidence}"),
        None,
        [ANON, 200, 404, 404, 404, 200, 404, 404],
    )
    .await?;

    // Lists of other people's things: supervisors (their crews) and the organisation.
    let lists = [ANON, 403, 403, 200, 200, 200, 200, 200];
    let workers = check(&w, Method::GET, "/api/v1/workers", None, lists).await?;
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["worker_id"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        ids(&workers[3]),
        vec![a.to_string()],
        "supervisor A sees crew A only"
    );
    assert_eq!(
        ids(&workers[4]),
        vec![b.to_string()],
        "supervisor B sees crew B only"
    );
    assert_eq!(ids(&workers[5]).len(), 2);
    assert!(
        ids(&workers[7]).is_empty(),
        "the other organisation sees none of ours"
    );
    let readiness = check(&w, Method::GET, "/api/v1/readiness", None, lists).await?;
    assert_eq!(readiness[3]["overall"]["total"], 1);
    assert_eq!(readiness[5]["overall"]["total"], 2);
    assert_eq!(readiness[7]["overall"]["total"], 0);
    let live = [ANON, 403, 403];
    for (i, status) in live.iter().enumerate() {
        let r = callers(&w)
            .call(i, &Method::GET, "/api/v1/readiness/live", None)
            .await?;
        assert_eq!(r.status.as_u16(), *status);
    }

    // Catalogue reads: every member, each in their own organisation.
    let everyone = [ANON, 200, 200, 200, 200, 200, 200, 200];
    for path in [
        "/api/v1/credential-types",
        "/api/v1/job-roles",
        "/api/v1/requirements",
        "/api/v1/sites",
        "/api/v1/crews",
        "/api/v1/credential-types/starter",
    ] {
        let bodies = check(&w, Method::GET, path, None, everyone).await?;
        assert!(
            !bodies[7].to_string().contains("FACPR") || path.ends_with("starter"),
            "{path}: the other organisation sees our types"
        );
        assert!(!bodies[7].to_string().contains("Harbour Tower"), "{path}");
    }

    // Writes: `credentials.manage` in the organisation only.
    let write = |created: u16| [ANON, 403, 403, 403, 403, created, 403, 404];
    let fork = w.type_id("FORK").await?;
    check(
        &w,
        Method::POST,
        &format!("/api/v1/workers/{a}/credentials"),
        Some(json!({"type_id": fork, "issuer": "Lift Academy", "issued_on": "2026-03-01"})),
        write(201),
    )
    .await?;
    check(
        &w,
        Method::POST,
        &format!("/api/v1/credentials/{cred}/suspend"),
        Some(json!({"reason": "Card reported lost"})),
        write(200),
    )
    .await?;
    check(
        &w,
        Method::POST,
        &format!("/api/v1/credentials/{cred}/reinstate"),
        Some(json!({})),
        write(200),
    )
    .await?;
    check(
        &w,
        Method::POST,
        &format!("/api/v1/credentials/{cred}/revoke"),
        Some(json!({"reason": "Forged certificate"})),
        write(200),
    )
    .await?;
    check(
        &w,
        Method::POST,
        &format!("/api/v1/credentials/{cred}/renewals"),
        Some(json!({"issuer": "Red Cross", "issued_on": "2026-04-01"})),
        write(201),
    )
    .await?;
    check(
        &w,
        Method::PUT,
        &format!("/api/v1/workers/{a}/job-role"),
        Some(json!({"job_role_id": null})),
        write(204),
    )
    .await?;
    // Evidence uploads are raw bodies.
    for (i, (name, member)) in callers(&w).who.into_iter().enumerate() {
        let expected = write(201)[i];
        let r = match member {
            Some(m) => w.upload_as(m, a, PDF).await?,
            None => {
                w.app
                    .send(
                        Method::POST,
                        &format!("/api/v1/workers/{a}/evidence"),
                        "application/octet-stream",
                        PDF.to_vec(),
                    )
                    .await?
            }
        };
        assert_eq!(r.status.as_u16(), expected, "evidence upload as {name}");
    }
    // Organisation-wide changes: each manager in their own organisation only.
    let own = |created: u16| [ANON, 403, 403, 403, 403, created, 403, created];
    check(
        &w,
        Method::POST,
        "/api/v1/job-roles",
        Some(json!({"name": "Rigger"})),
        own(201),
    )
    .await?;
    let site_rule = json!({"type_id": fork, "site_id": w.site_b});
    // The outsider names our type and site: in their organisation, there is no such type.
    check(
        &w,
        Method::POST,
        "/api/v1/requirements",
        Some(site_rule),
        [ANON, 403, 403, 403, 403, 201, 403, 422],
    )
    .await?;
    let types = w.get(&w.manager, "/api/v1/credential-types").await?.json();
    let fa = types
        .as_array()
        .and_then(|t| t.iter().find(|t| t["code"] == "FACPR"))
        .map(|t| t["type_id"].clone())
        .unwrap_or_default();
    check(
        &w,
        Method::PATCH,
        &format!(
            "/api/v1/credential-types/{}",
            fa.as_str().unwrap_or_default()
        ),
        Some(json!({"validity_months": 24})),
        write(200),
    )
    .await?;
    let _ = StatusCode::OK;
    Ok(())
}
