//! Measuring the catalogue against a labelled set of requisitions (`eval/cases/*.txt`): each
//! case names the categories a careful reviewer would flag (none for a clean requisition), its
//! structured fields, and its text. A category counts as found when a finding of that category
//! has severity low or above — or, for gender-coded wording, which is only ever information, any
//! finding at all.
//!
//! Case file format:
//!
//! ```text
//! expect: criminal_history, age
//! fields: {"work_state": "CA", "employees_total": 40}
//! note: why
//! ---
//! the requisition's text
//! ```

use crate::{Category, Fields, Severity, analyze};
use std::collections::BTreeSet;
use std::path::Path;

/// Lowest recall accepted for any category.
pub const MIN_RECALL: f64 = 0.9;
/// Highest share of clean requisitions with any finding accepted.
pub const MAX_CLEAN_FALSE_POSITIVE_RATE: f64 = 0.05;

/// One labelled requisition.
#[derive(Debug)]
pub struct Case {
    pub name: String,
    pub expect: BTreeSet<Category>,
    pub fields: Fields,
    pub text: String,
}

/// Why a case file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct CaseError {
    file: String,
    reason: String,
}

impl Case {
    /// Parses a case file's contents.
    pub fn parse(name: &str, contents: &str) -> Result<Case, CaseError> {
        let error = |reason: String| CaseError {
            file: name.to_owned(),
            reason,
        };
        let (header, text) = contents
            .split_once("\n---\n")
            .ok_or_else(|| error("no `---` line after the header".into()))?;
        let mut expect = None;
        let mut fields = None;
        for line in header.lines() {
            if let Some(list) = line.strip_prefix("expect:") {
                let mut set = BTreeSet::new();
                for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let category = Category::ALL
                        .into_iter()
                        .find(|c| c.as_str() == name)
                        .ok_or_else(|| error(format!("unknown category {name:?}")))?;
                    set.insert(category);
                }
                expect = Some(set);
            } else if let Some(json) = line.strip_prefix("fields:") {
                fields = Some(
                    serde_json::from_str(json.trim()).map_err(|e| error(format!("fields: {e}")))?,
                );
            }
        }
        Ok(Case {
            name: name.to_owned(),
            expect: expect.ok_or_else(|| error("no `expect:` line".into()))?,
            fields: fields.ok_or_else(|| error("no `fields:` line".into()))?,
            text: text.to_owned(),
        })
    }

    /// Every case in a directory, by file name.
    pub fn load_dir(dir: &Path) -> Result<Vec<Case>, CaseError> {
        let io = |e: std::io::Error| CaseError {
            file: dir.display().to_string(),
            reason: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                Case::parse(&name, &std::fs::read_to_string(p).map_err(io)?)
            })
            .collect()
    }

    /// The categories the engine finds in this case.
    pub fn found(&self) -> BTreeSet<Category> {
        analyze(&self.text, &self.fields)
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info || f.category == Category::GenderCodedWording)
            .map(|f| f.category)
            .collect()
    }
}

/// Counts for one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// A miss or a false alarm, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub case: String,
    pub category: Category,
    /// `true`: found but not expected; `false`: expected but not found.
    pub false_alarm: bool,
}

/// The whole evaluation.
#[derive(Debug)]
pub struct Evaluation {
    pub cases: usize,
    pub clean: usize,
    /// Clean cases with any category found.
    pub clean_with_findings: usize,
    pub per_category: Vec<(Category, Counts)>,
    pub mistakes: Vec<Mistake>,
}

impl Evaluation {
    pub fn run(cases: &[Case]) -> Evaluation {
        let mut per_category: Vec<(Category, Counts)> = Category::ALL
            .into_iter()
            .map(|c| (c, Counts::default()))
            .collect();
        let mut mistakes = Vec::new();
        let mut clean = 0;
        let mut clean_with_findings = 0;
        for case in cases {
            let found = case.found();
            if case.expect.is_empty() {
                clean += 1;
                clean_with_findings += usize::from(!found.is_empty());
            }
            for (category, counts) in &mut per_category {
                let (expected, got) = (case.expect.contains(category), found.contains(category));
                match (expected, got) {
                    (true, true) => counts.true_positives += 1,
                    (false, true) => counts.false_positives += 1,
                    (true, false) => counts.false_negatives += 1,
                    (false, false) => continue,
                }
                if expected != got {
                    mistakes.push(Mistake {
                        case: case.name.clone(),
                        category: *category,
                        false_alarm: got,
                    });
                }
            }
        }
        Evaluation {
            cases: cases.len(),
            clean,
            clean_with_findings,
            per_category,
            mistakes,
        }
    }

    pub fn clean_false_positive_rate(&self) -> f64 {
        ratio(self.clean_with_findings, self.clean)
    }

    /// What falls short of the targets, if anything.
    pub fn shortfalls(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .per_category
            .iter()
            .filter(|(_, c)| c.recall() < MIN_RECALL)
            .map(|(category, c)| {
                format!(
                    "{}: recall {:.2} below {MIN_RECALL}",
                    category.as_str(),
                    c.recall()
                )
            })
            .collect();
        if self.clean_false_positive_rate() > MAX_CLEAN_FALSE_POSITIVE_RATE {
            out.push(format!(
                "false positives on clean requisitions {:.3} above {MAX_CLEAN_FALSE_POSITIVE_RATE}",
                self.clean_false_positive_rate()
            ));
        }
        out
    }

    /// The table the evaluation command prints.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<28} {:>4} {:>4} {:>4} {:>9} {:>7}\n",
            "category", "tp", "fp", "fn", "precision", "recall"
        );
        for (category, c) in &self.per_category {
            out.push_str(&format!(
                "{:<28} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}\n",
                category.as_str(),
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.precision(),
                c.recall()
            ));
        }
        out.push_str(&format!(
            "\n{} requisitions, {} clean; clean with a finding: {} ({:.1} %)\n",
            self.cases,
            self.clean,
            self.clean_with_findings,
            100.0 * self.clean_false_positive_rate()
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_file_parses_and_bad_ones_say_why() {
        let case = Case::parse(
            "x.txt",
            "expect: criminal_history, age\nfields: {\"work_state\": \"CA\"}\nnote: n\n---\nNo felons.\n",
        )
        .unwrap();
        assert_eq!(
            case.expect,
            BTreeSet::from([Category::CriminalHistory, Category::Age])
        );
        assert_eq!(case.fields.state().as_deref(), Some("CA"));
        assert_eq!(case.text, "No felons.\n");
        assert!(
            Case::parse("x", "expect:\nfields: {}\n---\nok")
                .unwrap()
                .expect
                .is_empty()
        );
        for bad in [
            "expect: nonsense\nfields: {}\n---\nx",
            "expect:\nfields: {\"size\": 3}\n---\nx",
            "fields: {}\n---\nx",
            "expect:\nfields: {}\nx",
        ] {
            assert!(Case::parse("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_misses_and_false_alarms_per_category_and_on_clean_cases() {
        let cases = [
            Case::parse(
                "hit",
                "expect: criminal_history\nfields: {}\n---\nNo felons.",
            )
            .unwrap(),
            Case::parse("miss", "expect: religion\nfields: {}\n---\nA fine job.").unwrap(),
            Case::parse("alarm", "expect:\nfields: {}\n---\nNo felons.").unwrap(),
            Case::parse("clean", "expect:\nfields: {}\n---\nA fine job.").unwrap(),
        ];
        let e = Evaluation::run(&cases);
        let counts = |c| e.per_category.iter().find(|(k, _)| *k == c).unwrap().1;
        assert_eq!(
            counts(Category::CriminalHistory),
            Counts {
                true_positives: 1,
                false_positives: 1,
                false_negatives: 0
            }
        );
        assert_eq!(counts(Category::Religion).recall(), 0.0);
        assert_eq!(e.clean, 2);
        assert_eq!(e.clean_false_positive_rate(), 0.5);
        let shortfalls = e.shortfalls();
        assert!(
            shortfalls
                .iter()
                .any(|s| s.starts_with("religion: recall 0.00"))
        );
        assert!(shortfalls.iter().any(|s| s.starts_with("false positives")));
        assert_eq!(e.mistakes.len(), 2);
    }
}
