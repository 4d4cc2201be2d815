//! Every requisition action, driven through the HTTP API, records exactly its events (actor and
//! role, resource, source IP, user agent, request id), in the same transaction.

use super::fixture::{POSTING, Team, posting_fields};
use crate::audited_actions::{Watch, ok, send};
use http::Method;
use serde_json::json;

#[tokio::test]
async fn every_requisition_action_records_exactly_its_events() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let app = &t.app;
    let author = t.author_a.session.access_token.clone();
    let reviewer = t.reviewer.session.access_token.clone();
    let mut watch = Watch::from_now(app).await?;
    let call = |token: &str, method: Method, path: String, body: Option<serde_json::Value>| {
        let token = token.to_owned();
        async move { ok(send(app, method, &path, Some(&token), body).await?, "call").await }
    };
    const AUTHOR: &str = "requisition_author";
    const REVIEWER: &str = "compliance_reviewer";

    let r = call(
        &author,
        Method::POST,
        "/api/v1/requisitions".into(),
        Some(json!({"title": "Warehouse", "text": POSTING, "fields": posting_fields()})),
    )
    .await?;
    let id = r.json()["requisition_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let fingerprint = r.json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    watch
        .check(
            "submitted",
            &[
                ("requisition.created", AUTHOR, "requisition", None),
                ("requisition.analysed", AUTHOR, "requisition", None),
            ],
        )
        .await?;

    call(
        &reviewer,
        Method::GET,
        format!("/api/v1/requisitions/{id}"),
        None,
    )
    .await?;
    watch
        .check(
            "viewed",
            &[("requisition.viewed", REVIEWER, "requisition", None)],
        )
        .await?;

    call(
        &reviewer,
        Method::PUT,
        format!("/api/v1/requisitions/{id}/findings/{fingerprint}/review"),
        Some(json!({"decision": "dismissed", "note": "Not applicable here."})),
    )
    .await?;
    watch
        .check(
            "reviewed",
            &[(
                "requisition.finding_reviewed",
                REVIEWER,
                "requisition",
                None,
            )],
        )
        .await?;

    call(
        &author,
        Method::PUT,
        format!("/api/v1/requisitions/{id}"),
        Some(json!({"text": format!("{POSTING}Apply today.\n")})),
    )
    .await?;
    watch
        .check(
            "edited",
            &[
                ("requisition.edited", AUTHOR, "requisition", None),
                ("requisition.analysed", AUTHOR, "requisition", None),
            ],
        )
        .await?;

    call(
        &reviewer,
        Method::POST,
        format!("/api/v1/requisitions/{id}/analyse"),
        None,
    )
    .await?;
    watch
        .check(
            "analysed again",
            &[("requisition.analysed", REVIEWER, "requisition", None)],
        )
        .await?;

    let csv = call(
        &reviewer,
        Method::GET,
        format!("/api/v1/requisitions/{id}/report.csv"),
        None,
    )
    .await?;
    watch
        .check(
            "exported",
            &[("requisition.exported", REVIEWER, "requisition", None)],
        )
        .await?;
    let text = String::from_utf8(csv.body.clone())?;
    assert!(
        text.starts_with("severity,category,rule_id,start,end,excerpt"),
        "{text}"
    );
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.ends_with("not legal advice.")),
        "every row carries the disclaimer: {text}"
    );
    assert!(
        text.contains("dismissed,Not applicable here.,"),
        "the decision is in the report: {text}"
    );

    // Lists are not audited one by one; refused calls record nothing.
    call(&reviewer, Method::GET, "/api/v1/requisitions".into(), None).await?;
    let r = send(
        app,
        Method::GET,
        &format!("/api/v1/requisitions/{id}"),
        Some(&t.author_b.session.access_token),
        None,
    )
    .await?;
    assert_eq!(r.status.as_u16(), 404);
    watch.check("nothing else", &[]).await?;
    Ok(())
}
