//! Garbage as a workbook: as the zip archive itself, and as the first sheet's XML inside a
//! well-formed workbook (so the cell reader is reached). Never a panic, never a grid.
#![no_main]

use attest_import::{Limits, Table};
use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write as _};

const PARTS: [(&str, &str); 3] = [
    (
        "xl/workbook.xml",
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    ),
    (
        "_rels/.rels",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
];

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if data.starts_with(b"PK\x03\x04") {
        let _ = Table::read(data, limits);
    }
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, body) in PARTS {
        if archive.start_file(name, options).is_err() || archive.write_all(body.as_bytes()).is_err() {
            return;
        }
    }
    if archive.start_file("xl/worksheets/sheet1.xml", options).is_ok()
        && archive.write_all(data).is_ok()
    {
        if let Ok(bytes) = archive.finish() {
            let _ = Table::read(&bytes.into_inner(), limits);
        }
    }
});
