//! The trust bundle a gate downloads: the organisations' public keys (with their validity), their
//! status lists, credential type names, when it was issued and how long a gate may rely on it
//! offline — signed by the platform key whose public half the gate app pins. A gate refuses a
//! bundle that is too old, or a device clock that disagrees with it, and says "data as of …".

use crate::claims::Badge;
use crate::cose::{as_i64, by_text, encode, int, signed_by};
use crate::status_list::{VerifiedStatusList, verify_status_list};
use crate::verify::{Invalid, KeyId, TrustedKey, check_status_of, verify_decoded};
use coset::cbor::value::Value;
use coset::{CoseSign1, HeaderBuilder, TaggedCborSerializable as _, iana};
use ed25519_dalek::{SigningKey, VerifyingKey};

/// One organisation signing key in a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleKey {
    /// The organisation's short name (the badges' `iss`).
    pub org: String,
    pub kid: KeyId,
    pub public_key: [u8; 32],
    pub valid_from: i64,
    pub valid_until: Option<i64>,
}

/// A credential type's name, for display at the gate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeName {
    pub org: String,
    pub code: String,
    pub name: String,
}

/// What a bundle holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustBundle {
    pub issued_at: i64,
    /// Seconds after `issued_at` that a gate may still rely on it.
    pub max_offline_age: i64,
    pub keys: Vec<BundleKey>,
    /// Signed status list tokens, as published.
    pub status_lists: Vec<Vec<u8>>,
    pub type_names: Vec<TypeName>,
}

/// Why a gate refuses a bundle.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("the trust bundle is damaged")]
    Malformed,
    #[error("the trust bundle is not signed by the platform key this gate trusts")]
    BadSignature,
    #[error("the trust bundle is too old (data as of {0}); connect to refresh it")]
    TooOld(i64),
    #[error("this device's clock is behind the trust bundle's; set the clock and try again")]
    ClockBehind,
    #[error("a status list in the bundle does not verify: {0}")]
    StatusList(Invalid),
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

impl TrustBundle {
    fn to_value(&self) -> Value {
        let keys = self
            .keys
            .iter()
            .map(|k| {
                Value::Map(vec![
                    (text("org"), text(&k.org)),
                    (text("kid"), Value::Bytes(k.kid.0.to_vec())),
                    (text("key"), Value::Bytes(k.public_key.to_vec())),
                    (text("from"), int(k.valid_from)),
                    (text("until"), k.valid_until.map_or(Value::Null, int)),
                ])
            })
            .collect();
        let names = self
            .type_names
            .iter()
            .map(|t| Value::Array(vec![text(&t.org), text(&t.code), text(&t.name)]))
            .collect();
        Value::Map(vec![
            (text("iat"), int(self.issued_at)),
            (text("max_offline_age"), int(self.max_offline_age)),
            (text("keys"), Value::Array(keys)),
            (
                text("status_lists"),
                Value::Array(
                    self.status_lists
                        .iter()
                        .cloned()
                        .map(Value::Bytes)
                        .collect(),
                ),
            ),
            (text("type_names"), Value::Array(names)),
        ])
    }

    fn from_value(value: &Value) -> Option<Self> {
        let map = value.as_map()?;
        let keys = by_text(map, "keys")?
            .as_array()?
            .iter()
            .map(|k| {
                let k = k.as_map()?;
                Some(BundleKey {
                    org: by_text(k, "org")?.as_text()?.to_owned(),
                    kid: KeyId(by_text(k, "kid")?.as_bytes()?.as_slice().try_into().ok()?),
                    public_key: by_text(k, "key")?.as_bytes()?.as_slice().try_into().ok()?,
                    valid_from: by_text(k, "from").and_then(as_i64)?,
                    valid_until: match by_text(k, "until")? {
                        Value::Null => None,
                        v => Some(as_i64(v)?),
                    },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let type_names = by_text(map, "type_names")?
            .as_array()?
            .iter()
            .map(|t| match t.as_array()?.as_slice() {
                [org, code, name] => Some(TypeName {
                    org: org.as_text()?.to_owned(),
                    code: code.as_text()?.to_owned(),
                    name: name.as_text()?.to_owned(),
                }),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            issued_at: by_text(map, "iat").and_then(as_i64)?,
            max_offline_age: by_text(map, "max_offline_age").and_then(as_i64)?,
            keys,
            status_lists: by_text(map, "status_lists")?
                .as_array()?
                .iter()
                .map(|v| v.as_bytes().cloned())
                .collect::<Option<Vec<_>>>()?,
            type_names,
        })
    }
}

/// Signs a bundle with the platform key (a tagged COSE_Sign1 over its CBOR).
pub fn sign_bundle(
    bundle: &TrustBundle,
    platform: &SigningKey,
) -> Result<Vec<u8>, crate::SignError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .build();
    crate::cose::sign1(encode(&bundle.to_value())?, protected, None, platform)
}

/// A gate's view of a verified bundle: the keys and status lists it trusts, and type names.
#[derive(Clone, Debug)]
pub struct Gate {
    pub data_as_of: i64,
    /// Seconds after `data_as_of` the gate may rely on its data.
    pub max_offline_age: i64,
    /// Each organisation's keys.
    keys: Vec<(String, Vec<TrustedKey>)>,
    lists: Vec<VerifiedStatusList>,
    names: Vec<TypeName>,
}

/// What the gate shows for a scanned badge: never more than the name and the credentials' names
/// and statuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateResult {
    pub valid: bool,
    /// Why not, in words for the gate's screen.
    pub reason: Option<String>,
    /// Why not, as a stable code ([`Invalid::code`]).
    pub reason_code: Option<&'static str>,
    pub name: Option<String>,
    pub credentials: Vec<GateCredential>,
    pub data_as_of: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateCredential {
    pub code: String,
    pub name: String,
    pub status: &'static str,
    /// Days since 1970-01-01.
    pub expires_day: Option<i64>,
}

impl GateCredential {
    /// The expiry as an ISO 8601 date (`YYYY-MM-DD`).
    pub fn expires(&self) -> Option<String> {
        self.expires_day.map(crate::claims::iso_date)
    }
}

/// Verifies a bundle with the pinned platform key at the device's `now`, allowing its clock to
/// be `tolerance` seconds behind the bundle's.
pub fn open_bundle(
    bytes: &[u8],
    platform: &VerifyingKey,
    now: i64,
    tolerance: i64,
) -> Result<Gate, BundleError> {
    let sign1 = CoseSign1::from_tagged_slice(bytes).map_err(|_| BundleError::Malformed)?;
    if !signed_by(&sign1, platform) {
        return Err(BundleError::BadSignature);
    }
    let value: Value = coset::cbor::de::from_reader(sign1.payload.as_deref().unwrap_or_default())
        .map_err(|_| BundleError::Malformed)?;
    let bundle = TrustBundle::from_value(&value).ok_or(BundleError::Malformed)?;
    if now + tolerance < bundle.issued_at {
        return Err(BundleError::ClockBehind);
    }
    if now > bundle.issued_at + bundle.max_offline_age {
        return Err(BundleError::TooOld(bundle.issued_at));
    }
    let mut keys: Vec<(String, Vec<TrustedKey>)> = Vec::new();
    let mut trusted = Vec::new();
    for k in &bundle.keys {
        let Ok(key) = VerifyingKey::from_bytes(&k.public_key) else {
            continue;
        };
        let key = TrustedKey {
            kid: k.kid,
            key,
            valid_from: k.valid_from,
            valid_until: k.valid_until,
        };
        trusted.push(key.clone());
        match keys.iter_mut().find(|(org, _)| *org == k.org) {
            Some((_, of_org)) => of_org.push(key),
            None => keys.push((k.org.clone(), vec![key])),
        }
    }
    let lists = bundle
        .status_lists
        .iter()
        .map(|token| verify_status_list(token, &trusted, now).map_err(BundleError::StatusList))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Gate {
        data_as_of: bundle.issued_at,
        max_offline_age: bundle.max_offline_age,
        keys,
        lists,
        names: bundle.type_names,
    })
}

impl Gate {
    /// Checks a scanned payload at `now`.
    pub fn check(&self, payload: &str, now: i64) -> GateResult {
        let refused = |reason: Invalid| GateResult {
            valid: false,
            reason: Some(reason.to_string()),
            reason_code: Some(reason.code()),
            name: None,
            credentials: Vec::new(),
            data_as_of: self.data_as_of,
        };
        // A gate left open past its data's life stops vouching for anyone until it refreshes.
        if now > self.data_as_of + self.max_offline_age {
            return refused(Invalid::DataTooOld);
        }
        // A badge verifies only with a key of the organisation it names as issuer.
        let decoded = match crate::decode(payload) {
            Ok(decoded) => decoded,
            Err(reason) => return refused(reason),
        };
        let keys = self
            .keys
            .iter()
            .find(|(org, _)| *org == decoded.1.issuer)
            .map_or(&[][..], |(_, keys)| keys.as_slice());
        let lists: Vec<&VerifiedStatusList> =
            self.lists.iter().filter(|l| now < l.expires_at).collect();
        let badge: Badge = match verify_decoded(decoded, keys, now)
            .and_then(|b| check_status_of(&b, &lists).map(|()| b))
        {
            Ok(b) => b,
            Err(reason) => return refused(reason),
        };
        let today = now.div_euclid(86_400);
        let credentials = badge
            .credentials
            .iter()
            .map(|c| GateCredential {
                name: self
                    .names
                    .iter()
                    .find(|t| t.org == badge.issuer && t.code == c.code)
                    .map_or_else(|| c.code.clone(), |t| t.name.clone()),
                code: c.code.clone(),
                status: c.status_on(today).as_str(),
                expires_day: c.expires_day,
            })
            .collect();
        GateResult {
            valid: true,
            reason: None,
            reason_code: None,
            name: Some(badge.name),
            credentials,
            data_as_of: self.data_as_of,
        }
    }
}

#[cfg(test)]
#[path = "bundle_tests.rs"]
mod tests;
