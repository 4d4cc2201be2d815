//! Units of work: a transaction that writes and records what it does ([`Work`]), and one that
//! only reads ([`ReadTx`]).

use super::event::Resource;
use crate::error::AppError;
use attest_core::{Clock, OrgId, UserId};
use attest_store::Tx;
use attest_store::audit::{self, Actor, AuditAction, AuditEvent, Origin};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// A transaction that changes something, with the actor and origin its audit records name.
/// It derefs to the transaction, so the store's functions take it as `&mut Tx`. Dropping it
/// without committing rolls everything back.
#[derive(Debug)]
pub struct Work {
    tx: Tx,
    org: OrgId,
    actor: Actor,
    origin: Origin,
    clock: Arc<dyn Clock>,
    recorded: usize,
}

/// Why a unit of work commits without an audit record. Each is a change the ledger does not
/// record by design, named where it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unrecorded {
    /// The request changed nothing (the same value again, nothing new to adopt, a scan
    /// already recorded).
    NothingChanged,
    /// State made on first use, not by anyone's decision: a worker's badge pseudonym and
    /// status-list index, an organisation's first signing key.
    MadeOnFirstUse,
    /// A read on an audited path that showed nothing whose viewing is recorded (a credential
    /// without personal fields, or one's own).
    PlainRead,
    /// The first step of something recorded when it completes: a second factor's pending
    /// secret (recorded as `auth.mfa_enrolled` once confirmed), a sign-in waiting for its
    /// second factor (recorded as `auth.sign_in` once answered).
    Pending,
    /// The account flows' own bookkeeping, which the ledger records only where it leads
    /// somewhere (a sign-in, a refusal, a lock): an attempt claimed or released, failures
    /// cleared after a right password, an outdated password hash replaced, a refresh token
    /// rotated, a session ended because of a change already recorded (a suspension, a
    /// policy), a new verification link for an address not yet confirmed.
    Bookkeeping,
    /// The expiry job sent reminders and recorded no expiry: reminders are kept in their own
    /// record (once per credential, kind and offset), not in the ledger.
    RemindersOnly,
}

impl Work {
    pub(super) fn new(
        tx: Tx,
        org: OrgId,
        actor: Actor,
        origin: Origin,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            tx,
            org,
            actor,
            origin,
            clock,
            recorded: 0,
        }
    }

    /// Records `action` on `resource` (about `subject`) by the caller, in this transaction.
    pub async fn record(
        &mut self,
        action: AuditAction,
        resource: Resource,
        subject: Option<UserId>,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        let actor = self.actor.clone();
        self.record_as(actor, action, resource, subject, details)
            .await
    }

    /// Records `action` with `actor` named instead of the caller (an invitation sent on behalf
    /// of an import's operator, a refused attempt by nobody yet identified).
    pub(crate) async fn record_as(
        &mut self,
        actor: Actor,
        action: AuditAction,
        resource: Resource,
        subject: Option<UserId>,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        let event = AuditEvent {
            occurred_at: self.clock.now(),
            actor,
            action,
            resource_type: resource.kind,
            resource_id: resource.id,
            subject,
            origin: self.origin.clone(),
            details,
        };
        audit::append(&mut self.tx, self.org, &event).await?;
        self.recorded += 1;
        Ok(())
    }

    /// Commits the change and its audit records. A unit of work that recorded nothing is not
    /// committed: that is a bug (a change without its record), reported as an internal error,
    /// and everything it wrote is rolled back.
    pub async fn commit(self) -> Result<(), AppError> {
        if self.recorded == 0 {
            tracing::error!("a unit of work tried to commit without an audit record");
            return Err(AppError::internal(
                "a change was about to be committed without its audit record",
            ));
        }
        self.tx.commit().await?;
        Ok(())
    }

    /// Rolls everything back (as dropping it does), saying so.
    pub async fn rollback(self) -> Result<(), AppError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Commits a unit of work whose records depend on what the request changed: if it recorded
    /// nothing, that is because of `why` (an update that asked for what already stood).
    pub async fn commit_or(self, why: Unrecorded) -> Result<(), AppError> {
        if self.recorded == 0 {
            self.commit_unrecorded(why).await
        } else {
            self.commit().await
        }
    }

    /// Commits a unit of work that, by design, has nothing to record (see [`Unrecorded`]).
    pub async fn commit_unrecorded(self, why: Unrecorded) -> Result<(), AppError> {
        tracing::trace!(?why, records = self.recorded, "committing without a record");
        self.tx.commit().await?;
        Ok(())
    }
}

impl Deref for Work {
    type Target = Tx;

    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl DerefMut for Work {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

/// A read-only transaction (`BEGIN READ ONLY`): PostgreSQL refuses any write in it.
#[derive(Debug)]
pub struct ReadTx {
    tx: Tx,
}

impl ReadTx {
    pub(super) fn new(tx: Tx) -> Self {
        Self { tx }
    }

    /// Ends the transaction.
    pub async fn finish(self) -> Result<(), AppError> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl Deref for ReadTx {
    type Target = Tx;

    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl DerefMut for ReadTx {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::Unrecorded;
    use crate::audit::{Caller, Resource};
    use attest_core::{DisplayName, EmailAddress, OrgId, OrgSlug, Permission, Region};
    use attest_store::audit::AuditAction;
    use attest_store::job_roles;
    use attest_store::organisations::{self, NewOrganisation};
    use attest_testkit::{TestRegions, regions};

    async fn organisation() -> anyhow::Result<(TestRegions, OrgId)> {
        let t = regions().await?;
        let created = organisations::create(
            &t.regions,
            &NewOrganisation {
                slug: OrgSlug::parse("units")?,
                name: DisplayName::parse("Units of Work Ltd")?,
                region: Region::Na,
                admin_email: EmailAddress::parse("admin@units.example")?,
                admin_name: DisplayName::parse("Ada Admin")?,
                admin_password_hash:
                    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
            },
        )
        .await?;
        Ok((t, created.organisation.org_id))
    }

    fn job(org: OrgId) -> Caller<crate::audit::acting::System> {
        Caller::system(
            org,
            Region::Na,
            [Permission::CredentialsManage, Permission::OrgRead],
            time::OffsetDateTime::now_utc(),
        )
    }

    async fn count(t: &TestRegions, sql: &'static str) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(sql).fetch_one(&t.na.superuser).await?)
    }

    #[tokio::test]
    async fn a_change_without_its_record_is_refused_and_nothing_is_written() -> anyhow::Result<()> {
        let (t, org) = organisation().await?;
        let events_before = count(&t, "select count(*) from audit.events").await?;
        let mut work = job(org).write(&t.regions).await?;
        job_roles::create(&mut work, org, &DisplayName::parse("Rigger")?).await?;
        assert!(work.commit().await.is_err(), "committed without a record");
        assert_eq!(count(&t, "select count(*) from attest.job_roles").await?, 0);
        assert_eq!(
            count(&t, "select count(*) from audit.events").await?,
            events_before
        );

        let mut work = job(org).write(&t.regions).await?;
        let id = job_roles::create(&mut work, org, &DisplayName::parse("Rigger")?).await?;
        let resource = Resource {
            kind: "job_role",
            id: Some(id.to_string()),
        };
        work.record(
            AuditAction::JobRoleCreated,
            resource,
            None,
            serde_json::json!({}),
        )
        .await?;
        work.commit().await?;
        assert_eq!(count(&t, "select count(*) from attest.job_roles").await?, 1);
        assert_eq!(
            count(
                &t,
                "select count(*) from audit.events where action = 'job_role.created'"
            )
            .await?,
            1
        );

        // A named exception commits without a record.
        let mut work = job(org).write(&t.regions).await?;
        job_roles::create(&mut work, org, &DisplayName::parse("Scaffolder")?).await?;
        work.commit_unrecorded(Unrecorded::NothingChanged).await?;
        assert_eq!(count(&t, "select count(*) from attest.job_roles").await?, 2);
        Ok(())
    }

    #[tokio::test]
    async fn a_read_transaction_cannot_write() -> anyhow::Result<()> {
        let (t, org) = organisation().await?;
        let mut read = job(org).read(&t.regions).await?;
        let listed = job_roles::list(&mut read).await?;
        assert!(listed.is_empty());
        let refused = job_roles::create(&mut read, org, &DisplayName::parse("Rigger")?).await;
        let message = format!("{:?}", refused.err());
        assert!(
            message.contains("read-only transaction"),
            "an INSERT in a read transaction: {message}"
        );
        drop(read);
        assert_eq!(count(&t, "select count(*) from attest.job_roles").await?, 0);
        Ok(())
    }
}
