//! The requisition report as PDF, read back by an independent reader (poppler's `pdftotext`):
//! the summary, the disclaimer, every finding with its decision, and the text analysed.

use super::fixture::{POSTING, Team, finding, posting_fields};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_pdf_report_holds_the_findings_decisions_and_text() -> anyhow::Result<()> {
    let t = Team::new().await?;
    let r = t
        .submit(
            &t.author_a,
            "Warehouse associate — Fresno",
            POSTING,
            posting_fields(),
        )
        .await?;
    let id = r["requisition_id"].as_str().unwrap_or_default().to_owned();
    let native = finding(&r, "language.native_speaker")["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let decided = t
        .call(
            &t.reviewer,
            Method::PUT,
            &format!("/api/v1/requisitions/{id}/findings/{native}/review"),
            Some(json!({"decision": "dismissed", "note": "Reads safety manuals aloud to crews."})),
        )
        .await?;
    assert_eq!(decided.status, StatusCode::OK);

    let pdf = t
        .call(
            &t.reviewer,
            Method::GET,
            &format!("/api/v1/requisitions/{id}/report.pdf"),
            None,
        )
        .await?;
    assert_eq!(
        pdf.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&pdf.body)
    );
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(
        pdf.header("content-disposition")
            .contains(&format!("requisition-{id}-v1.pdf"))
    );
    assert_eq!(pdf.header("cache-control"), "no-store");

    let dir = tempfile::tempdir()?;
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf.body)?;
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()?;
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Warehouse associate — Fresno",
        &format!("Score {} / 100", r["analysis"]["score"]),
        "informational and not legal advice",
        "“No felons”",
        "Gov. Code §12952",
        "“Salary: competitive”",
        "Decision: dismissed by",
        "Reads safety manuals aloud to crews.",
        "Decision: not reviewed yet",
        "Text analysed",
        "We are hiring a warehouse associate in Fresno.",
        "Page 1 of",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} not in the report:\n{text}"
        );
    }
    // As many findings in the report as in the analysis.
    let findings = r["findings"].as_array().map_or(0, Vec::len);
    assert!(findings >= 4);
    assert!(flat.contains(&format!("{findings}. ")), "{text}");
    assert!(
        !flat.contains(&format!("{}. ", findings + 1)) || flat.contains("characters"),
        "{text}"
    );
    Ok(())
}
