//! The claims: registered CWT claims where they exist (iss 1, sub 2, exp 4, iat 6), the
//! status-list reference under the `status` claim (65535, draft-ietf-oauth-status-list), and
//! two private-use claims: the display name (-65537) and the credentials (-65538).

use crate::cose::{encode, int};
use coset::cbor::value::Value;

pub(crate) const ISS: i64 = 1;
pub(crate) const SUB: i64 = 2;
pub(crate) const EXP: i64 = 4;
pub(crate) const IAT: i64 = 6;
pub(crate) const STATUS: i64 = 65535;
pub(crate) const NAME: i64 = -65537;
pub(crate) const CREDENTIALS: i64 = -65538;

/// A credential's status as the badge states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeStatus {
    Valid = 0,
    Expiring = 1,
    Expired = 2,
    Suspended = 3,
    Revoked = 4,
}

impl BadgeStatus {
    pub(crate) fn from_code(code: i128) -> Option<Self> {
        Some(match code {
            0 => BadgeStatus::Valid,
            1 => BadgeStatus::Expiring,
            2 => BadgeStatus::Expired,
            3 => BadgeStatus::Suspended,
            4 => BadgeStatus::Revoked,
            _ => return None,
        })
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            BadgeStatus::Valid => "valid",
            BadgeStatus::Expiring => "expiring",
            BadgeStatus::Expired => "expired",
            BadgeStatus::Suspended => "suspended",
            BadgeStatus::Revoked => "revoked",
        }
    }
}

impl BadgeCredential {
    /// Its status on `today` (days since 1970-01-01): one the badge states valid or expiring is
    /// expired once its expiry day has passed (the badge may be older than the expiry).
    pub fn status_on(&self, today: i64) -> BadgeStatus {
        match self.status {
            BadgeStatus::Valid | BadgeStatus::Expiring
                if self.expires_day.is_some_and(|day| day < today) =>
            {
                BadgeStatus::Expired
            }
            other => other,
        }
    }
}

/// Days since 1970-01-01 as an ISO 8601 date (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn iso_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// One credential on a badge: the type's short code, its status, and its expiry as days since
/// 1970-01-01 (none: it does not expire).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeCredential {
    pub code: String,
    pub status: BadgeStatus,
    pub expires_day: Option<i64>,
}

/// Where the badge's revocation bit is: an index in the organisation's status list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRef {
    pub index: u32,
    pub uri: String,
}

/// What a badge says. No email, no ID numbers: the subject is a pseudonymous worker id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    /// The organisation (its short name).
    pub issuer: String,
    /// A pseudonymous worker id (12 characters of base64url: 72 random bits).
    pub subject: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub name: String,
    pub credentials: Vec<BadgeCredential>,
    pub status: StatusRef,
}

impl Badge {
    pub(crate) fn to_cbor(&self) -> Result<Vec<u8>, crate::SignError> {
        let credentials = self
            .credentials
            .iter()
            .map(|c| {
                Value::Array(vec![
                    Value::Text(c.code.clone()),
                    int(c.status as i64),
                    c.expires_day.map_or(Value::Null, int),
                ])
            })
            .collect();
        let status = Value::Map(vec![(
            Value::Text("status_list".into()),
            Value::Map(vec![
                (Value::Text("idx".into()), int(i64::from(self.status.index))),
                (
                    Value::Text("uri".into()),
                    Value::Text(self.status.uri.clone()),
                ),
            ]),
        )]);
        let map = Value::Map(vec![
            (int(ISS), Value::Text(self.issuer.clone())),
            (int(SUB), Value::Text(self.subject.clone())),
            (int(EXP), int(self.expires_at)),
            (int(IAT), int(self.issued_at)),
            (int(STATUS), status),
            (int(NAME), Value::Text(self.name.clone())),
            (int(CREDENTIALS), Value::Array(credentials)),
        ]);
        encode(&map)
    }
}
