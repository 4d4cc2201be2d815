//! `GET /api/v1/readiness/live`: a server-sent-event stream that says `changed` whenever the
//! caller's organisation's credentials or requirements change, so an open dashboard refetches
//! within a second. It carries no data itself (what the caller may see is decided by the
//! readiness endpoint), and ends when the caller's access token would, for the client to
//! reconnect with a fresh one.

use super::READ_OTHERS;
use crate::audit::Caller;
use crate::concurrency::{Costly, Place};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Live readiness changes for the caller's organisation (`text/event-stream`): a `ready` event
/// first, then `changed` events. An account may hold a few streams at once (`429
/// too_many_at_once` beyond); a stream ends when its session is signed out or revoked (checked
/// every 30 seconds by default), and when the access token it opened with would expire.
#[utoipa::path(get, path = "/api/v1/readiness/live", tag = "credentials",
    responses((status = 200, content_type = "text/event-stream"), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn live(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    caller.require_any(READ_OTHERS)?;
    let place = state
        .concurrency
        .enter(Costly::Stream, Some(caller.user_id))?;
    // The session must still be live when the stream opens.
    still_live(&state, &caller).await?;
    let org = caller.org_id;
    let receiver = state.live.subscribe();
    let lifetime =
        Duration::try_from(state.settings.access_token_ttl).unwrap_or(Duration::from_secs(300));
    let deadline = tokio::time::Instant::now() + lifetime;
    let check_every = state.settings.stream_session_check;
    let first = Event::default().event("ready").data("{}");
    let open = Open {
        state,
        caller,
        receiver,
        next_check: tokio::time::Instant::now() + check_every,
        _place: place,
    };
    let stream =
        futures_util::stream::unfold((Some(first), open), move |(pending, mut open)| async move {
            if let Some(event) = pending {
                return Some((Ok(event), (None, open)));
            }
            loop {
                let wake = open.next_check.min(deadline);
                let next = tokio::time::timeout_at(wake, open.receiver.recv()).await;
                match next {
                    Err(_) if tokio::time::Instant::now() >= deadline => return None,
                    Err(_) => {
                        if still_live(&open.state, &open.caller).await.is_err() {
                            return None;
                        }
                        open.next_check = tokio::time::Instant::now() + check_every;
                    }
                    Ok(Err(RecvError::Closed)) => return None,
                    Ok(Ok(changed)) if changed != org => {}
                    // A change here, or missed messages (which may include ours).
                    Ok(Ok(_) | Err(RecvError::Lagged(_))) => {
                        let event = Event::default().event("changed").data("{}");
                        return Some((Ok(event), (None, open)));
                    }
                }
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// What an open stream holds: its place among the streams, and what it needs to check its
/// session.
struct Open {
    state: AppState,
    caller: Caller,
    receiver: tokio::sync::broadcast::Receiver<attest_core::OrgId>,
    next_check: tokio::time::Instant,
    _place: Place,
}

/// Whether the principal's session is still live (signing out or a revocation ends it).
async fn still_live(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    caller.read(state).await?.finish().await
}
