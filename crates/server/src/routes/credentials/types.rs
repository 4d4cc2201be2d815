//! Credential types: the organisation's catalogue, and the starter catalogue to adopt from.

use super::views::{parse_code, parse_name};
use crate::audit::Caller;
use crate::audit::{Resource, Unrecorded};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use crate::validation::optional_text;
use attest_core::{CredentialTypeId, Permission, STARTER_CATALOGUE};
use attest_store::audit::AuditAction;
use attest_store::credential_types::{self, CredentialType, NewCredentialType, TypeChange};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TypeView {
    type_id: Uuid,
    /// Short and stable; carried on badges.
    code: String,
    name: String,
    description: String,
    /// Default validity of a new credential; none: does not expire.
    validity_months: Option<i32>,
    archived: bool,
}

impl From<CredentialType> for TypeView {
    fn from(t: CredentialType) -> Self {
        Self {
            type_id: t.type_id.as_uuid(),
            code: t.code,
            name: t.name,
            description: t.description,
            validity_months: t.validity_months,
            archived: t.archived,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StarterView {
    code: &'static str,
    name: &'static str,
    description: &'static str,
    validity_months: Option<u16>,
    /// Whether the organisation already has a type with this code or name.
    adopted: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewType {
    code: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    validity_months: Option<u16>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeUpdate {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    /// `0` to say the type does not expire.
    #[serde(default)]
    validity_months: Option<u16>,
    #[serde(default)]
    archived: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Adoption {
    /// Starter codes to adopt; all of them if absent.
    #[serde(default)]
    codes: Option<Vec<String>>,
}

fn check_validity(fields: &mut Fields, months: Option<u16>) -> Option<Option<u16>> {
    match months {
        None | Some(0) => Some(None),
        Some(m) if m <= 240 => Some(Some(m)),
        Some(_) => fields.check::<Option<u16>, _>(
            "validity_months",
            Err("must be between 1 and 240 months (0 or absent: does not expire)"),
        ),
    }
}

/// The organisation's credential types (every member sees them).
#[utoipa::path(get, path = "/api/v1/credential-types", operation_id = "list_credential_types", tag = "credentials", responses((status = 200, body = [TypeView])), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TypeView>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let types = credential_types::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(types.into_iter().map(TypeView::from).collect()))
}

/// Adds a credential type.
#[utoipa::path(post, path = "/api/v1/credential-types", operation_id = "create_credential_type", tag = "credentials", request_body = NewType,
    responses((status = 201, body = TypeView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewType>,
) -> Result<(StatusCode, Json<TypeView>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    let mut fields = Fields::default();
    let code = parse_code(&mut fields, "code", &body.code);
    let name = parse_name(&mut fields, "name", &body.name);
    let description = optional_text(
        &mut fields,
        "description",
        body.description.as_deref(),
        1000,
    );
    let validity = check_validity(&mut fields, body.validity_months);
    fields.finish()?;
    let (Some(code), Some(name), Some(validity_months)) = (code, name, validity) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let mut tx = caller.write(&state).await?;
    let new = NewCredentialType {
        code,
        name,
        description: description.unwrap_or_default(),
        validity_months,
    };
    let id = credential_types::create(&mut tx, caller.org_id, &new).await?;
    tx.record(
        AuditAction::CredentialTypeCreated,
        resource(id),
        None,
        json!({ "code": new.code.as_str() }),
    )
    .await?;
    let created = credential_types::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Renames, re-describes, changes the default validity of, or archives a type. Its code never
/// changes (badges carry it).
#[utoipa::path(patch, path = "/api/v1/credential-types/{type_id}", operation_id = "update_credential_type", tag = "credentials", request_body = TypeUpdate,
    params(("type_id" = Uuid, Path)),
    responses((status = 200, body = TypeView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(type_id): Path<Uuid>,
    ApiJson(body): ApiJson<TypeUpdate>,
) -> Result<Json<TypeView>, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let mut fields = Fields::default();
    let change = TypeChange {
        name: body
            .name
            .as_deref()
            .and_then(|n| parse_name(&mut fields, "name", n)),
        description: body
            .description
            .as_deref()
            .map(|d| optional_text(&mut fields, "description", Some(d), 1000).unwrap_or_default()),
        validity_months: body
            .validity_months
            .and_then(|m| check_validity(&mut fields, Some(m))),
        archived: body.archived,
    };
    fields.finish()?;
    let id = CredentialTypeId::from(type_id);
    let mut tx = caller.write(&state).await?;
    credential_types::update(&mut tx, id, &change).await?;
    let details = json!({
        "name": change.name.as_ref().map(|n| n.as_str()),
        "validity_months": change.validity_months.map(|m| m.unwrap_or(0)),
        "archived": change.archived,
    });
    tx.record(
        AuditAction::CredentialTypeUpdated,
        resource(id),
        None,
        details,
    )
    .await?;
    let updated = credential_types::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(updated.into()))
}

/// The starter catalogue, marking what the organisation already has.
#[utoipa::path(get, path = "/api/v1/credential-types/starter", tag = "credentials", responses((status = 200, body = [StarterView])), security(("bearer" = [])))]
pub(crate) async fn starter(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<StarterView>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let existing = credential_types::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        STARTER_CATALOGUE
            .iter()
            .map(|s| StarterView {
                code: s.code,
                name: s.name,
                description: s.description,
                validity_months: s.validity_months,
                adopted: existing
                    .iter()
                    .any(|t| t.code == s.code || t.name.eq_ignore_ascii_case(s.name)),
            })
            .collect(),
    ))
}

/// Adopts starter types (all, or those named): each one whose code and name are free is added.
#[utoipa::path(post, path = "/api/v1/credential-types/starter", tag = "credentials", request_body = Adoption,
    responses((status = 200, body = [TypeView]), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn adopt(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Adoption>,
) -> Result<Json<Vec<TypeView>>, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let chosen: Vec<_> = match &body.codes {
        None => STARTER_CATALOGUE.iter().collect(),
        Some(codes) => {
            let mut fields = Fields::default();
            for code in codes {
                if !STARTER_CATALOGUE
                    .iter()
                    .any(|s| s.code.eq_ignore_ascii_case(code))
                {
                    fields.check::<(), _>(
                        "codes",
                        Err(format!("{code:?} is not in the starter catalogue")),
                    );
                }
            }
            fields.finish()?;
            STARTER_CATALOGUE
                .iter()
                .filter(|s| codes.iter().any(|c| s.code.eq_ignore_ascii_case(c)))
                .collect()
        }
    };
    let mut tx = caller.write(&state).await?;
    let added = credential_types::adopt(&mut tx, caller.org_id, &chosen).await?;
    for (id, code) in &added {
        tx.record(
            AuditAction::CredentialTypeCreated,
            resource(*id),
            None,
            json!({ "code": code, "starter": true }),
        )
        .await?;
    }
    let types = credential_types::list(&mut tx).await?;
    tx.commit_or(Unrecorded::NothingChanged).await?;
    Ok(Json(types.into_iter().map(TypeView::from).collect()))
}

fn resource(id: CredentialTypeId) -> Resource {
    Resource {
        kind: "credential_type",
        id: Some(id.to_string()),
    }
}
