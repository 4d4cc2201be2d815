//! Reviewers' decisions: keyed by the finding's fingerprint, a dismissal survives an edit
//! elsewhere in the text (and lapses when the flagged words themselves change); bad decisions
//! are refused clearly and change nothing.

use super::fixture::{POSTING, Team, assert_spans_match, finding, posting_fields};
use http::{Method, StatusCode};
use serde_json::{Value, json};

const NATIVE: &str = "language.native_speaker";
const CITIZEN: &str = "national_origin_citizenship.citizenship_required";

async fn decide(
    t: &Team,
    id: &str,
    fingerprint: &str,
    body: Value,
) -> anyhow::Result<crate::support::TestResponse> {
    t.call(
        &t.reviewer,
        Method::PUT,
        &format!("/api/v1/requisitions/{id}/findings/{fingerprint}/review"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_dismissal_survives_an_edit_elsewhere_in_the_text() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let first = t
        .submit(
            &t.author_a,
            "Warehouse associate",
            POSTING,
            posting_fields(),
        )
        .await?;
    assert_spans_match(&first);
    let id = first["requisition_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let native = finding(&first, NATIVE)["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let citizen = finding(&first, CITIZEN)["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let r = decide(&t, &id, &native, json!({"decision": "dismissed", "note": "Role reads safety manuals aloud to crews; reviewed with counsel."})).await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = decide(&t, &id, &citizen, json!({"decision": "accepted"})).await?;
    assert_eq!(r.status, StatusCode::OK);
    let decided = r.json();
    assert_eq!(decided["reviewed_count"], 2);
    let review = &finding(&decided, NATIVE)["review"];
    assert_eq!(review["decision"], "dismissed");
    assert_eq!(review["reviewer"]["user_id"], t.reviewer.id.to_string());
    assert!(review["reviewer"]["name"].is_string(), "{review}");

    // The author adds a paragraph at the top: every offset moves, the fingerprints do not.
    let edited_text = format!("About us: a family-run distributor since 1987.\n\n{POSTING}");
    let r = t
        .call(
            &t.author_a,
            Method::PUT,
            &format!("/api/v1/requisitions/{id}"),
            Some(json!({"text": edited_text, "fields": posting_fields()})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let second = r.json();
    assert_eq!(second["version"], 2);
    assert_spans_match(&second);
    let moved = finding(&second, NATIVE);
    assert_ne!(
        moved["start"],
        finding(&first, NATIVE)["start"],
        "the words moved"
    );
    assert_eq!(moved["fingerprint"], native.as_str());
    assert_eq!(
        moved["review"]["decision"], "dismissed",
        "the dismissal carried over"
    );
    assert!(
        moved["review"]["note"]
            .as_str()
            .is_some_and(|n| n.contains("counsel"))
    );
    assert_eq!(finding(&second, CITIZEN)["review"]["decision"], "accepted");
    // The author sees the reviewer's name on their own requisition.
    let seen = t
        .call(
            &t.author_a,
            Method::GET,
            &format!("/api/v1/requisitions/{id}"),
            None,
        )
        .await?
        .json();
    let reviewer = &finding(&seen, NATIVE)["review"]["reviewer"];
    assert!(reviewer["name"].is_string(), "{reviewer}");

    // Rewording the flagged words: the old decision no longer applies.
    let reworded = edited_text.replace(
        "Native English speaker required.",
        "English must be your first language.",
    );
    let r = t
        .call(
            &t.author_a,
            Method::PUT,
            &format!("/api/v1/requisitions/{id}"),
            Some(json!({"text": reworded, "fields": posting_fields()})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let third = r.json();
    let now = finding(&third, NATIVE);
    assert_ne!(now["fingerprint"], native.as_str());
    assert!(
        now["review"].is_null(),
        "a new finding needs a new decision: {now}"
    );

    // The versions keep their own analyses.
    let versions = t
        .call(
            &t.reviewer,
            Method::GET,
            &format!("/api/v1/requisitions/{id}/versions"),
            None,
        )
        .await?
        .json();
    let numbers: Vec<i64> = versions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["version"].as_i64())
        .collect();
    assert_eq!(numbers, vec![3, 2, 1]);
    assert_eq!(
        versions[0]["created_by"]["user_id"],
        t.author_a.id.to_string()
    );
    assert!(versions[0]["created_by"]["name"].is_string(), "{versions}");
    Ok(())
}

#[tokio::test]
async fn bad_decisions_are_refused_and_change_nothing() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let r = t
        .submit(
            &t.author_a,
            "Warehouse associate",
            POSTING,
            posting_fields(),
        )
        .await?;
    let id = r["requisition_id"].as_str().unwrap_or_default().to_owned();
    let native = finding(&r, NATIVE)["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for (body, field) in [
        (json!({"decision": "dismissed"}), "note"),
        (json!({"decision": "dismissed", "note": "   "}), "note"),
        (json!({"decision": "ignored", "note": "x"}), "decision"),
        (
            json!({"decision": "accepted", "note": "x".repeat(2001)}),
            "note",
        ),
    ] {
        let r = decide(&t, &id, &native, body.clone()).await?;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.error_code(), "validation_failed");
        assert!(
            r.json()["fields"][field].is_string(),
            "{body}: {}",
            r.json()
        );
    }
    let r = decide(
        &t,
        &id,
        &native,
        json!({"decision": "accepted", "extra": 1}),
    )
    .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = decide(
        &t,
        &id,
        "0123456789abcdef0123456789abcdef",
        json!({"decision": "accepted"}),
    )
    .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "unknown_finding");
    let stored: i64 = sqlx::query_scalar("select count(*) from attest.finding_reviews")
        .fetch_one(&t.app.db.na.superuser)
        .await?;
    assert_eq!(stored, 0, "nothing was recorded");
    Ok(())
}

#[tokio::test]
async fn no_one_reviews_their_own_requisition() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let own = t
        .submit(
            &t.reviewer,
            "Reviewer's own posting",
            POSTING,
            posting_fields(),
        )
        .await?;
    assert_eq!(own["abilities"], json!({"edit": true, "review": false}));
    let id = own["requisition_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let fingerprint = finding(&own, NATIVE)["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r = decide(
        &t,
        &id,
        &fingerprint,
        json!({"decision": "dismissed", "note": "Mine, fine."}),
    )
    .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "own_requisition");
    let stored: i64 = sqlx::query_scalar("select count(*) from attest.finding_reviews")
        .fetch_one(&t.app.db.na.superuser)
        .await?;
    assert_eq!(stored, 0);
    Ok(())
}
