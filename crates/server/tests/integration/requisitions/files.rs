//! Requisitions from files: DOCX and PDF text is extracted and analysed with offsets into the
//! extracted text; corrupt, encrypted, oversized, bomb and unknown files get a clear 4xx with a
//! stable code, and nothing is stored.

use super::fixture::{Team, assert_spans_match, finding};
use http::StatusCode;

const LINES: [&str; 3] = [
    "Forklift operator — Oakland",
    "No felons. Applicants must be U.S. citizens.",
    "Salary: depends on experience.",
];

#[tokio::test]
async fn docx_and_pdf_files_are_read_and_analysed() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let fields = "%7B%22work_state%22%3A%22CA%22%2C%22employees_total%22%3A120%7D";
    let docx = attest_reqiq::docx_fixture(&LINES);
    let r = t
        .upload(
            &t.author_a,
            &format!("title=Forklift&file_name=forklift.docx&fields={fields}"),
            docx,
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let from_docx = r.json();
    assert_eq!(from_docx["source"], "docx");
    assert_eq!(from_docx["file_name"], "forklift.docx");
    assert_eq!(from_docx["fields"]["work_state"], "CA");
    assert!(
        from_docx["text"]
            .as_str()
            .is_some_and(|t| t.contains("Oakland"))
    );
    assert_spans_match(&from_docx);
    finding(&from_docx, "criminal_history.blanket_exclusion");
    finding(&from_docx, "pay_transparency.missing_pay_scale");

    let pdf = attest_reqiq::pdf_fixture(&[LINES.iter().map(|l| (*l).to_owned()).collect()]);
    let r = t.upload(&t.author_a, "title=Forklift%20(PDF)", pdf).await?;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let from_pdf = r.json();
    assert_eq!(from_pdf["source"], "pdf");
    assert_spans_match(&from_pdf);
    finding(&from_pdf, "criminal_history.blanket_exclusion");

    let r = t
        .upload(&t.author_a, "title=Plain", LINES.join("\n").into_bytes())
        .await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["source"], "text");
    Ok(())
}

#[tokio::test]
async fn unreadable_files_get_a_clear_4xx_and_nothing_is_stored() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let pdf = attest_reqiq::pdf_fixture(&[LINES.iter().map(|l| (*l).to_owned()).collect()]);
    let mut damaged = pdf[..pdf.len() / 2].to_vec();
    damaged.extend_from_slice(b"\x00\xff garbage");
    let bomb = attest_reqiq::docx_fixture(&[&" ".repeat(60 * 1024 * 1024)]);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("damaged PDF", damaged, 422, "damaged_document"),
        (
            "legacy or encrypted Word file",
            [
                &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1][..],
                &[0u8; 512][..],
            ]
            .concat(),
            422,
            "encrypted_document",
        ),
        ("zip bomb", bomb, 422, "expands_too_large"),
        (
            "binary",
            vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x81],
            415,
            "unsupported_file",
        ),
        ("empty", Vec::new(), 422, "empty_document"),
        ("blank", b"   \n\n ".to_vec(), 422, "empty_document"),
        (
            "over 10 MB",
            vec![b'a'; 10 * 1024 * 1024 + 1],
            413,
            "payload_too_large",
        ),
    ];
    for (what, bytes, status, code) in cases {
        let r = t.upload(&t.author_a, "title=Bad", bytes).await?;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.error_code(), code, "{what}");
    }
    for (query, field) in [
        ("title=", "title"),
        ("title=X&fields=not-json", "fields"),
        (
            "title=X&fields=%7B%22work_state%22%3A%22California%22%7D",
            "fields.work_state",
        ),
        (
            "title=X&fields=%7B%22pay_min%22%3A90%2C%22pay_max%22%3A80%2C%22pay_period%22%3A%22hour%22%7D",
            "fields.pay_max",
        ),
    ] {
        let r = t
            .upload(&t.author_a, query, b"Office clerk.".to_vec())
            .await?;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            r.json()["fields"][field].is_string(),
            "{query}: {}",
            r.json()
        );
    }
    assert_eq!(t.stored().await?, (0, 0), "nothing was stored");
    Ok(())
}
