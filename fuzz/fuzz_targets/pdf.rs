//! Garbage as a PDF (the header added when missing, so the fuzzer starts inside the format):
//! text or a refusal with a code, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"%PDF-") {
        let _ = attest_reqiq::extract_text(data);
    } else {
        let mut pdf = b"%PDF-1.5\n".to_vec();
        pdf.extend_from_slice(data);
        let _ = attest_reqiq::extract_text(&pdf);
    }
});
