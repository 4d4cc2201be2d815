//! `attest analyze` from the outside: findings in context with reason and citation, JSON as the
//! engine reports it, exit statuses 0 / 1 / 2.

use crate::{attest, text};

#[test]
fn a_requisition_is_analysed_offline_with_findings_in_context() {
    let dir = tempfile::tempdir().unwrap();
    let requisition = dir.path().join("req.txt");
    std::fs::write(
        &requisition,
        "Warehouse Associate — Fresno, CA\nCompetitive salary, DOE.\n- No felons.\n- Native English speaker.\n",
    )
    .unwrap();
    let fields = dir.path().join("fields.json");
    std::fs::write(&fields, r#"{"work_state": "CA", "employees_total": 80}"#).unwrap();
    let req = requisition.to_string_lossy().into_owned();
    let fields = fields.to_string_lossy().into_owned();

    let out = attest(&["analyze", "--fields", &fields, &req], &[], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("HIGH   criminal_history.blanket_exclusion (line 3)"),
        "{said}"
    );
    assert!(said.contains("- [[No felons]]."), "{said}");
    assert!(said.contains("Gov. Code §12952"), "{said}");
    assert!(said.contains("[[Competitive salary]], DOE."), "{said}");
    assert!(said.contains("not legal advice"), "{said}");

    let json = attest(
        &["analyze", "--format", "json", "--fields", &fields, &req],
        &[],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let felons = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "criminal_history.blanket_exclusion")
        .unwrap();
    assert_eq!(felons["category"], "criminal_history");
    assert_eq!(felons["severity"], "high");
    assert_eq!(felons["excerpt"], "No felons");
    let chars: Vec<char> = std::fs::read_to_string(&requisition)
        .unwrap()
        .chars()
        .collect();
    let (start, end) = (
        usize::try_from(felons["start"].as_u64().unwrap()).unwrap(),
        usize::try_from(felons["end"].as_u64().unwrap()).unwrap(),
    );
    assert_eq!(chars[start..end].iter().collect::<String>(), "No felons");
    assert_eq!(report["summary"]["high"], 3);
    assert!(report["rule_pack_version"].is_string());

    // Without the fields the pay-scale rule cannot apply; a clean text exits 0.
    let clean = dir.path().join("clean.txt");
    std::fs::write(
        &clean,
        "Site supervisor. Pay range $88,000–$104,000 per year.\n",
    )
    .unwrap();
    let ok = attest(&["analyze", &clean.to_string_lossy()], &[], dir.path());
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(text(&ok).contains("Score 100/100"));

    // Unreadable input: exit 2 with a reason.
    std::fs::write(dir.path().join("bad.txt"), [0xff, 0xfe, 0x00]).unwrap();
    let bad = attest(
        &["analyze", &dir.path().join("bad.txt").to_string_lossy()],
        &[],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("not UTF-8"), "{}", text(&bad));
    std::fs::write(&fields, r#"{"work_state": "CA", "headcount": 3}"#).unwrap();
    let unknown = attest(&["analyze", "--fields", &fields, &req], &[], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_pdf_is_read_and_a_damaged_one_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("requisition.pdf");
    std::fs::write(
        &pdf,
        attest_reqiq::pdf_fixture(&[vec![
            "Line cook – Café Rénové, San José".to_owned(),
            "Recent college graduates preferred. Must sign a non-compete.".to_owned(),
        ]]),
    )
    .unwrap();
    let out = attest(
        &["analyze", "--format", "json", &pdf.to_string_lossy()],
        &[],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["age.youth_preference", "non_compete.required"]);

    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj << /Type /Catalog").unwrap();
    let bad = attest(&["analyze", &pdf.to_string_lossy()], &[], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("damaged"), "{}", text(&bad));
}
