//! One audit event as the ledger sees it.

use crate::{hex, tree};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// `user`, `system` or `anonymous`.
    pub kind: String,
    pub user: Option<Uuid>,
    pub role: Option<String>,
}

/// What was acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<String>,
}

/// An event's personal fields, kept apart from the leaf so that they can be erased. The leaf holds
/// `SHA-256(JCS(personal))`; the random salt keeps that digest from being guessed (there are few
/// IPv4 addresses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personal {
    pub ip: Option<String>,
    pub ua: Option<String>,
    /// 16 random bytes, hex.
    pub salt: String,
}

impl Personal {
    /// The canonical bytes: RFC 8785 JSON Canonicalization Scheme.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        jcs(self)
    }

    /// `SHA-256(canonical bytes)`: what the leaf commits to.
    pub fn digest(&self) -> [u8; 32] {
        sha256(&self.canonical_bytes())
    }
}

/// What the Merkle tree commits to for one event. The field names are the JSON keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    /// Format version: 1.
    pub v: u8,
    pub org: Uuid,
    pub id: Uuid,
    /// UTC, RFC 3339, microseconds: `2026-11-23T12:00:00.123456Z`.
    pub time: String,
    pub actor: Actor,
    pub action: String,
    pub resource: Resource,
    pub subject: Option<Uuid>,
    pub request: Option<String>,
    /// An object; never secrets or special categories of personal data.
    pub details: serde_json::Value,
    /// Hex `SHA-256(JCS(personal))`.
    pub personal: String,
}

impl Leaf {
    pub const VERSION: u8 = 1;

    /// The canonical bytes: RFC 8785 JSON Canonicalization Scheme.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        jcs(self)
    }

    /// The RFC 6962 leaf hash: `SHA-256(0x00 ‖ canonical bytes)`.
    pub fn hash(&self) -> tree::Hash {
        tree::record_hash(&self.canonical_bytes())
    }

    /// Whether `personal` matches this leaf's digest.
    pub fn commits_to(&self, personal: &Personal) -> bool {
        self.personal == hex(&personal.digest())
    }
}

/// The time as leaves write it. Timestamps carry microseconds (PostgreSQL's precision): truncate
/// first with [`truncate_to_micros`].
pub fn leaf_time(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    let seconds = utc
        .replace_nanosecond(0)
        .unwrap_or(utc)
        .format(&Rfc3339)
        .unwrap_or_default();
    // `2026-11-23T12:00:00Z` → `2026-11-23T12:00:00.123456Z`
    let micros = utc.nanosecond() / 1000;
    format!("{}.{micros:06}Z", seconds.trim_end_matches('Z'))
}

/// Drops sub-microsecond precision, as PostgreSQL stores time.
pub fn truncate_to_micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

fn jcs<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising our own types (strings, integers, UUIDs, JSON objects) cannot fail.
    serde_jcs::to_vec(value).unwrap_or_default()
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    pub(crate) fn sample() -> (Leaf, Personal) {
        let personal = Personal {
            ip: Some("203.0.113.10".into()),
            ua: Some("Firefox".into()),
            salt: "00112233445566778899aabbccddeeff".into(),
        };
        let leaf = Leaf {
            v: 1,
            org: Uuid::nil(),
            id: Uuid::from_u128(7),
            time: leaf_time(datetime!(2026-11-23 12:00:00.123456789 UTC)),
            actor: Actor {
                kind: "user".into(),
                user: Some(Uuid::from_u128(1)),
                role: Some("org_admin".into()),
            },
            action: "auth.sign_in".into(),
            resource: Resource {
                kind: "account".into(),
                id: Some("x".into()),
            },
            subject: None,
            request: Some("r-1".into()),
            details: serde_json::json!({"zeta": 1, "alpha": "é"}),
            personal: hex(&personal.digest()),
        };
        (leaf, personal)
    }

    #[test]
    fn times_are_utc_with_microseconds() {
        assert_eq!(
            leaf_time(datetime!(2026-11-23 12:00:00.123456789 UTC)),
            "2026-11-23T12:00:00.123456Z"
        );
        assert_eq!(
            leaf_time(datetime!(2026-11-23 07:00:00 -5)),
            "2026-11-23T12:00:00.000000Z"
        );
    }

    #[test]
    fn canonical_bytes_sort_keys_and_have_no_whitespace() {
        let (leaf, _) = sample();
        let text = String::from_utf8(leaf.canonical_bytes()).unwrap();
        assert!(text.starts_with(r#"{"action":"auth.sign_in","actor":{"kind":"user","role":"org_admin","user":"00000000-0000-0000-0000-000000000001"},"details":{"alpha":"é","zeta":1},"id":"#), "{text}");
        assert!(
            !text.contains(": ") && !text.contains(", "),
            "no whitespace between tokens"
        );
        assert!(text.contains(r#""subject":null"#));
    }

    #[test]
    fn the_leaf_commits_to_its_personal_fields_without_holding_them() {
        let (leaf, personal) = sample();
        assert!(leaf.commits_to(&personal));
        assert!(
            !String::from_utf8(leaf.canonical_bytes())
                .unwrap()
                .contains("203.0.113.10")
        );
        let altered = Personal {
            ip: Some("203.0.113.11".into()),
            ..personal
        };
        assert!(!leaf.commits_to(&altered));
    }

    #[test]
    fn any_change_changes_the_hash() {
        let (leaf, _) = sample();
        let mut other = leaf.clone();
        other.action = "auth.sign_out".into();
        assert_ne!(leaf.hash(), other.hash());
        let parsed: Leaf = serde_json::from_slice(&leaf.canonical_bytes()).unwrap();
        assert_eq!(
            parsed.hash(),
            leaf.hash(),
            "canonical bytes parse back to the same leaf"
        );
    }
}
