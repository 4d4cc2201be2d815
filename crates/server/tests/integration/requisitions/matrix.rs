//! Route × role: every requisition route, called by each kind of caller, answers exactly what
//! it should. Another organisation's reviewer gets 404 for our requisitions, never the data.

use super::fixture::{POSTING, Team, posting_fields};
use crate::role_matrix::{ANON, Callers};
use http::{Method, StatusCode};
use serde_json::{Value, json};

/// The callers, in the order of each case's expected statuses; author A calls last.
fn callers(t: &Team) -> Callers<'_, 7> {
    Callers {
        app: &t.app,
        who: [
            ("anonymous", None),
            ("author A", Some(&t.author_a)),
            ("author B", Some(&t.author_b)),
            ("compliance reviewer", Some(&t.reviewer)),
            ("auditor", Some(&t.auditor)),
            ("HSE manager", Some(&t.manager)),
            ("reviewer of another organisation", Some(&t.outsider)),
        ],
        last: 1,
    }
}

async fn check(
    t: &Team,
    method: Method,
    path: &str,
    body: Option<Value>,
    expected: [u16; 7],
) -> anyhow::Result<Vec<Value>> {
    callers(t).check(method, path, body, expected).await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["requisition_id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn every_requisition_route_answers_each_caller_as_it_should() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let mine = t
        .submit(
            &t.author_a,
            "Warehouse associate",
            POSTING,
            posting_fields(),
        )
        .await?;
    let id = mine["requisition_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let theirs = t
        .submit(
            &t.author_b,
            "Driver",
            "Delivery driver. Must have a clean driving record.",
            json!({}),
        )
        .await?;
    let theirs_id = theirs["requisition_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let fingerprint = mine["findings"][0]["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // The list: one's own (authors), the organisation's (reviewer, auditor), none elsewhere.
    let lists = check(
        &t,
        Method::GET,
        "/api/v1/requisitions",
        None,
        [ANON, 200, 200, 200, 200, 403, 200],
    )
    .await?;
    assert_eq!(
        ids(&lists[1]),
        vec![id.clone()],
        "author A sees their own only"
    );
    assert_eq!(lists[1][0]["author"]["user_id"], t.author_a.id.to_string());
    assert_eq!(
        ids(&lists[2]),
        vec![theirs_id.clone()],
        "author B sees their own only"
    );
    assert_eq!(
        ids(&lists[3]).len(),
        2,
        "the reviewer sees the organisation's"
    );
    assert_eq!(
        ids(&lists[4]).len(),
        2,
        "the auditor sees the organisation's"
    );
    assert!(
        ids(&lists[6]).is_empty(),
        "another organisation sees none of ours"
    );
    assert!(
        lists[3]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["author"]["name"].is_string()),
        "reviewers see authors' names: {}",
        lists[3]
    );

    // One requisition: its author and the organisation's readers.
    let one = [ANON, 200, 404, 200, 200, 403, 404];
    let views = check(
        &t,
        Method::GET,
        &format!("/api/v1/requisitions/{id}"),
        None,
        one,
    )
    .await?;
    assert_eq!(
        views[1]["abilities"],
        json!({"edit": true, "review": false})
    );
    assert_eq!(
        views[3]["abilities"],
        json!({"edit": false, "review": true})
    );
    assert_eq!(
        views[4]["abilities"],
        json!({"edit": false, "review": false})
    );
    assert!(
        views[1]["disclaimer"]
            .as_str()
            .is_some_and(|d| d.contains("not legal advice"))
    );
    check(
        &t,
        Method::GET,
        &format!("/api/v1/requisitions/{id}/versions"),
        None,
        one,
    )
    .await?;
    check(
        &t,
        Method::GET,
        &format!("/api/v1/requisitions/{id}/report.csv"),
        None,
        one,
    )
    .await?;
    check(
        &t,
        Method::GET,
        &format!("/api/v1/requisitions/{id}/report.pdf"),
        None,
        one,
    )
    .await?;

    // Submitting: authors and reviewers (who may also write requisitions).
    let body = json!({"title": "Clerk", "text": "Office clerk. Must be under 40."});
    check(
        &t,
        Method::POST,
        "/api/v1/requisitions",
        Some(body),
        [ANON, 201, 201, 201, 403, 403, 201],
    )
    .await?;

    // Analysing again: the author or a reviewer.
    check(
        &t,
        Method::POST,
        &format!("/api/v1/requisitions/{id}/analyse"),
        None,
        [ANON, 200, 404, 200, 403, 403, 404],
    )
    .await?;

    // Deciding on a finding: reviewers of this organisation only.
    let decision = json!({"decision": "accepted", "note": "Rewrite before posting."});
    check(
        &t,
        Method::PUT,
        &format!("/api/v1/requisitions/{id}/findings/{fingerprint}/review"),
        Some(decision),
        [ANON, 403, 403, 200, 403, 403, 404],
    )
    .await?;

    // Editing: its author only.
    let edit = json!({"text": format!("{POSTING}Apply by Friday.\n"), "fields": posting_fields()});
    let edited = check(
        &t,
        Method::PUT,
        &format!("/api/v1/requisitions/{id}"),
        Some(edit),
        [ANON, 200, 404, 403, 403, 403, 404],
    )
    .await?;
    assert_eq!(edited[1]["version"], 2);

    // Unknown ids are 404 for everyone who could read requisitions.
    let nobody = uuid::Uuid::now_v7();
    check(
        &t,
        Method::GET,
        &format!("/api/v1/requisitions/{nobody}"),
        None,
        [ANON, 404, 404, 404, 404, 403, 404],
    )
    .await?;
    let r = t
        .call(
            &t.author_a,
            Method::GET,
            "/api/v1/requisitions/not-a-uuid",
            None,
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    Ok(())
}
