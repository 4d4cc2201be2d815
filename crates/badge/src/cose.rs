//! What badges, status lists and trust bundles share: CBOR map access, and signing and checking
//! a tagged COSE_Sign1 with Ed25519 (EdDSA).

use crate::SignError;
use crate::verify::{Invalid, KeyId, TrustedKey};
use coset::cbor::value::{Integer, Value};
use coset::{CoseSign1, CoseSign1Builder, Header, HeaderBuilder, TaggedCborSerializable as _};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

pub(crate) fn int(n: i64) -> Value {
    Value::Integer(Integer::from(n))
}

pub(crate) fn as_i64(value: &Value) -> Option<i64> {
    value.as_integer().and_then(|i| i64::try_from(i).ok())
}

/// The value under integer `key` in a CBOR map.
pub(crate) fn by_int(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| as_i64(k) == Some(key))
        .map(|(_, v)| v)
}

/// The value under text `key` in a CBOR map.
pub(crate) fn by_text<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

/// A CBOR value as bytes.
pub(crate) fn encode(value: &Value) -> Result<Vec<u8>, SignError> {
    let mut out = Vec::new();
    coset::cbor::ser::into_writer(value, &mut out)
        .map_err(|e| SignError::Encoding(e.to_string()))?;
    Ok(out)
}

/// A CBOR map's entries from bytes.
pub(crate) fn decode_map(bytes: &[u8]) -> Option<Vec<(Value, Value)>> {
    match coset::cbor::de::from_reader(bytes).ok()? {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}

/// Signs `payload` as a tagged COSE_Sign1 with `protected` (which must name EdDSA) and, if
/// given, the key id in the unprotected header.
pub(crate) fn sign1(
    payload: Vec<u8>,
    protected: Header,
    kid: Option<&KeyId>,
    key: &SigningKey,
) -> Result<Vec<u8>, SignError> {
    let unprotected = kid.map_or_else(Header::default, |kid| {
        HeaderBuilder::new().key_id(kid.0.to_vec()).build()
    });
    CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected)
        .payload(payload)
        .create_signature(&[], |to_sign| key.sign(to_sign).to_bytes().to_vec())
        .build()
        .to_tagged_vec()
        .map_err(|e| SignError::Encoding(e.to_string()))
}

/// Whether `key` made the signature (strict Ed25519 verification).
pub(crate) fn signed_by(sign1: &CoseSign1, key: &VerifyingKey) -> bool {
    sign1
        .verify_signature(&[], |signature, signed| {
            let signature = Signature::from_slice(signature).map_err(|_| ())?;
            key.verify_strict(signed, &signature).map_err(|_| ())
        })
        .is_ok()
}

/// The message's 8-byte key id.
pub(crate) fn kid(sign1: &CoseSign1) -> Result<KeyId, Invalid> {
    sign1
        .unprotected
        .key_id
        .as_slice()
        .try_into()
        .map(KeyId)
        .map_err(|_| Invalid::Malformed)
}

/// The trusted key the message names, which must have made its signature.
pub(crate) fn signer<'a>(
    sign1: &CoseSign1,
    keys: &'a [TrustedKey],
) -> Result<&'a TrustedKey, Invalid> {
    let kid = kid(sign1)?;
    let trusted = keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or(Invalid::UnknownKey)?;
    if signed_by(sign1, &trusted.key) {
        Ok(trusted)
    } else {
        Err(Invalid::BadSignature)
    }
}
