//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod badges;
pub(crate) mod credentials;
pub(crate) mod health;
pub(crate) mod me;
pub(crate) mod members;
pub(crate) mod meta;
pub(crate) mod organisation;
pub(crate) mod organisations;
pub(crate) mod requisitions;
mod schema;

use crate::state::AppState;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Attest API",
        description = "Workforce compliance: credentials, signed badges, requisition analysis, audit. \
            Errors share one shape: `{code, message, request_id}`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "meta", description = "About this server"),
        (name = "auth", description = "Signing in, second factor, the refresh cookie, email links (rate-limited per IP)"),
        (name = "me", description = "The signed-in person's own account"),
        (name = "members", description = "Members, invitations and roles"),
        (name = "organisations", description = "Organisations (tenants) and their security policies"),
        (name = "credentials", description = "Credential types, job roles, requirements, workers' credentials and evidence, readiness and its live updates"),
        (name = "badges", description = "Workers' signed badges, the trust bundle gates verify them with offline, and gate scans"),
        (name = "requisitions", description = "Job requisitions: submission (pasted, text, DOCX, PDF), analysis, findings, reviewers' decisions, reports"),
        (name = "audit", description = "The tamper-evident audit ledger: timeline, signed checkpoints, proofs, exports")
    )
)]
struct ApiDoc;

/// Access tokens are sent as `Authorization: Bearer …` (EdDSA-signed JWTs, minutes long).
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The API routes with their OpenAPI description.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(meta::meta))
        .routes(routes!(organisations::create))
        .routes(routes!(auth::sign_in::sign_in))
        .routes(routes!(auth::mfa::verify))
        .routes(routes!(auth::mfa::start_enrolment))
        .routes(routes!(auth::mfa::confirm_enrolment))
        .routes(routes!(auth::refresh::refresh))
        .routes(routes!(auth::refresh::sign_out))
        .routes(routes!(auth::email_links::verify_email))
        .routes(routes!(auth::email_links::resend_verification))
        .routes(routes!(auth::email_links::accept_invitation))
        .routes(routes!(auth::email_links::confirm_email_change))
        .routes(routes!(auth::password_reset::forgot_password))
        .routes(routes!(auth::password_reset::reset_password))
        .routes(routes!(me::me))
        .routes(routes!(me::password::change))
        .routes(routes!(me::sessions::list))
        .routes(routes!(me::sessions::revoke))
        .routes(routes!(me::mfa::start))
        .routes(routes!(me::mfa::confirm))
        .routes(routes!(me::mfa::disable))
        .routes(routes!(me::mfa::new_recovery_codes))
        .routes(routes!(me::email::change))
        .routes(routes!(members::list, members::invite))
        .routes(routes!(members::update))
        .routes(routes!(members::unlock))
        .routes(routes!(members::reset_mfa))
        .routes(routes!(members::roles))
        .routes(routes!(organisation::get, organisation::update))
        .routes(routes!(audit::timeline::events))
        .routes(routes!(audit::checkpoint::checkpoint))
        .routes(routes!(audit::proofs::inclusion))
        .routes(routes!(audit::proofs::consistency))
        .routes(routes!(audit::export::export))
        .routes(routes!(audit::erasure::erase))
        .routes(routes!(badges::own::badge))
        .routes(routes!(badges::own::badge_png))
        .routes(routes!(badges::bundle::platform_key))
        .routes(routes!(badges::bundle::bundle))
        .routes(routes!(badges::verify::verify))
        .merge(credential_routes())
        .merge(requisition_routes())
}

fn requisition_routes() -> OpenApiRouter<AppState> {
    use axum::extract::DefaultBodyLimit;
    use requisitions::{export, read, review, submit};
    let uploads = OpenApiRouter::new()
        .routes(routes!(submit::upload))
        .layer(DefaultBodyLimit::max(requisitions::MAX_UPLOAD_BYTES));
    let anonymous = OpenApiRouter::new()
        .routes(routes!(requisitions::public::analyze))
        .layer(DefaultBodyLimit::max(
            requisitions::public::MAX_ANONYMOUS_BODY,
        ));
    // A pasted requisition may be 200,000 characters: more than the default JSON limit.
    let texts = OpenApiRouter::new()
        .routes(routes!(read::list, submit::create))
        .routes(routes!(read::get, submit::edit))
        .layer(DefaultBodyLimit::max(requisitions::MAX_TEXT_BODY));
    OpenApiRouter::new()
        .merge(texts)
        .routes(routes!(read::versions))
        .routes(routes!(submit::reanalyse))
        .routes(routes!(review::review))
        .routes(routes!(export::csv))
        .routes(routes!(export::pdf))
        .merge(uploads)
        .merge(anonymous)
}

fn credential_routes() -> OpenApiRouter<AppState> {
    use axum::extract::DefaultBodyLimit;
    use credentials::{
        evidence, imports, live, readiness, records, requirements, settings, types, workers,
        workforce,
    };
    let uploads = OpenApiRouter::new()
        .routes(routes!(evidence::upload))
        .layer(DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES));
    let files = OpenApiRouter::new()
        .routes(routes!(imports::credentials::credentials))
        .routes(routes!(imports::workers::workers))
        .layer(DefaultBodyLimit::max(imports::MAX_IMPORT_BYTES));
    OpenApiRouter::new()
        .routes(routes!(types::list, types::create))
        .routes(routes!(types::update))
        .routes(routes!(types::starter, types::adopt))
        .routes(routes!(settings::get, settings::put))
        .routes(routes!(
            workforce::list_job_roles,
            workforce::create_job_role
        ))
        .routes(routes!(workforce::assign_job_role))
        .routes(routes!(workforce::list_sites))
        .routes(routes!(workforce::list_crews))
        .routes(routes!(requirements::list, requirements::add))
        .routes(routes!(requirements::remove))
        .routes(routes!(workers::list))
        .routes(routes!(workers::detail))
        .routes(routes!(records::add))
        .routes(routes!(records::get))
        .routes(routes!(records::renew))
        .routes(routes!(records::suspend))
        .routes(routes!(records::revoke))
        .routes(routes!(records::reinstate))
        .routes(routes!(evidence::download))
        .routes(routes!(readiness::dashboard))
        .routes(routes!(live::live))
        .merge(uploads)
        .merge(files)
}
