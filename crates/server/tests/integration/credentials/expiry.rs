//! The expiry job with an injected clock: reminders at the offsets, once each; expiry recorded
//! once and escalated to the HSE manager.

use super::fixture::Workforce;
use attest_server::{ExpiryRun, run_expiry};
use serde_json::json;
use time::{Duration, OffsetDateTime};

const WORKER: &str = "liam@acme.example";
const SUPERVISOR: &str = "sam@acme.example";
const MANAGER: &str = "hana@acme.example";

async fn credential_mail(w: &Workforce, to: &str) -> anyhow::Result<Vec<String>> {
    Ok(w.app
        .mail_kinds(to)
        .await?
        .into_iter()
        .filter(|k| k.starts_with("credential_"))
        .collect())
}

#[tokio::test]
async fn reminders_go_out_at_30_7_and_0_days_once_each_then_expiry_escalates() -> anyhow::Result<()>
{
    let w = Workforce::new().await?;
    let start = w.app.clock_now();
    let expires = start.date() + Duration::days(40);
    let cred = w
        .add_credential(w.worker_a.id, "WAH", json!({"issuer": "IHSA", "issued_on": (start.date() - Duration::days(1000)).to_string(), "expires_on": expires.to_string()}))
        .await?;
    let day = |n: i64| -> OffsetDateTime { start + Duration::days(n) };
    let regions = &w.app.state.regions;
    let run = |at| run_expiry(regions, at);

    // 40 days out: nothing is due.
    assert_eq!(run(day(0)).await, ExpiryRun::default());
    // 30 days out: the worker and their supervisor hear of it; the manager does not.
    let first = run(day(10)).await;
    assert_eq!((first.reminders, first.mails), (1, 2));
    assert_eq!(credential_mail(&w, WORKER).await?, ["credential_expiring"]);
    assert_eq!(
        credential_mail(&w, SUPERVISOR).await?,
        ["credential_expiring"]
    );
    assert!(credential_mail(&w, MANAGER).await?.is_empty());
    // The same day again, and the days after: nothing twice.
    assert_eq!(run(day(10)).await, ExpiryRun::default());
    assert_eq!(run(day(20)).await, ExpiryRun::default());
    // 7 days out, then on the day.
    assert_eq!(run(day(33)).await.reminders, 1);
    assert_eq!(run(day(35)).await, ExpiryRun::default());
    assert_eq!(run(day(40)).await.reminders, 1);
    assert_eq!(credential_mail(&w, WORKER).await?.len(), 3);
    let (subject, body) = w.app.last_mail(WORKER).await?;
    assert!(subject.contains("expires today"), "{subject}");
    assert!(body.contains("Working at Heights"), "{body}");
    // The day after: expired, recorded once, and the manager is told too.
    let expired = run(day(41)).await;
    assert_eq!(
        (expired.expired, expired.reminders, expired.mails),
        (1, 1, 3)
    );
    assert_eq!(credential_mail(&w, MANAGER).await?, ["credential_expired"]);
    assert_eq!(run(day(42)).await, ExpiryRun::default());
    assert_eq!(run(day(100)).await, ExpiryRun::default());
    let recorded: i64 = sqlx::query_scalar("select count(*) from audit.events where action = 'credential.expired' and resource_id = $1")
        .bind(cred.to_string())
        .fetch_one(&w.app.db.na.superuser)
        .await?;
    assert_eq!(recorded, 1);
    assert_eq!(
        credential_mail(&w, WORKER).await?,
        [
            "credential_expiring",
            "credential_expiring",
            "credential_expiring",
            "credential_expired"
        ]
    );

    // A renewal is a new version: its reminders start again.
    w.post(&w.manager, &format!("/api/v1/credentials/{cred}/renewals"), json!({"issuer": "IHSA", "issued_on": day(41).date().to_string(), "expires_on": (day(41).date() + Duration::days(5)).to_string()})).await?;
    // Five days left: one reminder (the 7-day one), not the 30-day one as well.
    let renewed = run(day(41)).await;
    assert_eq!(renewed.reminders, 1);
    assert_eq!(run(day(42)).await, ExpiryRun::default());
    Ok(())
}

#[tokio::test]
async fn suspended_credentials_and_those_without_expiry_get_no_reminders() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let start = w.app.clock_now();
    let soon = (start.date() + Duration::days(3)).to_string();
    let cred = w
        .add_credential(
            w.worker_a.id,
            "FACPR",
            json!({"issuer": "Red Cross", "issued_on": "2025-01-01", "expires_on": soon}),
        )
        .await?;
    w.add_credential(
        w.worker_a.id,
        "OSHA10",
        json!({"issuer": "OSHA", "issued_on": "2025-01-01", "no_expiry": true}),
    )
    .await?;
    w.post(
        &w.manager,
        &format!("/api/v1/credentials/{cred}/suspend"),
        json!({"reason": "Under review"}),
    )
    .await?;
    assert_eq!(
        run_expiry(&w.app.state.regions, start + Duration::days(10)).await,
        ExpiryRun::default()
    );
    Ok(())
}

#[tokio::test]
async fn the_organisations_own_offsets_and_window_apply() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let defaults = w
        .get(&w.worker_a, "/api/v1/credential-settings")
        .await?
        .json();
    assert_eq!(
        defaults,
        json!({"expiring_window_days": 30, "reminder_offsets_days": [30, 7, 0]})
    );
    let path = "/api/v1/credential-settings";
    let body = json!({"expiring_window_days": 60, "reminder_offsets_days": [0, 14, 14]});
    let r = w
        .app
        .authed(
            http::Method::PUT,
            path,
            &w.supervisor_a.session.access_token,
            Some(body.clone()),
        )
        .await?;
    assert_eq!(r.status, http::StatusCode::FORBIDDEN);
    let r = w
        .app
        .authed(
            http::Method::PUT,
            path,
            &w.manager.session.access_token,
            Some(json!({"expiring_window_days": 0, "reminder_offsets_days": [400]})),
        )
        .await?;
    assert_eq!(r.status, http::StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json()["fields"].clone();
    assert!(
        fields["expiring_window_days"].is_string() && fields["reminder_offsets_days"].is_string(),
        "{fields}"
    );
    let r = w
        .app
        .authed(
            http::Method::PUT,
            path,
            &w.manager.session.access_token,
            Some(body),
        )
        .await?;
    assert_eq!(
        r.json(),
        json!({"expiring_window_days": 60, "reminder_offsets_days": [14, 0]})
    );

    // 50 days left: "expiring" under a 60-day window.
    let start = w.app.clock_now();
    let expires = start.date() + Duration::days(50);
    let cred = w
        .add_credential(
            w.worker_a.id,
            "WAH",
            json!({"issuer": "IHSA", "issued_on": "2025-01-01", "expires_on": expires.to_string()}),
        )
        .await?;
    let view = w
        .get(&w.manager, &format!("/api/v1/credentials/{cred}"))
        .await?
        .json();
    assert_eq!(view["status"], "expiring");
    // No 30-day reminder any more: the first is at 14 days.
    let regions = &w.app.state.regions;
    assert_eq!(
        run_expiry(regions, start + Duration::days(20)).await,
        ExpiryRun::default()
    );
    assert_eq!(
        run_expiry(regions, start + Duration::days(36))
            .await
            .reminders,
        1
    );
    assert_eq!(
        run_expiry(regions, start + Duration::days(40)).await,
        ExpiryRun::default()
    );
    assert_eq!(
        run_expiry(regions, start + Duration::days(50))
            .await
            .reminders,
        1
    );
    Ok(())
}
