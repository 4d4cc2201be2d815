//! Associated data: what a ciphertext is bound to. Encodings are length-prefixed so that no two
//! different contexts can produce the same bytes.

use uuid::Uuid;

/// Where a sealed field lives. Opening it under any other context fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldContext<'a> {
    pub org_id: Uuid,
    pub table: &'a str,
    /// The row's primary key within the organisation, as text.
    pub row: &'a str,
    pub column: &'a str,
}

impl FieldContext<'_> {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(b"attest/field/v1\0");
        out.extend_from_slice(self.org_id.as_bytes());
        push_field(&mut out, self.table.as_bytes());
        push_field(&mut out, self.row.as_bytes());
        push_field(&mut out, self.column.as_bytes());
        out
    }
}

/// Whose data a data key protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKeySubject {
    /// The organisation's own key (organisation-level confidential data).
    Organisation,
    /// One person's key: destroyed when they are deleted (crypto-shredding).
    Person(Uuid),
}

/// Identifies a data key when it is wrapped, so a wrapped key cannot be swapped for another
/// organisation's or person's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataKeyContext {
    pub org_id: Uuid,
    pub key_id: Uuid,
    pub subject: DataKeySubject,
}

impl DataKeyContext {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(b"attest/data-key/v1\0");
        out.extend_from_slice(self.org_id.as_bytes());
        out.extend_from_slice(self.key_id.as_bytes());
        match self.subject {
            DataKeySubject::Organisation => out.push(0),
            DataKeySubject::Person(person) => {
                out.push(1);
                out.extend_from_slice(person.as_bytes());
            }
        }
        out
    }
}

fn push_field(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_text_between_fields_changes_the_encoding() {
        let org = Uuid::nil();
        let a = FieldContext {
            org_id: org,
            table: "ab",
            row: "c",
            column: "d",
        }
        .encode();
        let b = FieldContext {
            org_id: org,
            table: "a",
            row: "bc",
            column: "d",
        }
        .encode();
        assert_ne!(a, b);
    }

    #[test]
    fn person_and_organisation_keys_encode_differently() {
        let org = Uuid::nil();
        let key_id = Uuid::nil();
        let a = DataKeyContext {
            org_id: org,
            key_id,
            subject: DataKeySubject::Organisation,
        };
        let b = DataKeyContext {
            org_id: org,
            key_id,
            subject: DataKeySubject::Person(Uuid::nil()),
        };
        assert_ne!(a.encode(), b.encode());
    }
}
