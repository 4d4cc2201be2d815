//! The expiry job: daily (it runs hourly and is idempotent), in every organisation, it records
//! each credential that has expired (`credential.expired`, once per expiry date) and sends
//! reminders through the outbox — before expiry at the organisation's offsets (default 30, 7
//! and 0 days) to the worker and their supervisors; once expired, to the HSE managers as well.
//! A reminder is recorded with the mail in one transaction, so none goes out twice.

use crate::audit::{Caller, Resource, Unrecorded, Work};
use crate::error::AppError;
use crate::mail::messages;
use attest_core::{Clock, OrgId, Permission, Region};
use attest_store::audit::AuditAction;
use attest_store::expiry::{self, Expiring, Reminder, Schedule};
use attest_store::{Regions, StoreError, Tx, organisations, outbox};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{Notify, watch};

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryRun {
    /// Credentials newly recorded as expired.
    pub expired: u64,
    /// Reminders (and escalations) sent.
    pub reminders: u64,
    /// Mails queued.
    pub mails: u64,
}

impl ExpiryRun {
    fn add(&mut self, other: ExpiryRun) {
        self.expired += other.expired;
        self.reminders += other.reminders;
        self.mails += other.mails;
    }
}

/// Runs the job once, in every region and organisation, as of `now`. An organisation that fails
/// is logged and skipped.
pub async fn run_expiry(regions: &Regions, now: OffsetDateTime) -> ExpiryRun {
    let mut total = ExpiryRun::default();
    for region in regions.regions() {
        let Ok(pool) = regions.pool(region) else {
            continue;
        };
        let schedules = match expiry::schedules(pool).await {
            Ok(s) => s,
            Err(error) => {
                tracing::error!(%region, %error, "expiry job: listing organisations failed");
                continue;
            }
        };
        for schedule in schedules {
            match run_organisation(regions, region, &schedule, now).await {
                Ok(run) => total.add(run),
                Err(error) => {
                    tracing::error!(org_id = %schedule.org_id, %error, "expiry job failed for an organisation")
                }
            }
        }
    }
    total
}

/// Runs every hour until `stop` says so, waking the mail worker when it queued mail.
pub async fn run_expiry_schedule(
    regions: Regions,
    clock: Arc<dyn Clock>,
    mail_queued: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let run = run_expiry(&regions, clock.now()).await;
        if run.mails > 0 {
            mail_queued.notify_one();
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// What the job may do in an organisation: read its credentials and people, record expiries
/// and reminders.
const PERMISSIONS: [Permission; 5] = [
    Permission::CredentialsReadOrg,
    Permission::CredentialsManage,
    Permission::PeopleReadOrg,
    Permission::CrewsRead,
    Permission::OrgRead,
];

async fn run_organisation(
    regions: &Regions,
    region: Region,
    schedule: &Schedule,
    now: OffsetDateTime,
) -> Result<ExpiryRun, AppError> {
    let org_id = schedule.org_id;
    let caller = Caller::system(org_id, region, PERMISSIONS, now);
    let mut tx = caller.write(regions).await?;
    let today = now.date();
    let horizon = schedule.offsets.iter().copied().max().unwrap_or(0).max(0);
    let due = expiry::expiring(&mut tx, today + time::Duration::days(i64::from(horizon))).await?;
    let organisation = organisations::current(&mut tx).await?.name;
    let mut run = ExpiryRun::default();
    for item in &due {
        let days_left = (item.expires_on - today).whole_days();
        if days_left < 0 {
            if !item.expiry_recorded {
                expiry::record_expiry(&mut tx, item.credential_id, item.expires_on).await?;
                record_expired(&mut tx, item).await?;
                run.expired += 1;
            }
            if !sent(item, "escalation", 0) {
                run.mails += notify(
                    &mut tx,
                    org_id,
                    item,
                    ("escalation", 0),
                    days_left,
                    &organisation,
                    now,
                )
                .await?;
                run.reminders += 1;
            }
        } else if let Some(offset) = schedule
            .offsets
            .iter()
            .copied()
            .filter(|o| i64::from(*o) >= days_left)
            .min()
            && !sent(item, "reminder", offset)
        {
            run.mails += notify(
                &mut tx,
                org_id,
                item,
                ("reminder", offset),
                days_left,
                &organisation,
                now,
            )
            .await?;
            run.reminders += 1;
        }
    }
    match (run.expired, run.reminders) {
        (0, 0) => tx.commit_unrecorded(Unrecorded::NothingChanged).await?,
        (0, _) => tx.commit_unrecorded(Unrecorded::RemindersOnly).await?,
        _ => tx.commit().await?,
    }
    Ok(run)
}

fn sent(item: &Expiring, kind: &str, offset: i32) -> bool {
    item.sent.iter().any(|(k, o)| k == kind && *o == offset)
}

async fn record_expired(tx: &mut Work, item: &Expiring) -> Result<(), AppError> {
    let resource = Resource {
        kind: "credential",
        id: Some(item.credential_id.to_string()),
    };
    let details = serde_json::json!({ "type": item.type_name, "expires_on": item.expires_on.to_string(), "version": item.version });
    tx.record(
        AuditAction::CredentialExpired,
        resource,
        Some(item.user_id),
        details,
    )
    .await
}

/// Queues the mails of one reminder and records it; returns how many mails.
async fn notify(
    tx: &mut Tx,
    org_id: OrgId,
    item: &Expiring,
    (kind, offset): (&'static str, i32),
    days_left: i64,
    organisation: &str,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let escalation = kind == "escalation";
    let people = expiry::recipients(tx, item.user_id, escalation).await?;
    let worker = people
        .iter()
        .find(|p| p.user_id == item.user_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let reminder = Reminder {
        credential_id: item.credential_id,
        version: item.version,
        kind,
        offset_days: offset,
        recipients: i32::try_from(people.len()).unwrap_or(i32::MAX),
    };
    if !expiry::record_reminder(tx, org_id, &reminder, now).await? {
        return Ok(0);
    }
    for person in &people {
        let about = messages::CredentialNotice {
            to: &person.email,
            name: &person.name,
            worker: &worker,
            own: person.user_id == item.user_id,
            credential: &item.type_name,
            expires_on: item.expires_on,
            days_left,
            organisation,
        };
        let mail = if escalation {
            messages::credential_expired(&about)
        } else {
            messages::credential_expiring(&about)
        };
        outbox::enqueue(tx, org_id, &mail, now).await?;
    }
    Ok(people.len() as u64)
}
