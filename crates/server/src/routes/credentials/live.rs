//! `GET /api/v1/readiness/live`: a server-sent-event stream that says `changed` whenever the
//! caller's organisation's credentials or requirements change, so an open dashboard refetches
//! within a second. It carries no data itself (what the caller may see is decided by the
//! readiness endpoint), and ends when the caller's access token would, for the client to
//! reconnect with a fresh one.

use super::{READ_OTHERS, require_any};
use crate::auth::Principal;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Live readiness changes for the caller's organisation (`text/event-stream`): a `ready` event
/// first, then `changed` events.
#[utoipa::path(get, path = "/api/v1/readiness/live", tag = "credentials",
    responses((status = 200, content_type = "text/event-stream"), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn live(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    require_any(&principal, READ_OTHERS)?;
    // The session must still be live when the stream opens.
    let tx = principal.begin(&state).await?;
    tx.rollback()
        .await
        .map_err(attest_store::StoreError::from)?;
    let org = principal.org_id;
    let receiver = state.live.subscribe();
    let lifetime =
        Duration::try_from(state.settings.access_token_ttl).unwrap_or(Duration::from_secs(300));
    let deadline = tokio::time::Instant::now() + lifetime;
    let first = Event::default().event("ready").data("{}");
    let stream = futures_util::stream::unfold(
        (Some(first), receiver),
        move |(pending, mut receiver)| async move {
            if let Some(event) = pending {
                return Some((Ok(event), (None, receiver)));
            }
            loop {
                let next = tokio::time::timeout_at(deadline, receiver.recv()).await;
                match next {
                    Err(_) | Ok(Err(RecvError::Closed)) => return None,
                    Ok(Ok(changed)) if changed != org => continue,
                    // A change here, or missed messages (which may include ours).
                    Ok(Ok(_) | Err(RecvError::Lagged(_))) => {
                        let event = Event::default().event("changed").data("{}");
                        return Some((Ok(event), (None, receiver)));
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
