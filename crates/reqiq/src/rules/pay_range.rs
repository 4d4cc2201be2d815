//! Whether a posting states a pay range, shared by the pay-transparency rules: a range of money
//! in the text ("$70,000 - $85,000", "$25 to $32/hour", "$70k–$85k") or a minimum below a
//! maximum in the fields; and, when there is none, where to point (the vague pay wording, or a
//! single figure such as "up to $30/hour").

use crate::{Document, Fields};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static RANGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::rule::rule_regex(
        r"\$ ?\d[\d,]*(\.\d+)?\s?k?( ?(/|per|an|a) ?(hr|hour|h|year|yr|annum|month|mo))?\s?(-|to)\s?\$? ?\d[\d,]*(\.\d+)?\s?k?\b|\bbetween \$ ?\d[\d,]*(\.\d+)?\s?k? and \$? ?\d[\d,]*(\.\d+)?\s?k?\b|\b(usd|cad|us\$) ?\d[\d,]*(\.\d+)?\s?k? ?(-|to) ?(usd |cad |us\$)?\d[\d,]*(\.\d+)?\s?k?\b",
    )
    .ok()
});

/// Pay wording that is not a scale: vague words, or a single figure.
static VAGUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    crate::rule::rule_regex(r"\bcompetitive (salary|pay|wages?|compensation|rates?)\b|\b(salary|pay|compensation|wages?)(:| is) competitive\b|\b(doe|depending on experience|commensurate with experience|negotiable)\b|\b(up to|starting at|starts at|from|as much as|minimum of) \$ ?\d[\d,]*(\.\d+)?\s?k?\b").ok()
});

/// `None` when the posting states a range; otherwise where to point the finding (an empty span
/// at the start when there is no pay wording at all).
pub(crate) fn missing_range(doc: &Document<'_>, fields: &Fields) -> Option<Range<usize>> {
    let (Some(range), Some(vague)) = (&*RANGE, &*VAGUE) else {
        return None;
    };
    if fields.has_pay_range() || range.is_match(doc.text()) {
        return None;
    }
    Some(vague.find(doc.text()).map_or(0..0, |m| m.range()))
}

#[cfg(test)]
mod tests {
    use super::missing_range;
    use crate::{Document, Fields};

    #[test]
    fn ranges_in_text_or_fields_count_single_figures_and_vague_words_do_not() {
        let none = Fields::default();
        for text in [
            "$70,000–$85,000 per year",
            "$25 to $32/hour",
            "$70k-$85k",
            "$25/hr – $32/hr",
            "$25.00 per hour to $32.00 per hour",
            "USD 90,000–110,000",
            "between $20 and $24 an hour",
        ] {
            assert_eq!(missing_range(&Document::new(text), &none), None, "{text}");
        }
        let doc = Document::new("Pay: up to $30/hour.");
        let at = missing_range(&doc, &none).unwrap();
        assert_eq!(&doc.text()[at], "up to $30");
        let doc = Document::new("Salary: competitive.");
        let at = missing_range(&doc, &none).unwrap();
        assert_eq!(&doc.text()[at], "salary: competitive");
        assert_eq!(
            missing_range(&Document::new("Great team."), &none),
            Some(0..0)
        );
        let fields = Fields {
            pay_min: Some(20.0),
            pay_max: Some(25.0),
            ..Fields::default()
        };
        assert_eq!(missing_range(&Document::new("Pay DOE."), &fields), None);
    }
}
