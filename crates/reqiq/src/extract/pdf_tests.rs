use super::*;
use crate::extract_text;
use pdf_extract::{Stream, dictionary};

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|l| (*l).to_owned()).collect()
}

fn sample() -> Vec<u8> {
    fixture(&[
        lines(&["Site coordinator – Montréal office", "Pay: €50,000 DOE"]),
        lines(&[
            "Requirements",
            "No felons. Recent college graduates preferred.",
        ]),
    ])
}

#[test]
fn a_pdf_gives_the_text_of_every_page_and_offsets_map_back_exactly() {
    let text = extract_text(&sample()).unwrap();
    for expected in [
        "Site coordinator – Montréal office",
        "Pay: €50,000 DOE",
        "No felons.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text:?}");
    }
    let report = crate::analyze(&text, &crate::Fields::default());
    let chars: Vec<char> = text.chars().collect();
    let span = |rule: &str| {
        let f = report.findings.iter().find(|f| f.rule_id == rule).unwrap();
        chars[f.start..f.end].iter().collect::<String>()
    };
    assert_eq!(span("criminal_history.blanket_exclusion"), "No felons");
    assert_eq!(
        span("age.youth_preference").to_lowercase(),
        "recent college graduates"
    );
}

/// Every truncation and many corruptions of a real PDF give text or a clear reason, never a
/// panic or a hang.
#[test]
fn damaged_pdfs_get_a_clear_reason_never_a_panic() {
    let pdf = sample();
    for cut in (9..pdf.len()).step_by(97) {
        if let Err(e) = extract_text(&pdf[..cut]) {
            assert!(
                matches!(e.code(), "damaged_document" | "empty_document"),
                "{cut}: {e:?}"
            );
        }
    }
    for at in (20..pdf.len()).step_by(31) {
        let mut bad = pdf.clone();
        bad[at] ^= 0x5a;
        if let Err(e) = extract_text(&bad) {
            assert!(
                matches!(e.code(), "damaged_document" | "empty_document"),
                "{at}: {e:?}"
            );
        }
    }
    assert_eq!(
        extract_text(b"%PDF-1.7 ...").unwrap_err().code(),
        "damaged_document"
    );
}

#[test]
fn long_pdfs_and_stream_bombs_are_refused() {
    let page = lines(&["Warehouse associate"]);
    let long = fixture(&vec![page.clone(); MAX_PAGES + 1]);
    assert_eq!(extract_text(&long).unwrap_err().code(), "too_many_pages");
    assert!(extract_text(&fixture(&vec![page; MAX_PAGES])).is_ok());

    // 60 MB of spaces deflate to about 60 KB.
    let mut doc = Document::load_mem(&sample()).unwrap();
    let mut bomb = Stream::new(dictionary! {}, vec![b' '; 60 * 1024 * 1024]);
    bomb.compress().unwrap();
    assert!(bomb.content.len() < 1024 * 1024);
    doc.add_object(bomb);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(
        extract_text(&bytes).unwrap_err().code(),
        "expands_too_large"
    );
}

#[test]
fn a_password_protected_pdf_is_refused_as_encrypted() {
    let mut doc = Document::load_mem(&sample()).unwrap();
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard",
        "V" => 1,
        "R" => 2,
        "O" => Object::string_literal(vec![7u8; 32]),
        "U" => Object::string_literal(vec![9u8; 32]),
        "P" => -4,
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(vec![1u8; 16]),
            Object::string_literal(vec![1u8; 16]),
        ],
    );
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(
        extract_text(&bytes).unwrap_err().code(),
        "encrypted_document"
    );
}

#[test]
fn a_reading_that_panics_or_outlives_its_limit_is_given_up_with_a_reason() {
    let panicked = isolated::<()>(|| panic!("bad font"), TIME_LIMIT);
    assert_eq!(panicked.unwrap_err().code(), "damaged_document");
    let slow = isolated(
        || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(())
        },
        Duration::from_millis(20),
    );
    assert_eq!(slow.unwrap_err().code(), "document_too_complex");
}
