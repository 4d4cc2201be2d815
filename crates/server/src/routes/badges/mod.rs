//! Badges: a worker's own signed badge (payload and QR), the trust bundle gates download (and
//! the platform key they pin), and verifying a scanned badge online or syncing an offline scan.

pub(crate) mod bundle;
pub(crate) mod own;
pub(crate) mod verify;

use serde::Serialize;
use utoipa::ToSchema;

/// A credential as a gate shows it: never a number, note or evidence.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GateCredentialView {
    code: String,
    name: String,
    #[schema(value_type = crate::routes::schema::CredentialStatus)]
    status: &'static str,
    /// Valid through this day.
    #[schema(format = Date)]
    expires: Option<String>,
}

impl From<&attest_badge::GateCredential> for GateCredentialView {
    fn from(c: &attest_badge::GateCredential) -> Self {
        Self {
            code: c.code.clone(),
            name: c.name.clone(),
            status: c.status,
            expires: c.expires(),
        }
    }
}

/// The badge's credentials as a gate shows them at `now`: the organisation's names for the codes,
/// and expired once past their expiry day.
pub(crate) fn gate_credentials(
    badge: &attest_badge::Badge,
    types: &[attest_store::credential_types::CredentialType],
    now: i64,
) -> Vec<GateCredentialView> {
    let today = now.div_euclid(86_400);
    badge
        .credentials
        .iter()
        .map(|c| {
            GateCredentialView::from(&attest_badge::GateCredential {
                name: types
                    .iter()
                    .find(|t| t.code == c.code)
                    .map_or_else(|| c.code.clone(), |t| t.name.clone()),
                code: c.code.clone(),
                status: c.status_on(today).as_str(),
                expires_day: c.expires_day,
            })
        })
        .collect()
}
