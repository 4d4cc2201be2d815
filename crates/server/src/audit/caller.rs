//! Who is acting in a request (or a job), from where, and when: the start of every transaction
//! on organisation data.

use super::acting::{Acting, Founding, OwnAccount, System};
use super::work::{ReadTx, Work};
use crate::auth::{Principal, RequestMeta};
use crate::error::AppError;
use crate::state::AppState;
use attest_core::{Clock, ManualClock, OrgId, Permission, Region, SystemClock, UserId};
use attest_store::audit::{Actor, Origin};
use attest_store::organisations::Reservation;
use attest_store::{PgPool, Regions, Tx, begin, begin_read_only, sessions};
use axum::extract::FromRequestParts;
use http::StatusCode;
use http::request::Parts;
use std::ops::Deref;
use std::sync::Arc;
use time::OffsetDateTime;

/// Who acts ([`Acting`]: a signed-in member by default), where the request came from, and the
/// clock. As an extractor it is the signed-in member of the request's access token.
#[derive(Debug, Clone)]
pub struct Caller<A = Principal> {
    acting: A,
    origin: Origin,
    clock: Arc<dyn Clock>,
}

impl<A> Deref for Caller<A> {
    type Target = A;

    fn deref(&self) -> &A {
        &self.acting
    }
}

impl<A: Acting> Caller<A> {
    /// `acting`, from `origin`, on `clock`.
    pub(crate) fn new(acting: A, origin: Origin, clock: Arc<dyn Clock>) -> Self {
        Self {
            acting,
            origin,
            clock,
        }
    }

    /// Begins a unit of work that changes something: a transaction with the caller's access
    /// context (and, for a member, a check that their session is still live). Every change it
    /// commits carries its audit record ([`Work::record`]).
    pub async fn write(&self, at: &impl AsRef<Regions>) -> Result<Work, AppError> {
        self.write_on(at.as_ref().pool(self.acting.region())?).await
    }

    /// As [`Caller::write`], on `pool` (a database of the caller's region under another role:
    /// the owner's, for the key rows the server may not change).
    pub async fn write_on(&self, pool: &PgPool) -> Result<Work, AppError> {
        let tx = self.begin(pool, false).await?;
        Ok(Work::new(
            tx,
            self.acting.org(),
            self.acting.actor(),
            self.origin.clone(),
            Arc::clone(&self.clock),
        ))
    }

    /// Begins a read-only transaction with the caller's access context: PostgreSQL itself
    /// refuses a write in it. Reads that must be audited (personal fields, views of a
    /// requisition, exports) use [`Caller::write`].
    pub async fn read(&self, at: &impl AsRef<Regions>) -> Result<ReadTx, AppError> {
        let pool = at.as_ref().pool(self.acting.region())?;
        Ok(ReadTx::new(self.begin(pool, true).await?))
    }

    async fn begin(&self, pool: &PgPool, read_only: bool) -> Result<Tx, AppError> {
        let context = self.acting.context();
        let mut tx = if read_only {
            begin_read_only(pool, &context).await?
        } else {
            begin(pool, &context).await?
        };
        if let Some((user, session)) = self.acting.live_session()
            && !sessions::is_live(&mut tx, user, session, self.clock.now()).await?
        {
            return Err(session_ended());
        }
        Ok(tx)
    }
}

impl Caller {
    /// The signed-in member `principal`, in the request described by `meta`.
    pub(crate) fn member(principal: Principal, meta: &RequestMeta, clock: Arc<dyn Clock>) -> Self {
        Self::new(principal, meta.origin(), clock)
    }
}

impl Caller<OwnAccount> {
    /// Someone acting on `user`'s own account in `org` (homed in `region`), not signed in,
    /// in the request described by `meta`. Its records name nobody yet identified.
    pub(crate) fn own_account(
        org: OrgId,
        region: Region,
        user: UserId,
        meta: &RequestMeta,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let acting = OwnAccount {
            org,
            region,
            user,
            actor: Actor::Anonymous,
        };
        Self::new(acting, meta.origin(), clock)
    }

    /// The same, with its records naming `actor` (a signed-in member re-authenticating).
    pub(crate) fn naming(mut self, actor: Actor) -> Self {
        self.acting.actor = actor;
        self
    }
}

impl Caller<Founding> {
    /// The person signing up to found the `reservation`'s organisation, in the request
    /// described by `meta`.
    pub(crate) fn founding(
        reservation: &Reservation,
        meta: &RequestMeta,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let acting = Founding {
            org: reservation.org_id,
            region: reservation.region,
            admin: reservation.admin_id,
        };
        Self::new(acting, meta.origin(), clock)
    }
}

impl Caller<System> {
    /// Attest itself, running an operator's command (`attest import`, …) in `org` (homed in
    /// `region`) with the permissions it needs, on the system clock: each record carries the
    /// time it is made. Its records have no request origin.
    pub fn command(
        org: OrgId,
        region: Region,
        permissions: impl IntoIterator<Item = Permission>,
    ) -> Self {
        Self::new(
            System::with(org, region, permissions),
            Origin::default(),
            Arc::new(SystemClock),
        )
    }

    /// Attest itself, running a job in `org` (homed in `region`) at `now` (the job's run),
    /// with the permissions it needs. Its records have no request origin.
    pub fn system(
        org: OrgId,
        region: Region,
        permissions: impl IntoIterator<Item = Permission>,
        now: OffsetDateTime,
    ) -> Self {
        Self::new(
            System::with(org, region, permissions),
            Origin::default(),
            Arc::new(ManualClock::new(now)),
        )
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let meta = match RequestMeta::from_request_parts(parts, state).await {
            Ok(meta) => meta,
            Err(never) => match never {},
        };
        Ok(Self::member(principal, &meta, Arc::clone(&state.clock)))
    }
}

fn session_ended() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        "session_ended",
        "Your session has ended. Sign in again.",
    )
}
