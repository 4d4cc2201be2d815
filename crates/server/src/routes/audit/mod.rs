//! The audit ledger over HTTP, a file per action: the [`timeline`], the signed [`checkpoint`],
//! [`proofs`], [`export`]s (JSON Lines with proofs, and CSV) and [`erasure`] of personal fields.

pub(crate) mod checkpoint;
pub(crate) mod erasure;
pub(crate) mod export;
pub(crate) mod proofs;
pub(crate) mod timeline;

use crate::validation::Fields;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A query's time, or a field error.
pub(super) fn parse_time(
    fields: &mut Fields,
    name: &str,
    value: Option<&str>,
) -> Option<OffsetDateTime> {
    value.and_then(|v| {
        fields.check(
            name,
            OffsetDateTime::parse(v, &Rfc3339)
                .map_err(|_| "must be an RFC 3339 time, e.g. 2026-11-23T00:00:00Z"),
        )
    })
}
