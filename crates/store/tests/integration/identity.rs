//! Accounts, email tokens and second factors at the database layer.

use crate::fixture::org;
use attest_core::{PermissionSet, Region};
use attest_store::accounts::{self, Failure, LockPolicy};
use attest_store::email_tokens::{self, Consumed, Purpose};
use attest_store::{AccessContext, begin, mfa};
use attest_testkit::regions;
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn failures_slow_down_then_lock_and_clearing_unlocks() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let person = o.crewmate;
    let context = AccessContext {
        org_id: o.org_id,
        user_id: Some(person),
        permissions: PermissionSet::empty(),
    };
    let now = OffsetDateTime::now_utc();
    let mut tx = begin(&t.na.app, &context).await?;
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        outcomes.push(
            accounts::record_failure(&mut tx, o.org_id, person, now, LockPolicy::default()).await?,
        );
    }
    let delays: Vec<_> = outcomes[..4]
        .iter()
        .map(|f| match f {
            Failure::Delayed(at) => (*at - now).whole_seconds(),
            Failure::Locked(_) => -1,
        })
        .collect();
    assert_eq!(delays, [1, 2, 4, 8]);
    assert_eq!(outcomes[4], Failure::Locked(now + Duration::minutes(15)));
    let account = accounts::load(&mut tx, person).await?.expect("account");
    assert!(account.is_blocked(now + Duration::minutes(14)));
    assert!(!account.is_blocked(now + Duration::minutes(16)));
    assert!(
        accounts::clear_failures(&mut tx, person, now).await?,
        "it was locked"
    );
    assert!(
        !accounts::load(&mut tx, person)
            .await?
            .expect("account")
            .is_blocked(now)
    );
    Ok(())
}

#[tokio::test]
async fn an_email_token_works_once_before_it_expires_and_for_its_purpose_only() -> anyhow::Result<()>
{
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let person = o.crewmate;
    let context = AccessContext {
        org_id: o.org_id,
        user_id: Some(person),
        permissions: PermissionSet::empty(),
    };
    let now = OffsetDateTime::now_utc();
    let mut tx = begin(&t.na.app, &context).await?;
    let id = email_tokens::create(
        &mut tx,
        o.org_id,
        person,
        Purpose::ResetPassword,
        None,
        now,
        Duration::hours(1),
    )
    .await?;
    assert_eq!(
        email_tokens::consume(&mut tx, person, id, Purpose::VerifyEmail, now).await?,
        Consumed::Invalid,
        "other purpose"
    );
    assert_eq!(
        email_tokens::consume(
            &mut tx,
            person,
            id,
            Purpose::ResetPassword,
            now + Duration::hours(2)
        )
        .await?,
        Consumed::Invalid,
        "expired"
    );
    assert_eq!(
        email_tokens::consume(&mut tx, person, id, Purpose::ResetPassword, now).await?,
        Consumed::Valid { new_email: None }
    );
    assert_eq!(
        email_tokens::consume(&mut tx, person, id, Purpose::ResetPassword, now).await?,
        Consumed::Invalid,
        "used"
    );
    Ok(())
}

#[tokio::test]
async fn a_totp_step_is_accepted_once_and_recovery_codes_once() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let person = o.crewmate;
    let context = AccessContext {
        org_id: o.org_id,
        user_id: Some(person),
        permissions: PermissionSet::empty(),
    };
    let now = OffsetDateTime::now_utc();
    let mut tx = begin(&t.na.app, &context).await?;
    assert!(mfa::start_enrolment(&mut tx, o.org_id, person, b"sealed", now).await?);
    assert!(mfa::accept_step(&mut tx, person, 100).await?);
    assert!(
        !mfa::accept_step(&mut tx, person, 100).await?,
        "the same step again"
    );
    assert!(
        !mfa::accept_step(&mut tx, person, 99).await?,
        "an older step"
    );
    assert!(mfa::accept_step(&mut tx, person, 101).await?);
    mfa::confirm(&mut tx, o.org_id, person, &[[7; 32], [8; 32]], now).await?;
    assert!(
        !mfa::start_enrolment(&mut tx, o.org_id, person, b"other", now).await?,
        "confirmed: not replaced"
    );
    assert!(mfa::use_recovery_code(&mut tx, person, &[7; 32], now).await?);
    assert!(!mfa::use_recovery_code(&mut tx, person, &[7; 32], now).await?);
    assert_eq!(mfa::recovery_codes_left(&mut tx, person).await?, 1);
    assert!(
        accounts::load(&mut tx, person)
            .await?
            .expect("account")
            .mfa_enabled
    );
    Ok(())
}
