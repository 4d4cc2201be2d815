//! The readiness dashboard: overall, per site and per crew shares of cleared workers, the
//! 30/60/90-day outlook, what expires soon, and who is not cleared and why.

use super::READ_OTHERS;
use super::views::date_text;
use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::readiness::{self, Gap, Readiness, Share};
use attest_core::{CredentialStatus, CredentialTypeId, Permission};
use attest_store::readiness::ReadinessData;
use attest_store::{Tx, credential_types};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// How many of the dashboard's lists it shows at most.
const LIST_LIMIT: usize = 200;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShareView {
    pub(crate) total: u32,
    pub(crate) cleared: u32,
    pub(crate) percent: u32,
}

impl From<Share> for ShareView {
    fn from(s: Share) -> Self {
        Self {
            total: s.total,
            cleared: s.cleared,
            percent: s.percent(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GroupView {
    id: Uuid,
    name: String,
    #[serde(flatten)]
    share: ShareView,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OutlookView {
    within_30_days: u32,
    within_60_days: u32,
    within_90_days: u32,
    expired: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExpiringView {
    credential_id: Uuid,
    worker_id: Uuid,
    worker_name: String,
    type_code: String,
    type_name: String,
    #[schema(format = Date)]
    expires_on: String,
    days_left: i64,
    #[schema(value_type = crate::routes::schema::CredentialStatus)]
    status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GapView {
    pub(crate) type_id: Uuid,
    pub(crate) type_code: String,
    pub(crate) type_name: String,
    #[schema(value_type = crate::routes::schema::GapReason)]
    pub(crate) reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BlockedView {
    worker_id: Uuid,
    worker_name: String,
    /// What keeps them from being cleared (job role and assigned sites), each type once.
    gaps: Vec<GapView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReadinessView {
    #[schema(format = Date)]
    today: String,
    expiring_window_days: i32,
    overall: ShareView,
    sites: Vec<GroupView>,
    crews: Vec<GroupView>,
    outlook: OutlookView,
    /// Credentials expiring within 90 days or expired, soonest first (at most 200).
    expiring: Vec<ExpiringView>,
    /// Workers not cleared, and why (at most 200).
    not_cleared: Vec<BlockedView>,
}

/// Names and codes of credential types, for gaps.
pub(crate) struct TypeNames(HashMap<CredentialTypeId, (String, String)>);

impl TypeNames {
    pub(crate) async fn load(tx: &mut Tx) -> Result<Self, AppError> {
        Ok(Self(
            credential_types::list(tx)
                .await?
                .into_iter()
                .map(|t| (t.type_id, (t.code, t.name)))
                .collect(),
        ))
    }

    pub(crate) fn gap(&self, gap: &Gap) -> GapView {
        let (code, name) = self.0.get(&gap.type_id).cloned().unwrap_or_default();
        let reason = serde_json::to_value(gap.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        GapView {
            type_id: gap.type_id.as_uuid(),
            type_code: code,
            type_name: name,
            reason,
        }
    }
}

/// Loads what the caller may see (everyone, or `only` that person) and computes readiness over it.
pub(crate) async fn compute(
    tx: &mut Tx,
    state: &AppState,
    only: Option<attest_core::UserId>,
) -> Result<(ReadinessData, Readiness, TypeNames), AppError> {
    let data = attest_store::readiness::load(tx, state.clock.now(), only).await?;
    let types = TypeNames::load(tx).await?;
    let result = readiness::compute(&data.input);
    Ok((data, result, types))
}

/// The readiness of the workforce the caller may see (a supervisor: their crews).
#[utoipa::path(get, path = "/api/v1/readiness", tag = "credentials", responses((status = 200, body = ReadinessView), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReadinessView>, AppError> {
    caller.require_any(READ_OTHERS)?;
    let mut tx = caller.read(&state).await?;
    let (data, result, types) = compute(&mut tx, &state, None).await?;
    tx.finish().await?;
    let whole_org = caller.permissions.contains(Permission::CredentialsReadOrg);
    Ok(Json(view(&data, &result, &types, whole_org)))
}

/// `whole_org`: the caller sees the whole organisation; otherwise groups with nobody the caller
/// may see (other supervisors' crews) are left out.
fn view(data: &ReadinessData, r: &Readiness, types: &TypeNames, whole_org: bool) -> ReadinessView {
    let shown = |share: &Share| whole_org || share.total > 0;
    let today = data.input.today;
    let names: HashMap<_, _> = data
        .names
        .workers
        .iter()
        .map(|w| (w.user_id, w.display_name.as_str()))
        .collect();
    let window = i64::from(data.expiring_window_days);
    let mut expiring: Vec<ExpiringView> = data
        .credentials
        .iter()
        .filter(|c| names.contains_key(&c.user_id))
        .filter_map(|c| {
            let expires = c.expires_on?;
            let status = CredentialStatus::on(c.state, c.expires_on, today, window);
            let days_left = (expires - today).whole_days();
            let shown =
                matches!(status, CredentialStatus::Expired) || (status.clears() && days_left <= 90);
            shown.then(|| ExpiringView {
                credential_id: c.credential_id.as_uuid(),
                worker_id: c.user_id.as_uuid(),
                worker_name: names
                    .get(&c.user_id)
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
                type_code: c.type_code.clone(),
                type_name: c.type_name.clone(),
                expires_on: date_text(expires),
                days_left,
                status: status.as_str().to_owned(),
            })
        })
        .collect();
    expiring.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then(a.worker_name.cmp(&b.worker_name))
    });
    expiring.truncate(LIST_LIMIT);
    let not_cleared = r
        .workers
        .iter()
        .filter(|w| !w.cleared)
        .take(LIST_LIMIT)
        .map(|w| {
            let mut gaps: Vec<GapView> = Vec::new();
            let assigned = w.sites.iter().filter(|s| s.assigned).flat_map(|s| &s.gaps);
            for gap in w.job_role_gaps.iter().chain(assigned) {
                if !gaps.iter().any(|g| g.type_id == gap.type_id.as_uuid()) {
                    gaps.push(types.gap(gap));
                }
            }
            BlockedView {
                worker_id: w.user_id.as_uuid(),
                worker_name: names
                    .get(&w.user_id)
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
                gaps,
            }
        })
        .collect();
    ReadinessView {
        today: date_text(today),
        expiring_window_days: data.expiring_window_days,
        overall: r.overall.into(),
        sites: r
            .sites
            .iter()
            .filter(|(_, share)| shown(share))
            .map(|(id, share)| GroupView {
                id: id.as_uuid(),
                name: data.names.sites.get(id).cloned().unwrap_or_default(),
                share: (*share).into(),
            })
            .collect(),
        crews: r
            .crews
            .iter()
            .filter(|(_, share)| shown(share))
            .map(|(id, share)| GroupView {
                id: id.as_uuid(),
                name: data
                    .names
                    .crews
                    .get(id)
                    .map(|c| c.0.clone())
                    .unwrap_or_default(),
                share: (*share).into(),
            })
            .collect(),
        outlook: OutlookView {
            within_30_days: r.outlook.within_30_days,
            within_60_days: r.outlook.within_60_days,
            within_90_days: r.outlook.within_90_days,
            expired: r.outlook.expired,
        },
        expiring,
        not_cleared,
    }
}
