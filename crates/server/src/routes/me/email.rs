use crate::audit::{Caller, Resource};
use crate::auth::RequestMeta;
use crate::auth::flows::email_link;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::routes::auth::email_links::Accepted;
use crate::routes::me::{own_account, reauthenticate};
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{EmailAddress, Permission};
use attest_store::audit::AuditAction;
use attest_store::email_tokens::Purpose;
use attest_store::{organisations, outbox};
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangeEmail {
    #[schema(format = Password)]
    current_password: String,
    new_email: String,
}

impl fmt::Debug for ChangeEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangeEmail { .. }")
    }
}

/// Asks to change one's email address: a confirmation link goes to the new address (the change
/// happens when it is followed), and a notice to the current one.
#[utoipa::path(
    post, path = "/api/v1/me/email", operation_id = "change_email", tag = "me", request_body = ChangeEmail,
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn change(
    State(state): State<AppState>,
    caller: Caller,
    meta: RequestMeta,
    ApiJson(body): ApiJson<ChangeEmail>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    caller.require(Permission::OrgRead)?;
    let mut fields = Fields::default();
    let new_email = fields.check("new_email", EmailAddress::parse(&body.new_email));
    fields.finish()?;
    let new_email = new_email.ok_or_else(|| AppError::internal("validated field missing"))?;
    reauthenticate(
        &state,
        &caller,
        &meta,
        "email_change",
        body.current_password,
    )
    .await?;
    let mut tx = caller.write(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    let organisation = organisations::current(&mut tx).await?;
    let now = state.clock.now();
    let link = email_link(
        &state,
        &mut tx,
        &organisation,
        account.user_id,
        Purpose::ChangeEmail,
        Some(new_email.as_str()),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        caller.org_id,
        &messages::change_email(new_email.as_str(), &account.display_name, &link),
        now,
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        caller.org_id,
        &messages::email_change_requested(
            &account.email,
            &account.display_name,
            new_email.as_str(),
        ),
        now,
    )
    .await?;
    tx.record(
        AuditAction::AuthEmailChangeRequested,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "Follow the link we sent to the new address to finish the change.",
        }),
    ))
}
