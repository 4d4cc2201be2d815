//! Attempts at an account's secrets, signing in and re-authenticating alike. Every attempt is
//! claimed first, in one statement that also tests the lock and the delay, so concurrent
//! attempts are judged one after another, each against the outcome of the one before (a lock
//! or a delay it set refuses the rest). A password is
//! hashed with no database connection held (the claim and the outcome are short transactions
//! of their own), so a queue of password checks never starves the pool. Every wrong attempt
//! counts toward the account's progressive lockout, is audited, and at the limit locks the
//! account and mails its owner.

use crate::audit::{Caller, OwnAccount, Resource, Unrecorded, Work};
use crate::auth::RequestMeta;
use crate::auth::flows::as_account;
use crate::error::AppError;
use crate::mail::messages;
use crate::state::AppState;
use attest_store::accounts::{self, Account, Failure};
use attest_store::audit::{Actor, AuditAction};
use attest_store::organisations::Organisation;
use attest_store::{Tx, outbox};
use secrecy::SecretString;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

/// How long an attempt waits for another check of the same account to end.
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// How often it looks.
const WAIT_STEP: std::time::Duration = std::time::Duration::from_millis(25);

/// What checking a secret found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Right,
    Wrong,
    /// Not evaluated: the account is locked, waiting out a delay, or another attempt at it is
    /// under way.
    Blocked,
}

/// One attempt at an account's password or second factor.
pub(crate) struct Attempt<'a> {
    pub(crate) state: &'a AppState,
    pub(crate) organisation: &'a Organisation,
    pub(crate) account: &'a Account,
    /// Acting on the account: who tries (nobody yet when signing in, the signed-in member
    /// re-authenticating), from where.
    caller: Caller<OwnAccount>,
    /// The event a refused attempt records: `auth.sign_in_failed` or
    /// `auth.reauthentication_failed`.
    failure_event: AuditAction,
    /// What a re-authentication was for (recorded with a refusal).
    purpose: Option<&'static str>,
}

impl<'a> Attempt<'a> {
    /// Signing in (a password or a second factor): nobody is signed in yet, and a refusal is
    /// recorded as `auth.sign_in_failed`.
    pub(crate) fn signing_in(
        state: &'a AppState,
        organisation: &'a Organisation,
        account: &'a Account,
        meta: &RequestMeta,
    ) -> Self {
        Self {
            state,
            organisation,
            account,
            caller: as_account(state, (organisation, account.user_id), meta),
            failure_event: AuditAction::AuthSignInFailed,
            purpose: None,
        }
    }

    /// The signed-in member (`actor`) re-authenticating before a sensitive change (`purpose`):
    /// a refusal is recorded as `auth.reauthentication_failed`, naming them.
    pub(crate) fn reauthenticating(
        state: &'a AppState,
        organisation: &'a Organisation,
        account: &'a Account,
        meta: &RequestMeta,
        actor: Actor,
        purpose: &'static str,
    ) -> Self {
        let signing_in = Self::signing_in(state, organisation, account, meta);
        Self {
            caller: signing_in.caller.naming(actor),
            failure_event: AuditAction::AuthReauthenticationFailed,
            purpose: Some(purpose),
            ..signing_in
        }
    }

    /// Acting on the account itself, for the attempt's own transactions.
    pub(crate) fn caller(&self) -> &Caller<OwnAccount> {
        &self.caller
    }

    /// A transaction as the account itself.
    async fn tx(&self) -> Result<Work, AppError> {
        self.caller.write(self.state).await
    }

    /// Checks `password`: claims the attempt (a short transaction), hashes with no connection
    /// held, then records the outcome (another). A blocked attempt still costs a hash, so the
    /// answer's timing says nothing.
    pub(crate) async fn check_password(&self, password: SecretString) -> Result<Verdict, AppError> {
        let state = self.state;
        let Some(hash) = self.account.password_hash.clone() else {
            state.passwords.verify_dummy(password).await?;
            return Ok(Verdict::Wrong);
        };
        if !self.claim_waiting().await? {
            state.passwords.verify_dummy(password).await?;
            let mut tx = self.tx().await?;
            self.refused(&mut tx, "locked_or_delayed").await?;
            tx.commit().await?;
            return Ok(Verdict::Blocked);
        }
        let right = match state.passwords.verify(password, hash).await {
            Ok(right) => right,
            Err(error) => {
                // No verdict (the hashing pool is full): give the claim back.
                let mut tx = self.tx().await?;
                accounts::release_password_check(&mut tx, self.account.user_id).await?;
                tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
                return Err(error);
            }
        };
        let mut tx = self.tx().await?;
        if right {
            accounts::clear_failures(&mut tx, self.account.user_id, state.clock.now()).await?;
            tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
            Ok(Verdict::Right)
        } else {
            self.count_failure(&mut tx, "wrong_password").await?;
            tx.commit().await?;
            Ok(Verdict::Wrong)
        }
    }

    /// Claims the account's password check. While another check of it is under way (the same
    /// person signing in on two devices, a double submit), waits for that one's outcome, holding
    /// no connection, then tries again: so every attempt is judged after the one before it, and
    /// a right password is not refused for arriving second. `false` when the account is locked
    /// or delayed, or the other check outlasts [`MAX_WAIT`].
    async fn claim_waiting(&self) -> Result<bool, AppError> {
        let started = std::time::Instant::now();
        loop {
            let mut tx = self.tx().await?;
            let now = self.state.clock.now();
            let user = self.account.user_id;
            let claimed =
                accounts::claim_password_check(&mut tx, self.organisation.org_id, user, now)
                    .await?;
            let wait = !claimed
                && started.elapsed() < MAX_WAIT
                && accounts::check_under_way(&mut tx, user, now).await?;
            tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
            if !wait {
                return Ok(claimed);
            }
            tokio::time::sleep(WAIT_STEP).await;
        }
    }

    /// Claims an attempt at the second factor inside `tx`: the claim's row lock holds until
    /// `tx` ends, so a concurrent attempt waits, then finds the outcome (a delay after a wrong
    /// code) and is refused.
    pub(crate) async fn claim_in(&self, tx: &mut Tx) -> Result<bool, AppError> {
        Ok(accounts::claim_password_check(
            tx,
            self.organisation.org_id,
            self.account.user_id,
            self.state.clock.now(),
        )
        .await?)
    }

    /// Records an attempt that was not evaluated (it did not count against the account), in
    /// `tx`, naming who tried.
    pub(crate) async fn refused(&self, tx: &mut Work, reason: &str) -> Result<(), AppError> {
        let details = match self.purpose {
            Some(purpose) => json!({ "reason": reason, "purpose": purpose }),
            None => json!({ "reason": reason }),
        };
        tx.record_as(
            self.caller.actor.clone(),
            self.failure_event,
            Resource::account(self.account.user_id),
            Some(self.account.user_id),
            details,
        )
        .await
    }

    /// Counts a wrong attempt: slows the next one down, and locks the account at the limit,
    /// telling its owner by email.
    pub(crate) async fn count_failure(&self, tx: &mut Work, reason: &str) -> Result<(), AppError> {
        let state = self.state;
        let now = state.clock.now();
        let outcome = accounts::record_failure(
            tx,
            self.organisation.org_id,
            self.account.user_id,
            now,
            state.settings.lock_policy,
        )
        .await?;
        self.refused(tx, reason).await?;
        if let Failure::Locked(until) = outcome {
            tx.record_as(
                Actor::System,
                AuditAction::AuthAccountLocked,
                Resource::account(self.account.user_id),
                Some(self.account.user_id),
                json!({ "locked_until": until.format(&Rfc3339).unwrap_or_default() }),
            )
            .await?;
            let until = until.format(&Rfc3339).unwrap_or_default();
            let account = self.account;
            outbox::enqueue(
                tx,
                self.organisation.org_id,
                &messages::account_locked(&account.email, &account.display_name, &until),
                now,
            )
            .await?;
            state.mail_queued.notify_one();
        }
        Ok(())
    }
}
