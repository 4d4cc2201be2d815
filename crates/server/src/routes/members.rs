//! Members and invitations, for account managers (`people.manage`); the list for anyone who may
//! see the whole organisation (`people.read.org`).

use crate::audit::{Caller, Resource, Unrecorded};
use crate::auth::flows::email_link;
use crate::error::conflict;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{BuiltinRole, DisplayName, EmailAddress, MemberStatus, Permission, UserId};
use attest_store::Conflict;
use attest_store::audit::AuditAction;
use attest_store::email_tokens::Purpose;
use attest_store::people::{self, Member, NewPerson};
use attest_store::sessions::{self, RevokeReason};
use attest_store::{StoreError, Tx, accounts, mfa, organisations, outbox, roles};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MemberView {
    user_id: Uuid,
    email: String,
    display_name: String,
    role: String,
    role_name: String,
    /// `active`, `suspended`, or `pending` (invited, or address not yet confirmed).
    status: String,
    mfa_enabled: bool,
    /// While locked after failed sign-ins.
    #[schema(format = DateTime)]
    locked_until: Option<String>,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        let status = if m.status != MemberStatus::Active {
            m.status.as_str().into()
        } else if m.email_verified {
            "active".into()
        } else {
            "pending".into()
        };
        Self {
            user_id: m.user_id.as_uuid(),
            email: m.email,
            display_name: m.display_name,
            role: m.role_key,
            role_name: m.role_name,
            status,
            mfa_enabled: m.mfa_enabled,
            locked_until: m.locked_until.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RoleView {
    key: String,
    name: String,
    description: String,
    builtin: bool,
    permissions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Invitation {
    email: String,
    name: String,
    /// A role key, e.g. `worker`.
    role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberChange {
    #[serde(default)]
    role: Option<String>,
    /// `active` or `suspended`.
    #[serde(default)]
    status: Option<String>,
}

/// Everyone in the organisation, by name.
#[utoipa::path(get, path = "/api/v1/members", operation_id = "list_members", tag = "members", responses((status = 200, body = [MemberView]), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<MemberView>>, AppError> {
    caller.require(Permission::PeopleReadOrg)?;
    let mut tx = caller.read(&state).await?;
    let members = people::members(&mut tx, state.clock.now()).await?;
    tx.finish().await?;
    Ok(Json(members.into_iter().map(MemberView::from).collect()))
}

/// The organisation's roles and what each allows.
#[utoipa::path(get, path = "/api/v1/roles", tag = "members", responses((status = 200, body = [RoleView])), security(("bearer" = [])))]
pub(crate) async fn roles(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RoleView>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let list = roles::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        list.into_iter()
            .map(|r| RoleView {
                key: r.key,
                name: r.name,
                description: r.description,
                builtin: r.builtin,
                permissions: r.permissions,
            })
            .collect(),
    ))
}

/// Invites someone by email with a role. They choose their password from the link.
#[utoipa::path(
    post, path = "/api/v1/members", tag = "members", request_body = Invitation,
    responses((status = 201, body = MemberView), (status = 409, body = ErrorBody, description = "`email_taken`"), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Invitation>,
) -> Result<(StatusCode, Json<MemberView>), AppError> {
    caller.require(Permission::PeopleManage)?;
    let mut fields = Fields::default();
    let email = fields.check("email", EmailAddress::parse(&body.email));
    let name = fields.check("name", DisplayName::parse(&body.name));
    fields.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let mut tx = caller.write(&state).await?;
    let role_id = role_id(&mut tx, &body.role).await?;
    let user_id = UserId::new();
    people::insert(
        &mut tx,
        caller.org_id,
        &NewPerson {
            user_id,
            email: email.clone(),
            display_name: name.clone(),
            role_id,
        },
    )
    .await?;
    let organisation = organisations::current(&mut tx).await?;
    let inviter = accounts::load(&mut tx, caller.user_id)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default();
    let link = email_link(
        &state,
        &mut tx,
        &organisation,
        user_id,
        Purpose::Invitation,
        None,
    )
    .await?;
    let now = state.clock.now();
    let member = people::member(&mut tx, user_id, now).await?;
    let mail = messages::invitation(
        email.as_str(),
        name.as_str(),
        &organisation.name,
        &inviter,
        &member.role_name,
        &link,
    );
    outbox::enqueue(&mut tx, caller.org_id, &mail, now).await?;
    tx.record(
        AuditAction::MemberInvited,
        Resource::account(user_id),
        Some(user_id),
        json!({ "role": body.role }),
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok((StatusCode::CREATED, Json(member.into())))
}

async fn role_id(tx: &mut Tx, key: &str) -> Result<attest_core::RoleId, AppError> {
    people::role_id(tx, key).await.map_err(|e| match e {
        StoreError::NotFound => {
            let mut fields = Fields::default();
            fields.check::<(), _>("role", Err("is not one of the organisation's roles"));
            fields.finish().err().unwrap_or_else(AppError::not_found)
        }
        other => other.into(),
    })
}

/// Changes a member's role or suspends / reactivates them. Suspending ends their sessions. The
/// organisation keeps at least one active administrator, and nobody changes their own membership.
#[utoipa::path(
    patch, path = "/api/v1/members/{user_id}", operation_id = "update_member", tag = "members", request_body = MemberChange,
    params(("user_id" = Uuid, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<Uuid>,
    ApiJson(body): ApiJson<MemberChange>,
) -> Result<Json<MemberView>, AppError> {
    caller.require(Permission::PeopleManage)?;
    let user: UserId = user_id.into();
    if user == caller.user_id {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "own_membership",
            "You cannot change your own role or status.",
        ));
    }
    let mut fields = Fields::default();
    let status = body
        .status
        .as_deref()
        .and_then(|s| fields.check("status", s.parse::<MemberStatus>()));
    fields.finish()?;
    let mut tx = caller.write(&state).await?;
    let now = state.clock.now();
    let before = people::member(&mut tx, user, now).await?;
    let admin = BuiltinRole::OrgAdmin.key();
    let loses_admin = before.role_key == admin
        && before.status == MemberStatus::Active
        && (body.role.as_deref().is_some_and(|r| r != admin)
            || status == Some(MemberStatus::Suspended));
    if loses_admin && roles::active_holders(&mut tx, admin).await? <= 1 {
        return Err(conflict(Conflict::LastAdmin));
    }
    if let Some(role) = &body.role
        && role != &before.role_key
    {
        let role_id = role_id(&mut tx, role).await?;
        let previous = people::change_role(&mut tx, user, role_id).await?;
        tx.record(
            AuditAction::MemberRoleChanged,
            Resource::account(user),
            Some(user),
            json!({ "from": previous, "to": role }),
        )
        .await?;
    }
    if let Some(status) = status
        && status != before.status
    {
        people::set_status(&mut tx, user, status).await?;
        let ended = if status == MemberStatus::Suspended {
            sessions::revoke_all(&mut tx, user, RevokeReason::RevokedByAdmin, now, None).await?
        } else {
            0
        };
        tx.record(
            AuditAction::MemberStatusChanged,
            Resource::account(user),
            Some(user),
            json!({ "from": before.status, "to": status, "sessions_ended": ended }),
        )
        .await?;
    }
    let after = people::member(&mut tx, user, now).await?;
    tx.commit_or(Unrecorded::NothingChanged).await?;
    Ok(Json(after.into()))
}

/// Lifts the lock from failed sign-ins.
#[utoipa::path(
    post, path = "/api/v1/members/{user_id}/unlock", tag = "members", params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn unlock(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::PeopleManage)?;
    let user: UserId = user_id.into();
    let mut tx = caller.write(&state).await?;
    let now = state.clock.now();
    people::member(&mut tx, user, now).await?;
    let was_locked = accounts::clear_failures(&mut tx, user, now).await?;
    tx.record(
        AuditAction::AuthAccountUnlocked,
        Resource::account(user),
        Some(user),
        json!({ "was_locked": was_locked }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a member's second factor (a lost phone): they set up a new one at their next sign-in
/// if the organisation requires it. Their sessions end.
#[utoipa::path(
    post, path = "/api/v1/members/{user_id}/reset-mfa", tag = "members", params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn reset_mfa(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::PeopleManage)?;
    let user: UserId = user_id.into();
    let mut tx = caller.write(&state).await?;
    let now = state.clock.now();
    let member = people::member(&mut tx, user, now).await?;
    mfa::remove(&mut tx, user).await?;
    sessions::revoke_all(&mut tx, user, RevokeReason::MfaChanged, now, None).await?;
    tx.record(
        AuditAction::AuthMfaReset,
        Resource::account(user),
        Some(user),
        json!({}),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        caller.org_id,
        &messages::mfa_changed(
            &member.email,
            &member.display_name,
            "reset by an administrator",
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(StatusCode::NO_CONTENT)
}
