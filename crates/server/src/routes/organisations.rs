//! Creating an organisation (sign-up): the organisation, its home region and its first admin.

use crate::audit::{Caller, Resource};
use crate::auth::RateLimited;
use crate::auth::RequestMeta;
use crate::auth::flows::email_link;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{DisplayName, EmailAddress, OrgSlug, Region};
use attest_store::audit::AuditAction;
use attest_store::email_tokens::Purpose;
use attest_store::organisations::{self, CreatedOrganisation, NewOrganisation, Reservation};
use attest_store::outbox;
use axum::extract::State;
use http::StatusCode;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::fmt;
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateOrganisation {
    /// Short name used in URLs: 3–40 lowercase letters, digits and single hyphens.
    #[schema(example = "northwind")]
    slug: String,
    #[schema(example = "Northwind Constructors")]
    name: String,
    /// Home region for all of the organisation's data: `na` (default) or `ca`.
    #[serde(default)]
    #[schema(example = "na")]
    region: Option<String>,
    admin: NewAdmin,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAdmin {
    #[schema(example = "olivia.grant@northwind.example")]
    email: String,
    #[schema(example = "Olivia Grant")]
    name: String,
    /// 12 to 128 characters.
    #[schema(format = Password)]
    password: String,
}

impl fmt::Debug for NewAdmin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAdmin")
            .field("email", &self.email)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationView {
    org_id: Uuid,
    slug: String,
    name: String,
    region: String,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AdminView {
    user_id: Uuid,
    email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedOrganisationView {
    organisation: OrganisationView,
    admin: AdminView,
}

/// Creates an organisation homed in the chosen region, with the built-in roles and its first
/// organisation admin, who must confirm their email address (a link is sent) before signing in.
#[utoipa::path(
    post,
    path = "/api/v1/organisations", operation_id = "create_organisation",
    tag = "organisations",
    request_body = CreateOrganisation,
    responses(
        (status = 201, body = CreatedOrganisationView, description = "Created"),
        (status = 409, body = ErrorBody, description = "`slug_taken`"),
        (status = 422, body = ErrorBody, description = "`validation_failed`, `invalid_body` or `region_unavailable`"),
        (status = 400, body = ErrorBody, description = "`malformed_json`"),
        (status = 413, body = ErrorBody, description = "`payload_too_large`"),
        (status = 415, body = ErrorBody, description = "`unsupported_media_type`"),
        (status = 429, body = ErrorBody, description = "`rate_limited`"),
    )
)]
pub(crate) async fn create(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<CreateOrganisation>,
) -> Result<(StatusCode, axum::Json<CreatedOrganisationView>), AppError> {
    let mut fields = Fields::default();
    let slug = fields.check("slug", OrgSlug::parse(&body.slug));
    let name = fields.check("name", DisplayName::parse(&body.name));
    let region = fields.check(
        "region",
        body.region
            .as_deref()
            .map_or(Ok(Region::default()), str::parse),
    );
    let email = fields.check("admin.email", EmailAddress::parse(&body.admin.email));
    let admin_name = fields.check("admin.name", DisplayName::parse(&body.admin.name));
    let context = [
        body.admin.email.as_str(),
        body.admin.name.as_str(),
        body.name.as_str(),
        body.slug.as_str(),
    ];
    let password = fields.check(
        "admin.password",
        attest_crypto::check_new_password(&body.admin.password, &context),
    );
    fields.finish()?;
    let (Some(slug), Some(name), Some(region), Some(admin_email), Some(admin_name), Some(())) =
        (slug, name, region, email, admin_name, password)
    else {
        return Err(AppError::internal("validated fields missing"));
    };
    // Fail before the expensive hash if the region is not served here.
    state.regions.pool(region)?;
    let admin_password_hash = state
        .passwords
        .hash(SecretString::from(body.admin.password))
        .await?;
    let new = NewOrganisation {
        slug,
        name,
        region,
        admin_email,
        admin_name,
        admin_password_hash,
    };
    let reservation = organisations::reserve(&state.regions, &new).await?;
    let created = found(&state, &meta, &reservation, &new).await;
    if created.is_err() {
        organisations::release(&state.regions, &new).await;
    }
    let created = created?;
    state.mail_queued.notify_one();
    tracing::info!(org_id = %created.organisation.org_id, region = %region, "organisation created");
    let o = created.organisation;
    let view = CreatedOrganisationView {
        organisation: OrganisationView {
            org_id: o.org_id.as_uuid(),
            slug: o.slug,
            name: o.name,
            region: o.region.code().to_owned(),
            created_at: o
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(AppError::internal)?,
        },
        admin: AdminView {
            user_id: created.admin_id.as_uuid(),
            email: new.admin_email.to_string(),
        },
    };
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Writes the reserved organisation and its first admin, records the creation (by the admin),
/// and queues the mail that confirms the admin's address, in one unit of work.
async fn found(
    state: &AppState,
    meta: &RequestMeta,
    reservation: &Reservation,
    new: &NewOrganisation,
) -> Result<CreatedOrganisation, AppError> {
    let caller = Caller::founding(reservation, meta, Arc::clone(&state.clock));
    let mut tx = caller.write(state).await?;
    let created = organisations::insert(&mut tx, reservation, new).await?;
    let o = &created.organisation;
    let admin = created.admin_id;
    tx.record(
        AuditAction::OrganisationCreated,
        Resource::organisation(o.org_id),
        Some(admin),
        json!({ "slug": o.slug, "region": o.region.code() }),
    )
    .await?;
    let link = email_link(state, &mut tx, o, admin, Purpose::VerifyEmail, None).await?;
    let mail = messages::verify_email(
        new.admin_email.as_str(),
        new.admin_name.as_str(),
        &o.name,
        &link,
    );
    outbox::enqueue(&mut tx, o.org_id, &mail, state.clock.now()).await?;
    tx.commit().await?;
    Ok(created)
}
