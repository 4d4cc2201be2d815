//! Snapshot tests (`insta`): the full report (every finding's rule, span, excerpt, severity,
//! message, citation and suggestion; the summary; the rule-pack version) for sample requisitions
//! from the labelled set, compared with `tests/snapshots/*.snap`. A change to what the engine
//! finds shows up here as a diff to review (`cargo insta review`, or rerun with
//! `INSTA_UPDATE=always` after checking it). Also: every finding over the whole set maps back to
//! exactly the original characters it names.

use attest_reqiq::analyze;
use attest_reqiq::evaluation::Case;
use std::path::{Path, PathBuf};

/// Varied samples: long and short, several concerns, clean near-misses, non-ASCII text, fields
/// that change severities, other states' pay laws.
const SAMPLES: &[&str] = &[
    "005-restaurant-group-hostesses-unpaid-trial.txt",
    "009-colorado-five-employees-no-range.txt",
    "012-construction-trade-drug-screen.txt",
    "028-saas-long-noncompete-current-salary.txt",
    "066-utility-long-spotless-criminal-history.txt",
    "092-native-born-american-preferred-long.txt",
    "118-construction-long-clean.txt",
    "212-defense-contractor-dob-graduation.txt",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/cases")
}

#[test]
fn reports_for_sample_requisitions_match_their_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for name in SAMPLES {
            let contents = std::fs::read_to_string(dir().join(name)).unwrap();
            let case = Case::parse(name, &contents).unwrap();
            let report = analyze(&case.text, &case.fields);
            insta::assert_json_snapshot!(name.trim_end_matches(".txt"), report);
        }
    });
}

#[test]
fn every_finding_names_exactly_the_original_characters_at_its_offsets() {
    let cases = Case::load_dir(&dir()).unwrap();
    let mut findings = 0;
    for case in &cases {
        let chars: Vec<char> = case.text.chars().collect();
        for f in analyze(&case.text, &case.fields).findings {
            assert!(f.start <= f.end && f.end <= chars.len(), "{}", case.name);
            let at: String = chars[f.start..f.end].iter().collect();
            assert_eq!(at, f.excerpt, "{}: {}", case.name, f.rule_id);
            findings += 1;
        }
    }
    assert!(findings > 300, "{findings}");
}
