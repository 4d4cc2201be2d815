//! Limits on how many costly requests run at once, per account and for the whole server. A
//! request that would pass either limit is answered at once, before it takes a database
//! connection or a hashing slot: `429 too_many_at_once` when the caller already has its share
//! running, `503 server_busy` when the server has its fill. Both carry `Retry-After`. So one
//! account cannot queue a hundred password checks or exports, and a full server sheds load
//! instead of starving its connection pool. A place is held until the work ends — for a stream
//! (an export, live updates), until the stream ends.

use crate::error::AppError;
use attest_core::UserId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A kind of costly request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Costly {
    /// Checking the current password again before a sensitive change (an argon2 hash).
    Reauthentication,
    /// Analysing a requisition (and reading an uploaded file).
    Analysis,
    /// An import of workers or credentials.
    Import,
    /// An audit-ledger export.
    Export,
    /// A requisition report (CSV or PDF).
    Report,
    /// A live-updates stream (server-sent events).
    Stream,
}

impl Costly {
    const ALL: [Costly; 6] = [
        Costly::Reauthentication,
        Costly::Analysis,
        Costly::Import,
        Costly::Export,
        Costly::Report,
        Costly::Stream,
    ];

    /// What people are told is busy.
    fn what(self) -> &'static str {
        match self {
            Costly::Reauthentication => "password checks",
            Costly::Analysis => "analyses",
            Costly::Import => "imports",
            Costly::Export => "exports",
            Costly::Report => "reports",
            Costly::Stream => "live-update streams",
        }
    }
}

/// How many of each may run: per account, and on the whole server.
#[derive(Debug, Clone)]
pub struct ConcurrencyLimits {
    limits: HashMap<Costly, (usize, usize)>,
}

impl Default for ConcurrencyLimits {
    fn default() -> Self {
        Self {
            limits: HashMap::from([
                (Costly::Reauthentication, (2, 16)),
                (Costly::Analysis, (2, 16)),
                (Costly::Import, (1, 4)),
                (Costly::Export, (2, 8)),
                (Costly::Report, (2, 8)),
                (Costly::Stream, (4, 512)),
            ]),
        }
    }
}

impl ConcurrencyLimits {
    /// `kind` may run `per_account` at once for one account and `global` on the server.
    #[must_use]
    pub fn with(mut self, kind: Costly, per_account: usize, global: usize) -> Self {
        self.limits
            .insert(kind, (per_account.max(1), global.max(1)));
        self
    }

    fn of(&self, kind: Costly) -> (usize, usize) {
        self.limits.get(&kind).copied().unwrap_or((1, 1))
    }
}

/// The limits and what holds them now; shared by every request.
#[derive(Debug, Clone)]
pub struct Concurrency {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    limits: ConcurrencyLimits,
    server: HashMap<Costly, Arc<Semaphore>>,
    running: Mutex<HashMap<(Costly, UserId), usize>>,
}

/// A place held for one costly request; given back when dropped.
#[derive(Debug)]
pub struct Place {
    inner: Arc<Inner>,
    kind: Costly,
    account: Option<UserId>,
    _server: OwnedSemaphorePermit,
}

impl Concurrency {
    pub fn new(limits: ConcurrencyLimits) -> Self {
        let server = Costly::ALL
            .iter()
            .map(|kind| (*kind, Arc::new(Semaphore::new(limits.of(*kind).1))))
            .collect();
        Self {
            inner: Arc::new(Inner {
                limits,
                server,
                running: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// A place for `kind` for `account` (none: an anonymous caller, limited per IP elsewhere).
    pub fn enter(&self, kind: Costly, account: Option<UserId>) -> Result<Place, AppError> {
        let (per_account, _) = self.inner.limits.of(kind);
        if let Some(account) = account {
            let mut running = self
                .inner
                .running
                .lock()
                .map_err(|_| AppError::internal("the concurrency table is poisoned"))?;
            let count = running.entry((kind, account)).or_insert(0);
            if *count >= per_account {
                return Err(AppError::throttled(
                    http::StatusCode::TOO_MANY_REQUESTS,
                    "too_many_at_once",
                    format!(
                        "You already have {per_account} {} running; wait for one to finish.",
                        kind.what()
                    ),
                    1,
                ));
            }
            *count += 1;
        }
        let permit = self
            .inner
            .server
            .get(&kind)
            .and_then(|semaphore| Arc::clone(semaphore).try_acquire_owned().ok());
        let Some(permit) = permit else {
            self.leave(kind, account);
            return Err(AppError::throttled(
                http::StatusCode::SERVICE_UNAVAILABLE,
                "server_busy",
                format!(
                    "The server is running as many {} as it can; try again in a moment.",
                    kind.what()
                ),
                2,
            ));
        };
        Ok(Place {
            inner: Arc::clone(&self.inner),
            kind,
            account,
            _server: permit,
        })
    }

    fn leave(&self, kind: Costly, account: Option<UserId>) {
        leave(&self.inner, kind, account);
    }
}

fn leave(inner: &Inner, kind: Costly, account: Option<UserId>) {
    let Some(account) = account else {
        return;
    };
    if let Ok(mut running) = inner.running.lock()
        && let Some(count) = running.get_mut(&(kind, account))
    {
        *count = count.saturating_sub(1);
        if *count == 0 {
            running.remove(&(kind, account));
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        leave(&self.inner, self.kind, self.account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gets_its_share_and_the_server_its_fill() {
        let limits = ConcurrencyLimits::default().with(Costly::Export, 2, 3);
        let c = Concurrency::new(limits);
        let (a, b) = (
            UserId::from(uuid::Uuid::now_v7()),
            UserId::from(uuid::Uuid::now_v7()),
        );
        let a1 = c.enter(Costly::Export, Some(a)).unwrap();
        let _a2 = c.enter(Costly::Export, Some(a)).unwrap();
        let refused = c.enter(Costly::Export, Some(a)).unwrap_err();
        assert!(matches!(
            refused,
            AppError::Throttled {
                code: "too_many_at_once",
                ..
            }
        ));
        let _b1 = c.enter(Costly::Export, Some(b)).unwrap();
        let full = c.enter(Costly::Export, Some(b)).unwrap_err();
        assert!(matches!(
            full,
            AppError::Throttled {
                code: "server_busy",
                ..
            }
        ));
        // Other kinds are apart.
        assert!(c.enter(Costly::Report, Some(a)).is_ok());
        drop(a1);
        let b2 = c.enter(Costly::Export, Some(b)).unwrap();
        assert!(c.enter(Costly::Export, Some(a)).is_err());
        drop(b2);
        // The refusal by the server's fill did not use up the account's share: one more fits.
        let _a3 = c.enter(Costly::Export, Some(a)).unwrap();
        assert!(c.enter(Costly::Export, Some(a)).is_err());
    }
}
