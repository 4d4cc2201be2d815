//! Steps the unauthenticated flows share: finding an account from an organisation and an email,
//! acting as that account, sending links by email, refusing credentials uniformly.

use crate::audit::{Caller, OwnAccount, Work};
use crate::auth::{EmailLinkClaims, MfaClaims, RefreshCookie, RequestMeta};
use crate::error::AppError;
use crate::state::AppState;
use attest_core::{EmailAddress, OrgId, OrgSlug, Region, UserId};
use attest_crypto::Audience;
use attest_store::email_tokens::{self, Purpose};
use attest_store::organisations::{self, Organisation};
use attest_store::{Tx, accounts, directory};
use http::StatusCode;
use std::sync::Arc;

/// The one answer to a failed sign-in, whatever failed: unknown organisation, unknown address,
/// wrong password, or a locked or slowed-down account.
pub(crate) fn invalid_credentials() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "The organisation, email address or password is not right. After several failed attempts an \
         account is locked for 15 minutes, and its owner is told by email.",
    )
}

pub(crate) fn invalid_link() -> AppError {
    AppError::client(
        StatusCode::BAD_REQUEST,
        "invalid_link",
        "This link is not valid: it may have been used already or have expired. Ask for a new one.",
    )
}

/// Runs `work` after the answer is sent: for the requests whose answer must not say, by its
/// content or its timing, whether an account exists (a reset link, a new verification link).
/// A failure is logged (without personal data), never shown.
pub(crate) fn after_answering(
    what: &'static str,
    work: impl Future<Output = Result<(), AppError>> + Send + 'static,
) {
    tokio::spawn(async move {
        if let Err(error) = work.await {
            tracing::error!(%error, "{what} failed after its answer");
        }
    });
}

/// The organisation and account for a slug and an email address, if both exist.
pub(crate) async fn find_account(
    state: &AppState,
    slug: &OrgSlug,
    email: &EmailAddress,
) -> Result<Option<(Organisation, UserId)>, AppError> {
    let Some(region) = directory::lookup(state.regions.primary(), slug).await? else {
        return Ok(None);
    };
    let Ok(pool) = state.regions.pool(region) else {
        return Ok(None);
    };
    let Some(organisation) = organisations::resolve(pool, slug).await? else {
        return Ok(None);
    };
    let user = accounts::find_by_email(pool, organisation.org_id, email.as_str()).await?;
    Ok(user.map(|user| (organisation, user)))
}

/// An account and where it lives: what a second-factor step, an emailed link and a refresh
/// cookie name, or an organisation and one of its accounts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountAt {
    region: Region,
    org: OrgId,
    user: UserId,
}

impl From<&MfaClaims> for AccountAt {
    fn from(c: &MfaClaims) -> Self {
        Self {
            region: c.rgn,
            org: c.org.into(),
            user: c.sub.into(),
        }
    }
}

impl From<&EmailLinkClaims> for AccountAt {
    fn from(c: &EmailLinkClaims) -> Self {
        Self {
            region: c.rgn,
            org: c.org.into(),
            user: c.sub.into(),
        }
    }
}

impl From<&RefreshCookie> for AccountAt {
    fn from(c: &RefreshCookie) -> Self {
        Self {
            region: c.region,
            org: c.org_id,
            user: c.user_id,
        }
    }
}

impl From<(&Organisation, UserId)> for AccountAt {
    fn from((organisation, user): (&Organisation, UserId)) -> Self {
        Self {
            region: organisation.region,
            org: organisation.org_id,
            user,
        }
    }
}

/// Acting on an account of one's own, in the request described by `meta`: its transactions see
/// the account's own rows only (no role permissions yet).
pub(crate) fn as_account(
    state: &AppState,
    at: impl Into<AccountAt>,
    meta: &RequestMeta,
) -> Caller<OwnAccount> {
    let at = at.into();
    Caller::own_account(at.org, at.region, at.user, meta, Arc::clone(&state.clock))
}

/// How long each kind of link works.
pub(crate) fn link_lifetime(purpose: Purpose) -> time::Duration {
    match purpose {
        Purpose::VerifyEmail => time::Duration::hours(48),
        Purpose::ResetPassword => time::Duration::hours(1),
        Purpose::Invitation => time::Duration::days(7),
        Purpose::ChangeEmail => time::Duration::hours(24),
    }
}

fn audience(purpose: Purpose) -> Audience {
    match purpose {
        Purpose::VerifyEmail => Audience::VerifyEmail,
        Purpose::ResetPassword => Audience::ResetPassword,
        Purpose::Invitation => Audience::Invitation,
        Purpose::ChangeEmail => Audience::ChangeEmail,
    }
}

fn page(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::VerifyEmail => "verify-email",
        Purpose::ResetPassword => "reset-password",
        Purpose::Invitation => "accept-invitation",
        Purpose::ChangeEmail => "confirm-email",
    }
}

/// What signing an email link needs: the token keys, where users reach Attest, and the time.
#[derive(Debug, Clone, Copy)]
pub struct Links<'a> {
    pub tokens: &'a attest_crypto::TokenKeys,
    pub public_url: &'a str,
    pub now: time::OffsetDateTime,
}

impl Links<'_> {
    /// Records a single-use token for `purpose` and returns the signed link to the page that
    /// uses it.
    pub(crate) async fn make(
        &self,
        tx: &mut Tx,
        organisation: &Organisation,
        user: UserId,
        purpose: Purpose,
        new_email: Option<&str>,
    ) -> Result<String, AppError> {
        let ttl = link_lifetime(purpose);
        let token_id = email_tokens::create(
            tx,
            organisation.org_id,
            user,
            purpose,
            new_email,
            self.now,
            ttl,
        )
        .await?;
        let claims = EmailLinkClaims {
            sub: user.as_uuid(),
            org: organisation.org_id.as_uuid(),
            rgn: organisation.region,
            tid: token_id,
        };
        let token = self
            .tokens
            .sign(audience(purpose), &claims, self.now, ttl)
            .map_err(AppError::internal)?;
        Ok(format!(
            "{}/{}#token={token}",
            self.public_url,
            page(purpose)
        ))
    }
}

/// A signed email link for `purpose`, as the application signs them.
pub(crate) async fn email_link(
    state: &AppState,
    tx: &mut Tx,
    organisation: &Organisation,
    user: UserId,
    purpose: Purpose,
    new_email: Option<&str>,
) -> Result<String, AppError> {
    let links = Links {
        tokens: &state.tokens,
        public_url: &state.settings.public_url,
        now: state.clock.now(),
    };
    links.make(tx, organisation, user, purpose, new_email).await
}

/// Verifies a link's token for `purpose`; returns its claims. Refused links all look alike.
pub(crate) fn verify_link(
    state: &AppState,
    token: &str,
    purpose: Purpose,
) -> Result<EmailLinkClaims, AppError> {
    state
        .tokens
        .verify(token.trim(), audience(purpose), state.clock.now())
        .map_err(|_| invalid_link())
}

/// Uses the link's row once, in the account's own transaction.
pub(crate) async fn consume_link(
    state: &AppState,
    tx: &mut Tx,
    claims: &EmailLinkClaims,
    purpose: Purpose,
) -> Result<Option<String>, AppError> {
    match email_tokens::consume(
        tx,
        claims.sub.into(),
        claims.tid,
        purpose,
        state.clock.now(),
    )
    .await?
    {
        email_tokens::Consumed::Valid { new_email } => Ok(new_email),
        email_tokens::Consumed::Invalid => Err(invalid_link()),
    }
}

/// Checks a new password against the policy, with the account's own details as what an attacker
/// would try first; a refusal names `field`.
pub(crate) fn check_new_password(
    field: &str,
    password: &str,
    account: &accounts::Account,
    organisation: &Organisation,
) -> Result<(), AppError> {
    let mut fields = crate::validation::Fields::default();
    fields.check(
        field,
        attest_crypto::check_new_password(
            password,
            &[&account.email, &account.display_name, &organisation.name],
        ),
    );
    fields.finish()
}

/// Sets a new password (already checked, and hashed before `tx` was opened): stores it, ends
/// the account's sessions but `keep`, and mails the owner a notice. Returns how many sessions
/// ended.
pub(crate) async fn replace_password(
    state: &AppState,
    tx: &mut Tx,
    account: &accounts::Account,
    organisation: &Organisation,
    hash: &str,
    reason: attest_store::sessions::RevokeReason,
    keep: Option<uuid::Uuid>,
) -> Result<u64, AppError> {
    let now = state.clock.now();
    accounts::set_password_hash(tx, account.user_id, hash, now).await?;
    let ended = attest_store::sessions::revoke_all(tx, account.user_id, reason, now, keep).await?;
    let when = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let notice =
        crate::mail::messages::password_changed(&account.email, &account.display_name, &when);
    attest_store::outbox::enqueue(tx, organisation.org_id, &notice, now).await?;
    Ok(ended)
}

/// What a password-setting link (invitation, reset) leads to: the account's transaction with
/// the link used up, and the new password's hash.
pub(crate) struct PasswordLink {
    pub(crate) tx: Work,
    pub(crate) organisation: Organisation,
    pub(crate) account: accounts::Account,
    pub(crate) hash: String,
}

/// Opens the account a password-setting link belongs to and checks the new password before the
/// link is used up, so that a refused password can be retried with the same link. The password
/// is hashed with no transaction open; then the link is used up in the transaction returned.
pub(crate) async fn account_from_password_link(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    purpose: Purpose,
    field: &str,
    password: String,
) -> Result<PasswordLink, AppError> {
    let claims = verify_link(state, token, purpose)?;
    let caller = as_account(state, &claims, meta);
    let mut tx = caller.read(state).await?;
    let account = accounts::load(&mut tx, claims.sub.into())
        .await?
        .ok_or_else(invalid_link)?;
    let organisation = organisations::current(&mut tx).await?;
    tx.finish().await?;
    check_new_password(field, &password, &account, &organisation)?;
    let hash = state
        .passwords
        .hash(secrecy::SecretString::from(password))
        .await?;
    let mut tx = caller.write(state).await?;
    consume_link(state, &mut tx, &claims, purpose).await?;
    Ok(PasswordLink {
        tx,
        organisation,
        account,
        hash,
    })
}
