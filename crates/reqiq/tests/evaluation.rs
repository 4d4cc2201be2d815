//! The catalogue meets its targets on the labelled set in `eval/cases`: recall of at least 0.9 in
//! every category and findings on at most 5 % of clean requisitions.

use attest_reqiq::evaluation::{Case, Evaluation};
use std::path::Path;

#[test]
fn the_labelled_set_meets_the_targets() {
    let cases = Case::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/cases")).unwrap();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    assert!(cases.iter().filter(|c| c.expect.is_empty()).count() >= 50);
    let evaluation = Evaluation::run(&cases);
    for (category, counts) in &evaluation.per_category {
        assert!(
            counts.true_positives + counts.false_negatives >= 5,
            "{} has too few labelled cases to measure",
            category.as_str()
        );
    }
    assert!(
        evaluation.shortfalls().is_empty(),
        "{}\n{:?}",
        evaluation.table(),
        evaluation.shortfalls()
    );
}
