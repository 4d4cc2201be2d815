//! Garbage as a Word document: as the zip archive itself, and as the `word/document.xml` inside
//! a well-formed archive (so the XML reader is reached). Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write as _};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK\x03\x04") {
        let _ = attest_reqiq::extract_text(data);
    }
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    if archive.start_file("word/document.xml", options).is_ok() && archive.write_all(data).is_ok()
    {
        if let Ok(bytes) = archive.finish() {
            let _ = attest_reqiq::extract_text(&bytes.into_inner());
        }
    }
});
