//! Cell references checked before the workbook reader sees them. A sheet names cells and rows by
//! reference (`<c r="B7">`, `<row r="7">`, `<dimension ref="A1:D20">`); a reference with too many
//! letters or digits overflows the reader's arithmetic (found by fuzzing calamine 0.38: see
//! `fuzz/regressions/xlsx`). Every `r` and `ref` attribute of every element in a sheet is checked
//! while the workbook is inflated the first time: at most three letters up to `XFD` and a row up
//! to 1,048,576, as a spreadsheet allows.
//!
//! Every part of the archive is checked, not only those under `xl/worksheets/` (the workbook's
//! relationships may point a sheet anywhere). Each is tokenized by the same XML reader, with the
//! same settings, that calamine uses, and each element's attributes are split the way calamine
//! splits them (a key is everything up to `=`, trailing whitespace dropped; the value is quoted
//! with `"` or `'`), so whatever calamine would take for a reference is checked here first. Where
//! the tokenizer gives up (a picture, or malformed XML) calamine would give up at the same byte
//! with an error, so nothing past it can reach calamine as a reference.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::BufRead;

/// The largest row and column a spreadsheet has.
const MAX_ROW: u32 = 1_048_576;
const MAX_COLUMN: u32 = 16_384;

/// Why a part was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PartProblem {
    /// The part could not be inflated.
    Damaged,
    /// A cell, row or range reference lies outside any spreadsheet.
    OutOfRange,
}

/// Reads a part as XML until its end or until the tokenizer gives up, checking every reference
/// on the way. The caller drains what is left (to count it).
pub(crate) fn check_part(part: impl BufRead) -> Result<(), PartProblem> {
    let mut reader = Reader::from_reader(part);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                if !attributes(element.attributes_raw().as_bytes()).all(|(key, value)| {
                    !matches!(key, b"r" | b"ref")
                        || value.split(|b| *b == b':').all(valid_reference)
                }) {
                    return Err(PartProblem::OutOfRange);
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(quick_xml::Error::Io(_)) => return Err(PartProblem::Damaged),
            // Not XML from here on: calamine stops here too, with an error.
            Err(_) => return Ok(()),
        }
    }
}

/// An element's attributes as calamine splits them: `(key, raw value)`, stopping at the first
/// malformed one (where calamine stops with an error).
fn attributes(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let key_start = pos;
        let eq = key_start + raw.get(key_start..)?.iter().position(|b| *b == b'=')?;
        let key = raw[key_start..eq].trim_ascii_end();
        pos = eq + 1;
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let quote = *raw.get(pos).filter(|q| matches!(q, b'"' | b'\''))?;
        let value_start = pos + 1;
        let len = raw[value_start..]
            .iter()
            .position(|b| *b == quote)
            .unwrap_or(raw.len() - value_start);
        pos = value_start + len + 1;
        Some((key, &raw[value_start..value_start + len]))
    })
}

/// `A1`, `XFD1048576`, `7` (a row), `B` (a column): letters then digits, each in range.
fn valid_reference(value: &[u8]) -> bool {
    let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (column, row) = value.split_at(letters);
    if letters > 3 || row.len() > 7 || !row.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let column_number = column.iter().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row_number = row.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    column_number <= MAX_COLUMN && row_number <= MAX_ROW
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &str) -> Result<(), PartProblem> {
        check_part(xml.as_bytes())
    }

    #[test]
    fn references_in_range_pass_and_others_are_refused() {
        assert_eq!(
            check(
                r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="7"><c r="B7" t="s"/></row></sheetData></worksheet>"#
            ),
            Ok(())
        );
        for bad in [
            r#"<row r="XXXXXXXXXXXXXX1">"#,
            r#"<c r="XFE1">"#,
            r#"<c r="A1048577">"#,
            r#"<dimension ref="A1:AAAAAAAAAAAA99"/>"#,
            r#"<c r="A99999999999999999999999999999999999999">"#,
        ] {
            assert_eq!(check(bad), Err(PartProblem::OutOfRange), "{bad}");
        }
    }

    #[test]
    fn every_spelling_calamine_accepts_is_checked() {
        // Whitespace around `=` (the second fuzzing find), single quotes, other attributes first.
        for bad in [
            "<row r\r=\"XXXXXXXXXXXXXX1\">",
            "<row r = 'XXXXXXXXXXXXXX1'>",
            "<c s=\"1\"\tr='ZZZZ1'/>",
            "<x:c r=\"AAAAA1\"/>",
        ] {
            assert_eq!(check(bad), Err(PartProblem::OutOfRange), "{bad:?}");
        }
        // Other attributes whose names end in `r` are not references.
        assert_eq!(check(r#"<c attr="ZZZZZZ1" xr="x" sqref="A1 B2"/>"#), Ok(()));
    }

    #[test]
    fn references_before_the_tokenizer_gives_up_are_checked() {
        assert_eq!(
            check("<row r=\"XFE1\"><c r=\"A1\""),
            Err(PartProblem::OutOfRange)
        );
        assert_eq!(check("<row r=\"1\"><c r=\"A1\""), Ok(()));
        assert_eq!(check("\u{89}PNG\r\n binary"), Ok(()));
    }
}
