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

/// Whether `key` made the signature (strict Ed25519 verification) over the message's
/// `Sig_structure`: `["Signature1", protected, h'', payload]` (RFC 9052 §4.4), built from the
/// protected header's bytes as received.
pub(crate) fn signed_by(sign1: &CoseSign1, key: &VerifyingKey) -> bool {
    let Ok(signature) = Signature::from_slice(&sign1.signature) else {
        return false;
    };
    let Some(protected) = sign1.protected.original_data.as_deref() else {
        // Not parsed from bytes: let coset encode the header.
        return sign1
            .verify_signature(&[], |_, signed| {
                key.verify_strict(signed, &signature).map_err(|_| ())
            })
            .is_ok();
    };
    signature_valid(
        protected,
        sign1.payload.as_deref().unwrap_or_default(),
        &sign1.signature,
        key,
    )
}

/// Whether `signature` is `key`'s (strict Ed25519) over the `Sig_structure` of a COSE_Sign1 with
/// these serialised protected header and payload.
pub(crate) fn signature_valid(
    protected: &[u8],
    payload: &[u8],
    signature: &[u8],
    key: &VerifyingKey,
) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    let mut signed = Vec::with_capacity(16 + protected.len() + payload.len());
    signed.extend_from_slice(&[0x84, 0x6a]);
    signed.extend_from_slice(b"Signature1");
    byte_string(&mut signed, protected);
    signed.push(0x40);
    byte_string(&mut signed, payload);
    key.verify_strict(&signed, &signature).is_ok()
}

/// Appends a CBOR byte string (major type 2, definite length).
fn byte_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len();
    match u32::try_from(len) {
        Ok(n) if n < 24 => out.push(0x40 | n as u8),
        Ok(n) if n <= 0xff => out.extend_from_slice(&[0x58, n as u8]),
        Ok(n) if n <= 0xffff => {
            out.push(0x59);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        Ok(n) => {
            out.push(0x5a);
            out.extend_from_slice(&n.to_be_bytes());
        }
        Err(_) => {
            out.push(0x5b);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(bytes);
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
