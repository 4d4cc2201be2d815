//! Readiness through the API, against numbers worked out by hand.

use super::fixture::Workforce;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn readiness_numbers_match_a_hand_computed_fixture() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let (a, b) = (w.worker_a.id, w.worker_b.id);
    let today = w.app.clock_now().date();
    let day = |offset: i64| (today + time::Duration::days(offset)).to_string();
    // Site A needs First Aid and Working at Heights; site B needs First Aid and Forklift.
    for (code, site) in [
        ("FACPR", w.site_a),
        ("WAH", w.site_a),
        ("FACPR", w.site_b),
        ("FORK", w.site_b),
    ] {
        let r = w
            .post(
                &w.manager,
                "/api/v1/requirements",
                json!({"type_id": w.type_id(code).await?, "site_id": site}),
            )
            .await?;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
    }
    // Worker A (site A): First Aid valid, Working at Heights expiring in 10 days → cleared.
    w.add_credential(
        a,
        "FACPR",
        json!({"issuer": "Red Cross", "issued_on": day(-100), "expires_on": day(400)}),
    )
    .await?;
    w.add_credential(
        a,
        "WAH",
        json!({"issuer": "Safety Co", "issued_on": day(-700), "expires_on": day(10)}),
    )
    .await?;
    // Worker B (site B): First Aid expired 3 days ago, no Forklift → not cleared.
    w.add_credential(
        b,
        "FACPR",
        json!({"issuer": "Red Cross", "issued_on": day(-1000), "expires_on": day(-3)}),
    )
    .await?;

    let r = w.get(&w.manager, "/api/v1/readiness").await?.json();
    assert_eq!(
        r["overall"],
        json!({"total": 2, "cleared": 1, "percent": 50})
    );
    let share = |list: &serde_json::Value, name: &str| {
        list.as_array()
            .and_then(|l| l.iter().find(|s| s["name"] == name))
            .map(|s| {
                (
                    s["total"].clone(),
                    s["cleared"].clone(),
                    s["percent"].clone(),
                )
            })
    };
    assert_eq!(
        share(&r["sites"], "Harbour Tower"),
        Some((json!(1), json!(1), json!(100)))
    );
    assert_eq!(
        share(&r["sites"], "Eastside Depot"),
        Some((json!(1), json!(0), json!(0)))
    );
    assert_eq!(
        share(&r["crews"], "Framing"),
        Some((json!(1), json!(1), json!(100)))
    );
    assert_eq!(
        share(&r["crews"], "Electrical"),
        Some((json!(1), json!(0), json!(0)))
    );
    // Outlook: A's WAH within 30 days; A's First Aid in 400 days is outside 90; B's expired.
    assert_eq!(
        r["outlook"],
        json!({"within_30_days": 1, "within_60_days": 1, "within_90_days": 1, "expired": 1})
    );
    let expiring: Vec<(String, i64)> = r["expiring"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["type_code"].as_str().unwrap_or_default().to_owned(),
                e["days_left"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        expiring,
        vec![("FACPR".to_owned(), -3), ("WAH".to_owned(), 10)]
    );
    // B is not cleared: First Aid expired, Forklift missing.
    let blocked = &r["not_cleared"][0];
    assert_eq!(blocked["worker_id"], b.to_string());
    let gaps: Vec<(String, String)> = blocked["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            (
                g["type_code"].as_str().unwrap_or_default().to_owned(),
                g["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        vec![
            ("FACPR".to_owned(), "expired".to_owned()),
            ("FORK".to_owned(), "missing".to_owned())
        ]
    );

    // A's page: cleared at Harbour Tower; at Eastside Depot (not assigned) Forklift is missing.
    let page = w
        .get(&w.worker_a, &format!("/api/v1/workers/{a}"))
        .await?
        .json();
    assert_eq!(page["cleared"], true);
    let depot = page["sites"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "Eastside Depot"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(depot["assigned"], false);
    assert_eq!(depot["gaps"][0]["type_code"], "FORK");
    assert_eq!(page["credentials"].as_array().map(Vec::len), Some(2));

    // A job role's requirement counts everywhere: Riggers need Rigging.
    let rigger = w
        .post(&w.manager, "/api/v1/job-roles", json!({"name": "Rigger"}))
        .await?
        .json();
    w.post(
        &w.manager,
        "/api/v1/requirements",
        json!({"type_id": w.type_id("RIG").await?, "job_role_id": rigger["job_role_id"]}),
    )
    .await?;
    let r = w
        .app
        .authed(
            http::Method::PUT,
            &format!("/api/v1/workers/{a}/job-role"),
            &w.manager.session.access_token,
            Some(json!({"job_role_id": rigger["job_role_id"]})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = w.get(&w.manager, "/api/v1/readiness").await?.json();
    assert_eq!(r["overall"]["cleared"], 0);
    // The supervisor of crew A sees only crew A's numbers.
    let r = w.get(&w.supervisor_a, "/api/v1/readiness").await?.json();
    assert_eq!(r["overall"]["total"], 1);
    assert_eq!(r["crews"].as_array().map(Vec::len), Some(1));
    Ok(())
}
