//! An organisation's credential settings: the "expiring" window and the reminder offsets (the
//! defaults until an HSE manager changes them).

use crate::{StoreError, Tx};
use attest_core::OrgId;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialSettings {
    /// A credential expiring within this many days counts as "expiring".
    pub expiring_window_days: i32,
    /// Reminders go out this many days before expiry (0: on the day), largest first.
    pub reminder_offsets_days: Vec<i32>,
}

impl Default for CredentialSettings {
    fn default() -> Self {
        Self {
            expiring_window_days: 30,
            reminder_offsets_days: vec![30, 7, 0],
        }
    }
}

/// The context organisation's settings.
pub async fn get(tx: &mut Tx) -> Result<CredentialSettings, StoreError> {
    let row = sqlx::query!(
        "select expiring_window_days, reminder_offsets_days from attest.credential_settings
         where org_id = attest.current_org_id()"
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(
        row.map_or_else(CredentialSettings::default, |r| CredentialSettings {
            expiring_window_days: r.expiring_window_days,
            reminder_offsets_days: r.reminder_offsets_days,
        }),
    )
}

/// Changes them. Needs `credentials.manage`.
pub async fn set(
    tx: &mut Tx,
    org_id: OrgId,
    settings: &CredentialSettings,
) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.credential_settings (org_id, expiring_window_days, reminder_offsets_days, updated_at)
         values ($1, $2, $3, now())
         on conflict (org_id) do update set expiring_window_days = excluded.expiring_window_days,
             reminder_offsets_days = excluded.reminder_offsets_days, updated_at = now()",
        org_id.as_uuid(),
        settings.expiring_window_days,
        &settings.reminder_offsets_days,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
