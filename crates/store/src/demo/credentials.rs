//! The demo organisations' credentials: the starter types, job roles, site and job-role
//! requirements, and each worker's credentials with expiry dates relative to the day of seeding
//! (some valid, some expiring soon, some expired, one suspended), so the readiness dashboard
//! means something on first start.

use crate::audit::AuditAction;
use crate::audit::{self, Actor, AuditEvent, Origin};
use crate::credentials::{self, NewCredential, PersonalFields, Renewal};
use crate::requirements::{self, Target};
use crate::{AccessContext, StoreError, begin, credential_types, job_roles};
use attest_core::{BuiltinRole, CredentialState, DisplayName, OrgId, SiteId, UserId};
use attest_crypto::KeyEncryptionKey;
use sqlx::PgPool;
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// One demo credential: whose, which type, days from seeding until it expires (negative:
/// expired), the issuer, and a suspension reason.
pub(crate) type DemoCredential = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
);

/// What the credentials part of a demo organisation holds.
pub(crate) struct DemoCredentials {
    /// (job role, required type codes, holders)
    pub(crate) job_roles: &'static [(
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    )],
    /// (site, required type codes)
    pub(crate) sites: &'static [(&'static str, &'static [&'static str])],
    pub(crate) credentials: &'static [DemoCredential],
}

/// The people, sites and manager the credentials refer to.
pub(crate) struct Seeded<'a> {
    pub(crate) org_id: OrgId,
    pub(crate) manager: UserId,
    pub(crate) people: &'a BTreeMap<&'a str, UserId>,
    pub(crate) sites: &'a BTreeMap<&'a str, SiteId>,
}

pub(crate) async fn seed(
    pool: &PgPool,
    kek: &dyn KeyEncryptionKey,
    demo: &DemoCredentials,
    at: &Seeded<'_>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let context = AccessContext {
        org_id: at.org_id,
        user_id: Some(at.manager),
        permissions: BuiltinRole::HseManager.permissions(),
    };
    let org_id = at.org_id;
    let mut tx = begin(pool, &context).await?;
    let starters: Vec<_> = attest_core::STARTER_CATALOGUE.iter().collect();
    credential_types::adopt(&mut tx, org_id, &starters).await?;
    let types: BTreeMap<String, _> = credential_types::list(&mut tx)
        .await?
        .into_iter()
        .map(|t| (t.code.clone(), t))
        .collect();
    let type_of = |code: &str| types.get(code).ok_or(StoreError::NotFound);
    for (name, required, holders) in demo.job_roles {
        let role = job_roles::create(&mut tx, org_id, &display(name)?).await?;
        for code in *required {
            requirements::add(
                &mut tx,
                org_id,
                type_of(code)?.type_id,
                Target::JobRole(role),
            )
            .await?;
        }
        for holder in *holders {
            if let Some(user) = at.people.get(holder) {
                job_roles::assign(&mut tx, org_id, *user, Some(role)).await?;
            }
        }
    }
    for (site, required) in demo.sites {
        let Some(site) = at.sites.get(site) else {
            continue;
        };
        for code in *required {
            requirements::add(&mut tx, org_id, type_of(code)?.type_id, Target::Site(*site)).await?;
        }
    }
    let today = now.date();
    for (i, (person, code, expires_in, issuer, suspended)) in demo.credentials.iter().enumerate() {
        let Some(user) = at.people.get(person).copied() else {
            continue;
        };
        let kind = type_of(code)?;
        let months = i64::from(kind.validity_months.unwrap_or(36));
        let expires_on = today + Duration::days(*expires_in);
        let new = NewCredential {
            user_id: user,
            type_id: kind.type_id,
            renewal: Renewal {
                issuer: (*issuer).to_owned(),
                issued_on: expires_on - Duration::days(months * 365 / 12),
                expires_on: Some(expires_on),
                personal: PersonalFields {
                    number: Some(format!("{code}-{:05}", 10_417 + i * 389)),
                    notes: None,
                    evidence_id: None,
                },
            },
        };
        let id = credentials::add(&mut tx, kek, org_id, Some(at.manager), &new).await?;
        let record = |action, details| AuditEvent {
            occurred_at: now,
            actor: Actor::System,
            action,
            resource_type: "credential",
            resource_id: Some(id.to_string()),
            subject: Some(user),
            origin: Origin::default(),
            details,
        };
        audit::append(
            &mut tx,
            org_id,
            &record(
                AuditAction::CredentialAdded,
                serde_json::json!({ "seed": "demo", "type": code }),
            ),
        )
        .await?;
        if let Some(reason) = suspended {
            credentials::set_state(&mut tx, id, CredentialState::Suspended, Some(reason), now)
                .await?;
            audit::append(
                &mut tx,
                org_id,
                &record(
                    AuditAction::CredentialSuspended,
                    serde_json::json!({ "seed": "demo", "type": code, "reason": reason }),
                ),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

fn display(name: &str) -> Result<DisplayName, StoreError> {
    DisplayName::parse(name).map_err(|_| StoreError::Inconsistent(format!("demo name {name:?}")))
}
