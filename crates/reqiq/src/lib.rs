//! Attest's requisition analysis engine: a job requisition's text and structured fields in,
//! findings of potential compliance concerns out (California first), each with its span in the
//! text, severity, category, citation, message and suggested rewrite. Informational, not legal
//! advice.
//!
//! - [`Document`]: the text normalised for matching, with offsets mapped back to the original.
//! - [`Rule`]: one small type per rule (`rules/`), its tests beside it.
//! - [`analyze`]: every rule over a requisition, as a [`Report`] with a [`Summary`].

mod catalogue;
mod category;
mod document;
pub mod evaluation;
mod extract;
mod fields;
mod finding;
mod fingerprint;
mod rule;
mod rules;

pub use catalogue::catalogue_markdown;
pub use category::Category;
pub use document::Document;
pub use extract::{ExtractError, MAX_FILE_BYTES, extract_text};
#[cfg(feature = "fixtures")]
pub use extract::{docx_fixture, pdf_fixture};
pub use fields::{Fields, PayPeriod};
pub use finding::{Finding, Report, Severity, Summary};
pub use rule::Rule;

/// The rule pack's version: changes whenever a rule is added, removed or changes what it finds.
pub const RULE_PACK_VERSION: &str = "2026.12.0";

/// The date the rule pack speaks for: laws in force on it apply.
pub const RULE_PACK_DATE: &str = "2026-12-01";

/// Shown wherever results are shown.
pub const DISCLAIMER: &str =
    "Attest flags potential areas of concern for review. It is informational and not legal advice.";

/// The rules, in report order.
pub fn rules() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// Most findings one rule reports in a text (its first ones).
pub const MAX_FINDINGS_PER_RULE: usize = 25;

/// Every rule over `text` with `fields`; findings in text order.
pub fn analyze(text: &str, fields: &Fields) -> Report {
    let doc = Document::new(text);
    let mut findings = Vec::new();
    let may_match = rules::may_match(doc.text());
    for (rule, may_match) in rules::ALL.iter().zip(may_match) {
        if may_match {
            let before = findings.len();
            rule.check(&doc, fields, &mut findings);
            // A text repeating one phrase thousands of times is one concern, shown where it
            // starts: each rule reports at most its first occurrences.
            findings.truncate(before + MAX_FINDINGS_PER_RULE);
        }
    }
    findings.sort_by(|a, b| (a.start, a.end, &a.rule_id).cmp(&(b.start, b.end, &b.rule_id)));
    fingerprint::assign(&mut findings);
    Report {
        summary: Summary::of(&findings),
        findings,
        rule_pack_version: std::borrow::Cow::Borrowed(RULE_PACK_VERSION),
        disclaimer: std::borrow::Cow::Borrowed(DISCLAIMER),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 200,000 characters of one flagged phrase: each rule reports its first occurrences only.
    #[test]
    fn a_phrase_repeated_thousands_of_times_is_reported_a_bounded_number_of_times() {
        let text = "No felons. Must be under 40. ".repeat(7_000);
        let report = analyze(&text, &Fields::default());
        assert!(report.findings.len() <= MAX_FINDINGS_PER_RULE * rules().len());
        let felons = report
            .findings
            .iter()
            .filter(|f| f.rule_id == "criminal_history.blanket_exclusion")
            .count();
        assert_eq!(felons, MAX_FINDINGS_PER_RULE);
        // Every excerpt is exact (a slice of the text, however far in).
        let chars: Vec<char> = text.chars().collect();
        for f in &report.findings {
            assert_eq!(f.excerpt, chars[f.start..f.end].iter().collect::<String>());
        }
    }

    #[test]
    fn every_rule_compiles_has_a_unique_id_named_after_its_category_and_a_citation() {
        let mut ids = std::collections::BTreeSet::new();
        for rule in rules() {
            assert!(ids.insert(rule.id()), "{} twice", rule.id());
            assert!(
                rule.id()
                    .starts_with(&format!("{}.", rule.category().as_str())),
                "{}",
                rule.id()
            );
            assert!(!rule.citation().is_empty());
        }
        // Every category has at least one rule.
        for category in Category::ALL {
            assert!(
                rules().iter().any(|r| r.category() == category),
                "no rule for {}",
                category.as_str()
            );
        }
        // Eleven different rules in one text, each found once.
        let report = analyze(
            "Salesman wanted. No felons. Native English speaker. Must sign a non-compete. \
             Recent college graduates. US citizens only. Able-bodied. No marijuana users. \
             Send your salary history. Valid driver's license required. Competitive salary.",
            &Fields {
                work_state: Some("CA".into()),
                employees_total: Some(50),
                ..Fields::default()
            },
        );
        let categories: std::collections::BTreeSet<_> =
            report.findings.iter().map(|f| f.rule_id.clone()).collect();
        assert_eq!(categories.len(), 11, "{categories:?}");
        assert!(report.summary.score < 10);
    }

    #[test]
    fn offsets_map_back_exactly_in_non_ascii_text() {
        let text = "Équipe à Montréal — “No felons” ✔. Salaire : concurrentiel.";
        let report = analyze(text, &Fields::default());
        let f = report
            .findings
            .iter()
            .find(|f| f.rule_id == "criminal_history.blanket_exclusion")
            .unwrap();
        let chars: Vec<char> = text.chars().collect();
        let excerpt: String = chars[f.start..f.end].iter().collect();
        assert_eq!(excerpt, "No felons");
        assert_eq!(f.excerpt, excerpt);
    }

    #[test]
    fn a_clean_requisition_scores_100() {
        let report = analyze(
            "Site supervisor, Sacramento. Lead a crew of six. Pay range $88,000–$104,000 per year. \
             Able to lift 50 lb with or without reasonable accommodation. \
             Must be authorized to work in the United States.",
            &Fields {
                work_state: Some("CA".into()),
                employees_total: Some(120),
                ..Fields::default()
            },
        );
        assert_eq!(report.findings, vec![]);
        assert_eq!(report.summary.score, 100);
    }

    /// The one-pass trigger check only skips work: over the whole labelled set, every rule run
    /// on every text finds exactly what `analyze` finds.
    #[test]
    fn skipping_untriggered_rules_never_changes_the_findings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/cases");
        let cases = evaluation::Case::load_dir(&dir).unwrap();
        for case in &cases {
            let doc = Document::new(&case.text);
            let mut all = Vec::new();
            for rule in rules() {
                rule.check(&doc, &case.fields, &mut all);
            }
            let mut analysed = analyze(&case.text, &case.fields).findings;
            let key = |f: &Finding| (f.start, f.end, f.rule_id.clone());
            all.sort_by_key(key);
            fingerprint::assign(&mut all);
            analysed.sort_by_key(key);
            assert_eq!(all, analysed, "{}", case.name);
        }
        let skipped = rules::may_match("a plain sentence.")
            .iter()
            .filter(|m| !**m)
            .count();
        assert!(skipped > rules().len() / 2, "{skipped}");
    }
}
