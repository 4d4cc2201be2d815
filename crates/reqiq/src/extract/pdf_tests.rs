use super::*;
use crate::extract_text;
use lopdf::{Object, Stream, dictionary};

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

/// A one-page PDF written by hand whose object 7 (a string of `len` spaces) lives in the object
/// stream 6, as its cross-reference stream says: a reader inflates that stream while loading,
/// before any page is read. The stream is compressed, and wrapped in hexadecimal when `hex`.
fn with_object_stream(len: usize, hex: bool) -> Vec<u8> {
    let mut content = b"7 0 (".to_vec();
    content.extend(vec![b' '; len]);
    content.push(b')');
    let mut stream = Stream::new(dictionary! {}, content);
    stream.compress().unwrap();
    let (filter, data) = if hex {
        let encoded: Vec<u8> = stream
            .content
            .iter()
            .flat_map(|b| format!("{b:02x}").into_bytes())
            .chain(*b">")
            .collect();
        ("[/ASCIIHexDecode /FlateDecode]", encoded)
    } else {
        ("/FlateDecode", stream.content)
    };
    let page = b"BT /F1 10 Tf 56 790 Td (Warehouse associate) Tj ET";
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |pdf: &mut Vec<u8>, body: &[u8]| {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", offsets.len()).bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    };
    object(&mut pdf, b"<</Type/Catalog/Pages 2 0 R>>");
    object(
        &mut pdf,
        b"<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>",
    );
    object(
        &mut pdf,
        b"<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
    );
    let mut contents = format!("<</Length {}>>stream\n", page.len()).into_bytes();
    contents.extend(page);
    contents.extend(b"\nendstream");
    object(&mut pdf, &contents);
    object(&mut pdf, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>");
    let mut objstm = format!(
        "<</Type/ObjStm/N 1/First 4/Filter {filter}/Length {}>>stream\n",
        data.len()
    )
    .into_bytes();
    objstm.extend(&data);
    objstm.extend(b"\nendstream");
    object(&mut pdf, &objstm);
    // Object 8: the cross-reference stream (type, offset or stream, generation or index).
    let xref_at = pdf.len();
    let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff];
    for at in offsets.iter().copied().chain([xref_at]) {
        let at = u32::try_from(at).unwrap().to_be_bytes();
        rows.extend([1, at[0], at[1], at[2], at[3], 0, 0]);
        if rows.len() == 7 * 7 {
            rows.extend([2, 0, 0, 0, 6, 0, 0]);
        }
    }
    pdf.extend(
        format!(
            "8 0 obj\n<</Type/XRef/Size 9/W[1 4 2]/Root 1 0 R/Length {}>>stream\n",
            rows.len()
        )
        .bytes(),
    );
    pdf.extend(&rows);
    pdf.extend(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").bytes());
    assert!(pdf.len() < 1024 * 1024, "{}", pdf.len());
    pdf
}

/// 60 MB of spaces compress to about 60 KB.
fn with_object_stream_bomb(hex: bool) -> Vec<u8> {
    with_object_stream(60 * 1024 * 1024, hex)
}

#[test]
fn a_harmless_object_stream_reads_in_either_wrapping() {
    // The bomb tests below differ from these files only in the string's size.
    for hex in [false, true] {
        let text = extract_text(&with_object_stream(1000, hex)).unwrap();
        assert_eq!(text.trim(), "Warehouse associate");
    }
}

#[test]
fn an_object_stream_bomb_is_refused_before_it_is_loaded() {
    let bytes = with_object_stream_bomb(false);
    assert_eq!(
        crate::extract::streams::check_inflated_size(&bytes, MAX_UNZIPPED_BYTES),
        Err(ExtractError::ZipBomb)
    );
    assert_eq!(
        extract_text(&bytes).unwrap_err().code(),
        "expands_too_large"
    );
}

/// Wrapped in hexadecimal, the stream is not zlib to a first look; the reader's own cap on
/// what one stream may decode to refuses it.
#[test]
fn an_object_stream_bomb_under_another_filter_meets_the_per_stream_cap() {
    let bytes = with_object_stream_bomb(true);
    assert!(crate::extract::streams::check_inflated_size(&bytes, MAX_UNZIPPED_BYTES).is_ok());
    assert_eq!(
        extract_text(&bytes).unwrap_err().code(),
        "expands_too_large"
    );
}
/// A posting printed to PDF by Chromium (`testdata/chromium-posting.html`): subset fonts with
/// `ToUnicode` maps and two-byte codes, as most PDFs people upload are made.
#[test]
fn a_browser_printed_pdf_reads_as_its_lines() {
    let text = extract_text(include_bytes!("testdata/chromium-posting.pdf")).unwrap();
    assert_eq!(
        text,
        "Warehouse Associate – Fresno, CA\n\
         We are hiring a warehouse associate for our Fresno distribution centre. Pay: $21.50–\n\
         $24.00 per hour.\n\
         Lift up to 50 lbs\n\
         Recent college graduates preferred\n\
         No felons.\n\
         Must have a valid driver's license. Candidates should be young and energetic, and café-\n\
         friendly — naïve résumé.\n\
         Shift Nights\n\
         Start ASAP\n"
    );
}
