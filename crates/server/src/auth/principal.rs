//! The authenticated caller, from a Bearer access token.

use crate::auth::AccessClaims;
use crate::error::AppError;
use crate::state::AppState;
use attest_core::{OrgId, Permission, PermissionSet, Region, UserId};
use attest_crypto::Audience;
use attest_store::AccessContext;
use attest_store::audit::Actor;
use axum::extract::FromRequestParts;
use http::StatusCode;
use http::header::AUTHORIZATION;
use http::request::Parts;
use uuid::Uuid;

/// Who is calling: verified from the access token (an EdDSA-signed JWT, at most minutes old).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub region: Region,
    pub role: String,
    pub permissions: PermissionSet,
    pub session_id: Uuid,
}

impl Principal {
    /// The one check every handler states first.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.permissions.contains(permission) {
            Ok(())
        } else {
            Err(AppError::client(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("Your role does not allow this ({permission})."),
            ))
        }
    }

    /// The check for an action that any one of `permissions` allows.
    pub fn require_any(&self, permissions: &[Permission]) -> Result<(), AppError> {
        if permissions.iter().any(|p| self.permissions.contains(*p)) {
            return Ok(());
        }
        let names: Vec<&str> = permissions.iter().map(|p| p.name()).collect();
        Err(AppError::client(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("Your role does not allow this ({}).", names.join(" or ")),
        ))
    }

    /// The row-level-security context of this caller.
    pub fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org_id,
            user_id: Some(self.user_id),
            permissions: self.permissions.clone(),
        }
    }

    /// The caller as an audit actor.
    pub fn actor(&self) -> Actor {
        Actor::User {
            user_id: self.user_id,
            role: Some(self.role.clone()),
        }
    }
}

fn unauthenticated() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "Sign in to continue.",
    )
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(unauthenticated)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(unauthenticated)?;
        let claims: AccessClaims = state
            .tokens
            .verify(token.trim(), Audience::Access, state.clock.now())
            .map_err(|_| {
                AppError::client(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "Your access token is not valid or has expired.",
                )
            })?;
        Ok(Self {
            user_id: claims.sub.into(),
            org_id: claims.org.into(),
            region: claims.rgn,
            role: claims.role,
            permissions: claims
                .perms
                .iter()
                .filter_map(|p| p.parse::<Permission>().ok())
                .collect(),
            session_id: claims.sid,
        })
    }
}
