//! Reading a badge's COSE_Sign1 and its claims straight from the bytes with a streaming CBOR
//! decoder (minicbor), without building a value tree: a gate reads one per scan, and besides the
//! signature check this is most of its work. Anything not exactly as docs/badge.md specifies
//! (another tag, missing or repeated claims, wrong types, trailing bytes) is refused.

use crate::claims::{
    Badge, BadgeCredential, BadgeStatus, CREDENTIALS, EXP, IAT, ISS, NAME, STATUS, SUB, StatusRef,
};
use crate::verify::KeyId;
use minicbor::Decoder;
use minicbor::data::Type;
use std::ops::Range;

/// A received COSE_Sign1: its bytes, and where its signed parts are in them.
#[derive(Clone, Debug)]
pub struct Signed {
    bytes: Vec<u8>,
    protected: Range<usize>,
    payload: Range<usize>,
    signature: Range<usize>,
}

impl Signed {
    /// The protected header, as serialised (what the signature covers).
    pub fn protected(&self) -> &[u8] {
        &self.bytes[self.protected.clone()]
    }

    /// The payload: the CWT claims set as CBOR.
    pub fn payload(&self) -> &[u8] {
        &self.bytes[self.payload.clone()]
    }

    /// The 64-byte Ed25519 signature.
    pub fn signature(&self) -> &[u8] {
        &self.bytes[self.signature.clone()]
    }
}

/// The byte string at the decoder's position, as a range of the input.
fn byte_range(d: &mut Decoder<'_>) -> Option<Range<usize>> {
    let len = d.bytes().ok()?.len();
    let end = d.position();
    Some(end - len..end)
}

/// A map entry's label if it is an integer; another label is skipped (`Some(None)`).
fn int_label(d: &mut Decoder<'_>) -> Option<Option<i64>> {
    match d.datatype().ok()? {
        Type::U8
        | Type::U16
        | Type::U32
        | Type::U64
        | Type::I8
        | Type::I16
        | Type::I32
        | Type::I64
        | Type::Int => Some(Some(d.i64().ok()?)),
        _ => {
            d.skip().ok()?;
            Some(None)
        }
    }
}

/// A map entry's label if it is a text string; another label is skipped (`Some(None)`).
fn text_label<'b>(d: &mut Decoder<'b>) -> Option<Option<&'b str>> {
    if d.datatype().ok()? == Type::String {
        Some(Some(d.str().ok()?))
    } else {
        d.skip().ok()?;
        Some(None)
    }
}

/// Whether a header map holds `alg` (1) = EdDSA (-8); other labels are skipped.
fn is_eddsa(header: &[u8]) -> Option<bool> {
    let mut d = Decoder::new(header);
    let mut alg = None;
    for _ in 0..d.map().ok()?? {
        if int_label(&mut d)? == Some(1) {
            set(&mut alg, d.i64().ok()?)?;
        } else {
            d.skip().ok()?;
        }
    }
    (d.position() == header.len()).then_some(alg == Some(-8))
}

/// A tagged COSE_Sign1 signed with EdDSA and its 8-byte `kid` (unprotected header 4).
pub(crate) fn read_sign1(bytes: Vec<u8>) -> Option<(KeyId, Signed)> {
    let mut d = Decoder::new(&bytes);
    if d.tag().ok()?.as_u64() != 18 || d.array().ok()? != Some(4) {
        return None;
    }
    let protected = byte_range(&mut d)?;
    if !is_eddsa(&bytes[protected.clone()])? {
        return None;
    }
    let mut kid = None;
    for _ in 0..d.map().ok()?? {
        if int_label(&mut d)? == Some(4) {
            set(&mut kid, KeyId(d.bytes().ok()?.try_into().ok()?))?;
        } else {
            d.skip().ok()?;
        }
    }
    let payload = byte_range(&mut d)?;
    let signature = byte_range(&mut d)?;
    if signature.len() != 64 || d.position() != bytes.len() {
        return None;
    }
    Some((
        kid?,
        Signed {
            bytes,
            protected,
            payload,
            signature,
        },
    ))
}

fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    // A repeated claim is refused, never silently resolved.
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

fn read_credential(d: &mut Decoder<'_>) -> Option<BadgeCredential> {
    if d.array().ok()? != Some(3) {
        return None;
    }
    let code = d.str().ok()?.to_owned();
    let status = BadgeStatus::from_code(i128::from(d.u8().ok()?))?;
    let expires_day = if d.datatype().ok()? == Type::Null {
        d.null().ok()?;
        None
    } else {
        Some(d.i64().ok()?)
    };
    Some(BadgeCredential {
        code,
        status,
        expires_day,
    })
}

/// `{"status_list": {"idx": uint, "uri": text}}`.
fn read_status(d: &mut Decoder<'_>) -> Option<StatusRef> {
    let mut found = None;
    for _ in 0..d.map().ok()?? {
        if text_label(d)? == Some("status_list") {
            let (mut index, mut uri) = (None, None);
            for _ in 0..d.map().ok()?? {
                match text_label(d)? {
                    Some("idx") => set(&mut index, d.u32().ok()?)?,
                    Some("uri") => set(&mut uri, d.str().ok()?.to_owned())?,
                    _ => d.skip().ok()?,
                }
            }
            set(
                &mut found,
                StatusRef {
                    index: index?,
                    uri: uri?,
                },
            )?;
        } else {
            d.skip().ok()?;
        }
    }
    found
}

/// The claims set; `None` if anything required is missing, repeated or of the wrong type.
pub(crate) fn read_claims(payload: &[u8]) -> Option<Badge> {
    let mut d = Decoder::new(payload);
    let (mut issuer, mut subject, mut expires_at, mut issued_at) = (None, None, None, None);
    let (mut name, mut credentials, mut status) = (None, None, None);
    for _ in 0..d.map().ok()?? {
        let Some(key) = int_label(&mut d)? else {
            d.skip().ok()?;
            continue;
        };
        match key {
            ISS => set(&mut issuer, d.str().ok()?.to_owned())?,
            SUB => set(&mut subject, d.str().ok()?.to_owned())?,
            EXP => set(&mut expires_at, d.i64().ok()?)?,
            IAT => set(&mut issued_at, d.i64().ok()?)?,
            NAME => set(&mut name, d.str().ok()?.to_owned())?,
            CREDENTIALS => {
                let n = d.array().ok()??;
                let list = (0..n)
                    .map(|_| read_credential(&mut d))
                    .collect::<Option<Vec<_>>>()?;
                set(&mut credentials, list)?;
            }
            STATUS => set(&mut status, read_status(&mut d)?)?,
            _ => d.skip().ok()?,
        }
    }
    if d.position() != payload.len() {
        return None;
    }
    Some(Badge {
        issuer: issuer?,
        subject: subject?,
        issued_at: issued_at?,
        expires_at: expires_at?,
        name: name?,
        credentials: credentials?,
        status: status?,
    })
}
