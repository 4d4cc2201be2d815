//! XLSX files built by hand (the smallest valid workbook), read back.

use super::*;
use crate::table::{Limits, Table};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// A workbook whose first sheet holds `rows`; a cell starting with `=` becomes a formula, one
/// that is a number stays a number, one starting with `#` an error, one starting with `d:` a date
/// serial.
pub(crate) fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, value) in row.iter().enumerate() {
            let at = format!("{}{}", column_letter(c), r + 1);
            if let Some(formula) = value.strip_prefix('=') {
                sheet.push_str(&format!(r#"<c r="{at}"><f>{formula}</f><v>0</v></c>"#));
            } else if let Some(serial) = value.strip_prefix("d:") {
                sheet.push_str(&format!(r#"<c r="{at}" s="1"><v>{serial}</v></c>"#));
            } else if value.starts_with('#') {
                sheet.push_str(&format!(r#"<c r="{at}" t="e"><v>{value}</v></c>"#));
            } else if value.parse::<f64>().is_ok() {
                sheet.push_str(&format!(r#"<c r="{at}"><v>{value}</v></c>"#));
            } else {
                sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    workbook_with(sheet, None)
}

/// A workbook with this sheet XML and, when given, this shared-strings XML.
pub(crate) fn workbook_with(sheet: String, shared_strings: Option<String>) -> Vec<u8> {
    let mut files: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Credentials" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.into()),
        ("xl/styles.xml", r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="0"/><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(shared) = shared_strings {
        files[3].1 = files[3].1.replace(
            "</Relationships>",
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        );
        files.push(("xl/sharedStrings.xml", shared));
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in files {
        out.start_file(name, options).unwrap();
        out.write_all(body.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_workbook_reads_as_text_with_dates_and_whole_numbers() {
    let bytes = workbook(&[
        &["email", "credential", "issued_on", "number"],
        &["a@b.example", "WAH", "d:46023", "12345"],
    ]);
    let t = Table::read(&bytes, Limits::default()).unwrap();
    assert_eq!(t.headers, ["email", "credential", "issued_on", "number"]);
    assert_eq!(
        t.rows,
        vec![(
            2,
            vec![
                "a@b.example".into(),
                "WAH".into(),
                "2026-01-01".into(),
                "12345".into()
            ]
        )]
    );
}

#[test]
fn a_formula_anywhere_refuses_the_workbook() {
    let bytes = workbook(&[&["email", "name"], &["a@b.example", "=1+1"]]);
    assert_eq!(
        Table::read(&bytes, Limits::default()).unwrap_err(),
        FileError::Formula {
            row: 2,
            column: "B".into()
        }
    );
}

#[test]
fn an_error_cell_is_reported_where_it_is() {
    let bytes = workbook(&[&["email", "name"], &["a@b.example", "#N/A"]]);
    assert!(matches!(
        Table::read(&bytes, Limits::default()).unwrap_err(),
        FileError::CellError { row: 2, .. }
    ));
}

#[test]
fn a_corrupt_workbook_is_unreadable_not_a_panic() {
    let mut bytes = workbook(&[&["email"], &["a@b.example"]]);
    bytes.truncate(bytes.len() / 2);
    assert!(matches!(
        Table::read(&bytes, Limits::default()).unwrap_err(),
        FileError::Unreadable(_)
    ));
    assert!(matches!(
        Table::read(b"PK\x03\x04garbage", Limits::default()).unwrap_err(),
        FileError::Unreadable(_)
    ));
}

#[test]
fn serial_dates_follow_the_1900_system() {
    assert_eq!(serial_date(1.0).as_deref(), Some("1899-12-31"));
    assert_eq!(serial_date(45658.0).as_deref(), Some("2025-01-01"));
    assert_eq!(serial_date(-3.0), None);
}

#[test]
fn a_workbook_that_expands_too_far_is_refused_before_it_is_read() {
    let bytes = workbook(&[&["email"], &["a@b.example"]]);
    let limits = Limits {
        max_expanded_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert!(Table::read(&bytes, limits).is_ok());
    let tiny = Limits {
        max_expanded_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        Table::read(&bytes, tiny).unwrap_err(),
        FileError::TooLarge(_)
    ));
}

fn sheet_of(cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{cells}</sheetData></worksheet>"#
    )
}

/// `A1` and a far corner cost two cells, not a grid of rows by columns (calamine's ranges
/// would allocate 512 GiB for this one).
#[test]
fn a_far_corner_is_refused_by_its_reference_before_any_grid() {
    let corner = sheet_of(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    assert_eq!(
        Table::read(&workbook_with(corner, None), Limits::default()).unwrap_err(),
        FileError::TooManyColumns(MAX_COLUMNS)
    );
    // The last row, in a column the import can take: two rows, numbered as in the file.
    let far_row = sheet_of(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="1048576"><c r="B1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    let table = Table::read(&workbook_with(far_row, None), Limits::default()).unwrap();
    assert_eq!(
        table.rows,
        vec![(1_048_576, vec![String::new(), "x".into()])]
    );
}

#[test]
fn rows_past_the_limit_are_refused_as_they_are_read() {
    let rows: String = (1..=12)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
        .collect();
    let limits = Limits {
        max_rows: 10,
        ..Limits::default()
    };
    assert_eq!(
        Table::read(&workbook_with(sheet_of(&rows), None), limits).unwrap_err(),
        FileError::TooManyRows(10)
    );
    let rows: String = (1..=11)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
        .collect();
    assert_eq!(
        Table::read(&workbook_with(sheet_of(&rows), None), limits)
            .unwrap()
            .rows
            .len(),
        10
    );
}

/// One shared string of 400 characters in 100,000 cells is 40 MB of text from a small file.
#[test]
fn a_shared_string_repeated_in_every_cell_meets_the_text_limit() {
    let shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(400)
    );
    let rows: String = (1..=20_000)
        .map(|r| {
            let cells: String = ["A", "B", "C", "D", "E"]
                .iter()
                .map(|c| format!(r#"<c r="{c}{r}" t="s"><v>0</v></c>"#))
                .collect();
            format!(r#"<row r="{r}">{cells}</row>"#)
        })
        .collect();
    let limits = Limits {
        max_total_chars: 10_000_000,
        ..Limits::default()
    };
    assert_eq!(
        Table::read(&workbook_with(sheet_of(&rows), Some(shared)), limits).unwrap_err(),
        FileError::TooMuchText(10)
    );
}

/// A workbook whose zip directory claims small parts that really inflate to 60 MB.
#[test]
fn a_workbook_that_lies_about_its_sizes_is_refused_by_what_it_inflates_to() {
    let padding = " ".repeat(60 * 1024 * 1024);
    let sheet = sheet_of(&format!(
        r#"<row r="1"><c r="A1"><v>1</v></c></row>{padding}"#
    ));
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    out.write_all(sheet.as_bytes()).unwrap();
    let mut bomb = out.finish().unwrap().into_inner();
    let claim = 1024u32.to_le_bytes();
    bomb[22..26].copy_from_slice(&claim);
    let central = bomb
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    bomb[central + 24..central + 28].copy_from_slice(&claim);
    let limits = Limits {
        max_expanded_bytes: 50 * 1024 * 1024,
        ..Limits::default()
    };
    assert!(matches!(
        Table::read(&bomb, limits).unwrap_err(),
        FileError::TooLarge(_) | FileError::Unreadable(_)
    ));
}

/// Found by fuzzing: references of many letters or digits overflowed the reader's arithmetic,
/// however the attribute was spelled (`r="…"`, `r\r='…'`). Every input kept in
/// `fuzz/regressions/xlsx` is read here as that sheet, and each is refused without a panic.
#[test]
fn every_reference_fuzzing_found_is_refused_before_the_reader_sees_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/xlsx");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let crash = std::fs::read(entry.unwrap().path()).unwrap();
        let sheet = String::from_utf8_lossy(&crash).into_owned();
        assert!(Table::read(&workbook_with(sheet, None), Limits::default()).is_err());
        seen += 1;
    }
    assert!(seen >= 2, "the regression inputs are missing");
    let out_of_range = FileError::Unreadable("a cell reference in it is out of range");
    for row in [
        r#"<row r="XXXXXXXXXXXXXX1">"#,
        "<row r\r='XXXXXXXXXXXXXX1'>",
        r#"<row r="1"><c r="XFE1">"#,
    ] {
        let sheet = sheet_of(&format!("{row}<c><v>1</v></c></row>"));
        assert_eq!(
            Table::read(&workbook_with(sheet, None), Limits::default()).unwrap_err(),
            out_of_range,
            "{row:?}"
        );
    }
    let dimension = sheet_of(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        .replace("A1:XFD1048576", "A1:AAAAAAAAAAAA1");
    assert_eq!(
        Table::read(&workbook_with(dimension, None), Limits::default()).unwrap_err(),
        out_of_range
    );
}
