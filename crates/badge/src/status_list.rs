//! Revocation by index: an IETF Token Status List (draft-ietf-oauth-status-list) of one bit per
//! badge (1 = revoked), ZLIB-compressed, in a CWT signed like badges (COSE_Sign1, Ed25519), with
//! an expiry and a time to live. One list per organisation, re-published on change. Never
//! revocation by a hash of the signature.

use crate::cose::{self, int};
use crate::verify::{Invalid, KeyId, TrustedKey};
use coset::cbor::value::Value;
use coset::{CoseSign1, HeaderBuilder, TaggedCborSerializable as _, iana};
use ed25519_dalek::SigningKey;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use std::io::{Read as _, Write as _};

const SUB: i64 = 2;
const EXP: i64 = 4;
const IAT: i64 = 6;
const TTL: i64 = 65534;
const STATUS_LIST: i64 = 65533;
/// The COSE `typ` header parameter (RFC 9596).
const TYP: i64 = 16;
/// The `typ` of a status list token.
pub const STATUS_LIST_TYP: &str = "application/statuslist+cwt";
/// The most entries a list may hold once decompressed (a compression bomb is refused).
const MAX_BYTES: u64 = 1 << 20;

/// A list of one bit per badge: index 0 is the least significant bit of the first byte.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of `len` badges, none revoked.
    pub fn new(len: usize) -> Self {
        Self {
            bytes: vec![0; len.div_ceil(8)],
        }
    }

    pub fn revoke(&mut self, index: u32) {
        let i = index as usize;
        if self.bytes.len() <= i / 8 {
            self.bytes.resize(i / 8 + 1, 0);
        }
        self.bytes[i / 8] |= 1 << (i % 8);
    }

    /// Whether badge `index` is revoked (an index past the end is not).
    pub fn is_revoked(&self, index: u32) -> bool {
        let i = index as usize;
        self.bytes
            .get(i / 8)
            .is_some_and(|b| b & (1 << (i % 8)) != 0)
    }

    fn compressed(&self) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(&self.bytes);
        encoder.finish().unwrap_or_default()
    }

    fn decompress(compressed: &[u8]) -> Option<Self> {
        let mut bytes = Vec::new();
        ZlibDecoder::new(compressed)
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.len() as u64 <= MAX_BYTES).then_some(Self { bytes })
    }
}

/// A status list as a gate holds it once verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedStatusList {
    pub uri: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub ttl: i64,
    pub list: StatusList,
}

/// The signed status list token (CBOR bytes of a tagged COSE_Sign1).
pub fn sign_status_list(
    list: &StatusList,
    uri: &str,
    issued_at: i64,
    expires_at: i64,
    ttl: i64,
    kid: &KeyId,
    key: &SigningKey,
) -> Result<Vec<u8>, crate::SignError> {
    let claims = Value::Map(vec![
        (int(SUB), Value::Text(uri.to_owned())),
        (int(EXP), int(expires_at)),
        (int(IAT), int(issued_at)),
        (int(TTL), int(ttl)),
        (
            int(STATUS_LIST),
            Value::Map(vec![
                (Value::Text("bits".into()), int(1)),
                (Value::Text("lst".into()), Value::Bytes(list.compressed())),
            ]),
        ),
    ]);
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .value(TYP, Value::Text(STATUS_LIST_TYP.to_owned()))
        .build();
    cose::sign1(cose::encode(&claims)?, protected, Some(kid), key)
}

/// Verifies a status list token against the trusted keys at `now`.
pub fn verify_status_list(
    token: &[u8],
    keys: &[TrustedKey],
    now: i64,
) -> Result<VerifiedStatusList, Invalid> {
    let sign1 = CoseSign1::from_tagged_slice(token).map_err(|_| Invalid::Malformed)?;
    cose::signer(&sign1, keys)?;
    let entries =
        cose::decode_map(sign1.payload.as_deref().unwrap_or_default()).ok_or(Invalid::Malformed)?;
    let get = |key: i64| cose::by_int(&entries, key);
    let number = |key: i64| get(key).and_then(cose::as_i64).ok_or(Invalid::Malformed);
    let list = get(STATUS_LIST)
        .and_then(Value::as_map)
        .ok_or(Invalid::Malformed)?;
    if cose::by_text(list, "bits").and_then(cose::as_i64) != Some(1) {
        return Err(Invalid::Malformed);
    }
    let lst = cose::by_text(list, "lst")
        .and_then(Value::as_bytes)
        .ok_or(Invalid::Malformed)?;
    let verified = VerifiedStatusList {
        uri: get(SUB)
            .and_then(Value::as_text)
            .ok_or(Invalid::Malformed)?
            .to_owned(),
        issued_at: number(IAT)?,
        expires_at: number(EXP)?,
        ttl: number(TTL)?,
        list: StatusList::decompress(lst).ok_or(Invalid::Malformed)?,
    };
    if now >= verified.expires_at {
        return Err(Invalid::Expired);
    }
    Ok(verified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_counted_from_the_least_significant_bit_of_the_first_byte() {
        let mut list = StatusList::new(16);
        list.revoke(0);
        list.revoke(9);
        assert_eq!(list.bytes, vec![0b0000_0001, 0b0000_0010]);
        assert!(list.is_revoked(9) && !list.is_revoked(8) && !list.is_revoked(10_000));
        list.revoke(100);
        assert!(list.is_revoked(100));
    }

    #[test]
    fn a_signed_list_verifies_and_an_expired_or_forged_one_does_not() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let kid = KeyId([3; 8]);
        let trusted = [TrustedKey {
            kid,
            key: key.verifying_key(),
            valid_from: 0,
            valid_until: None,
        }];
        let mut list = StatusList::new(100_000);
        list.revoke(1234);
        let token =
            sign_status_list(&list, "attest:sl:northwind", 1000, 5000, 300, &kid, &key).unwrap();
        assert!(
            token.len() < 400,
            "100,000 badges, one revoked, compress well: {} bytes",
            token.len()
        );
        let verified = verify_status_list(&token, &trusted, 2000).unwrap();
        assert!(verified.list.is_revoked(1234) && !verified.list.is_revoked(1235));
        assert_eq!(
            (verified.uri.as_str(), verified.ttl),
            ("attest:sl:northwind", 300)
        );
        assert_eq!(
            verify_status_list(&token, &trusted, 5000),
            Err(Invalid::Expired)
        );
        let forged = sign_status_list(
            &StatusList::new(8),
            "attest:sl:northwind",
            1000,
            5000,
            300,
            &kid,
            &SigningKey::from_bytes(&[4; 32]),
        )
        .unwrap();
        assert_eq!(
            verify_status_list(&forged, &trusted, 2000),
            Err(Invalid::BadSignature)
        );
        assert_eq!(
            verify_status_list(b"garbage", &trusted, 2000),
            Err(Invalid::Malformed)
        );
    }
}
