//! Anonymous analysis: no account needed; the text is analysed in memory and never stored —
//! checked by scanning every column of every table after a run (the same scan finds a stored
//! requisition's text, so it would see a leak) — only severity counts and the rule pack are
//! kept, and the purge deletes them once expired. Rate-limited per IP and size-limited.

use super::fixture::Team;
use http::{Method, StatusCode};
use serde_json::json;

/// Rows of any table, in any schema, whose text (every column, as the row's text form) or any
/// binary column contains `needle`.
async fn rows_containing(db: &sqlx::PgPool, needle: &str) -> anyhow::Result<Vec<String>> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "select table_schema::text, table_name::text from information_schema.tables
         where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
    )
    .fetch_all(db)
    .await?;
    assert!(tables.len() > 30, "the scan sees the schema: {tables:?}");
    let mut found = Vec::new();
    for (schema, table) in tables {
        let name = format!("\"{schema}\".\"{table}\"");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from {name} t where strpos(t::text, $1) > 0"
        )))
        .bind(needle)
        .fetch_one(db)
        .await?;
        if n > 0 {
            found.push(name.clone());
        }
        let binary: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns
             where table_schema = $1 and table_name = $2 and data_type = 'bytea'",
        )
        .bind(&schema)
        .bind(&table)
        .fetch_all(db)
        .await?;
        for column in binary {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select count(*) from {name} where position(convert_to($1, 'UTF8') in \"{column}\") > 0"
            )))
            .bind(needle)
            .fetch_one(db)
            .await?;
            if n > 0 {
                found.push(format!("{name}.{column}"));
            }
        }
    }
    Ok(found)
}

#[tokio::test]
async fn the_text_is_never_stored_and_the_counts_are_purged_when_they_expire() -> anyhow::Result<()>
{
    let t = Team::new().await?;
    let db = &t.app.db.na.superuser;
    let secret = "Quokka-Larkspur-7731 coordinator";
    let text = format!("{secret} wanted in Fresno. No felons. Native English speaker required.");
    let r = t
        .app
        .call(
            Method::POST,
            "/api/v1/public/analyze",
            Some(json!({"text": text, "fields": {"work_state": "CA"}})),
            &[],
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let report = r.json();
    assert_eq!(report["summary"]["high"], 2, "{report}");
    assert!(report["findings"].as_array().is_some_and(|f| f.len() == 2));
    assert!(
        report["disclaimer"]
            .as_str()
            .is_some_and(|d| d.contains("not legal advice"))
    );
    let expires: time::OffsetDateTime = time::OffsetDateTime::parse(
        report["expires_at"].as_str().unwrap_or_default(),
        &time::format_description::well_known::Rfc3339,
    )?;
    assert_eq!(expires, t.app.clock_now() + time::Duration::hours(24));

    // Nowhere in the database: not the marker, not a flagged phrase in its context.
    assert_eq!(
        rows_containing(db, "Quokka-Larkspur").await?,
        Vec::<String>::new()
    );
    assert_eq!(
        rows_containing(db, "wanted in Fresno").await?,
        Vec::<String>::new()
    );
    // The scan would see it: a stored requisition's text is found.
    t.submit(
        &t.author_a,
        "Stored",
        "Wombat-Heliotrope-4410 technician. No felons.",
        json!({}),
    )
    .await?;
    assert!(
        !rows_containing(db, "Wombat-Heliotrope").await?.is_empty(),
        "the scan finds stored text"
    );

    // Only the counts and the rule pack are kept, until they expire.
    let kept: Vec<(String, i32, i32, i32, i32)> = sqlx::query_as(
        "select rule_pack, high, medium, low, info from directory.anonymous_analyses",
    )
    .fetch_all(db)
    .await?;
    assert_eq!(
        kept,
        vec![(attest_reqiq::RULE_PACK_VERSION.to_owned(), 2, 0, 0, 0)]
    );
    let regions = &t.app.state.regions;
    let now = t.app.clock_now();
    assert_eq!(
        attest_server::run_anonymous_purge(regions, now + time::Duration::hours(23)).await,
        0
    );
    assert_eq!(attest_store::anonymous::kept(regions.primary()).await?, 1);
    assert_eq!(
        attest_server::run_anonymous_purge(regions, now + time::Duration::hours(24)).await,
        1
    );
    assert_eq!(attest_store::anonymous::kept(regions.primary()).await?, 0);
    Ok(())
}

#[tokio::test]
async fn anonymous_analysis_is_rate_limited_and_size_limited() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let call = |body: serde_json::Value| {
        t.app
            .call(Method::POST, "/api/v1/public/analyze", Some(body), &[])
    };
    let r = call(json!({"text": "x".repeat(50_001)})).await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["text"].is_string());
    let r = call(json!({"text": "é".repeat(330_000)})).await?;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = call(json!({"text": "Cashier.", "fields": {"work_state": "California"}})).await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = call(json!({"text": "Cashier.", "secret": 1})).await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The bucket: 5 at once (the refused ones above took tokens too), then 429.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            call(json!({"text": "Cashier. Must be under 40."}))
                .await?
                .status
                .as_u16(),
        );
    }
    let r = call(json!({"text": "Cashier."})).await?;
    assert_eq!(statuses, vec![200, 429, 429], "five tokens in the burst");
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error_code(), "rate_limited");
    assert!(!r.header("retry-after").is_empty());
    assert_eq!(
        attest_store::anonymous::kept(t.app.state.regions.primary()).await?,
        1,
        "refused calls keep nothing"
    );
    Ok(())
}
