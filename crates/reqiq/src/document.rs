//! The text as rules see it: lower-cased, with typographic quotes and dashes folded to ASCII and
//! runs of white space collapsed to one space — and, for every byte of that normalised text, the
//! character offset in the original it came from, so a match maps back exactly.

use std::ops::Range;

/// A requisition's text, normalised for matching, with the way back to the original.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    original: &'a str,
    normalised: String,
    /// For each byte of `normalised`, the character offset in `original` it came from.
    origin: Vec<u32>,
    /// The original's length in characters.
    original_chars: u32,
    /// The byte offset of each original character, when the original is not all ASCII (for
    /// ASCII a character's offset is its byte's): excerpts are slices, not walks from the start.
    char_starts: Option<Vec<u32>>,
    /// Sentence boundaries in `normalised` (byte offsets where sentences start).
    sentence_starts: Vec<usize>,
}

fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{a0}' | '\u{2007}' | '\u{202f}' => ' ',
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{feff}' => return None,
        other => other,
    })
}

impl<'a> Document<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut normalised = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut sentence_starts = vec![0];
        let mut chars = 0u32;
        let mut last_space = true;
        let mut pending_break = false;
        for (index, c) in original.chars().enumerate() {
            let at = u32::try_from(index).unwrap_or(u32::MAX);
            chars = at.saturating_add(1);
            let Some(c) = fold(c) else { continue };
            if c.is_whitespace() {
                if c == '\n' || c == '\r' {
                    pending_break = true;
                }
                if !last_space {
                    normalised.push(' ');
                    origin.push(at);
                    last_space = true;
                }
                continue;
            }
            if pending_break || ends_sentence(&normalised) {
                sentence_starts.push(normalised.len());
            }
            pending_break = false;
            last_space = false;
            if c.is_ascii() {
                normalised.push(c.to_ascii_lowercase());
                origin.push(at);
                continue;
            }
            for lower in c.to_lowercase() {
                let mut buffer = [0u8; 4];
                let encoded = lower.encode_utf8(&mut buffer);
                normalised.push_str(encoded);
                origin.extend(std::iter::repeat_n(at, encoded.len()));
            }
        }
        let char_starts = (!original.is_ascii()).then(|| {
            original
                .char_indices()
                .map(|(at, _)| u32::try_from(at).unwrap_or(u32::MAX))
                .collect()
        });
        Self {
            original,
            normalised,
            origin,
            original_chars: chars,
            char_starts,
            sentence_starts,
        }
    }

    /// The original text.
    pub fn original(&self) -> &'a str {
        self.original
    }

    /// The normalised text (lower case, folded punctuation, single spaces).
    pub fn text(&self) -> &str {
        &self.normalised
    }

    /// The character range in the original of a byte range of the normalised text.
    pub fn original_span(&self, normalised: Range<usize>) -> Range<usize> {
        let start = self
            .origin
            .get(normalised.start)
            .map_or(self.original_chars, |o| *o);
        let end = if normalised.end == 0 {
            start
        } else {
            self.origin
                .get(normalised.end - 1)
                .map_or(self.original_chars, |o| o + 1)
        };
        (start as usize)..(end.max(start) as usize)
    }

    /// The original text of a character range (a slice, however far into the text).
    pub fn excerpt(&self, chars: &Range<usize>) -> String {
        let byte = |char_at: usize| match &self.char_starts {
            None => char_at.min(self.original.len()),
            Some(starts) => starts
                .get(char_at)
                .map_or(self.original.len(), |b| *b as usize),
        };
        let (start, end) = (byte(chars.start), byte(chars.end.max(chars.start)));
        self.original.get(start..end).unwrap_or_default().to_owned()
    }

    /// The byte range of the normalised sentence holding byte `at`.
    pub fn sentence(&self, at: usize) -> Range<usize> {
        let i = self.sentence_starts.partition_point(|s| *s <= at);
        let start = self
            .sentence_starts
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .sentence_starts
            .get(i)
            .copied()
            .unwrap_or(self.normalised.len());
        start..end
    }
}

/// Whether the text so far ends a sentence: a space after `.`, `!`, `?` or `;`.
/// Whether the normalised text so far ends a sentence: a full stop, `!` or `?` and a space —
/// but not the stop after a one-letter abbreviation ("u.s. ", "e.g. ").
fn ends_sentence(text: &str) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    if n < 2 || b[n - 1] != b' ' {
        return false;
    }
    match b[n - 2] {
        b'!' | b'?' => true,
        b'.' => {
            !(n >= 3
                && b[n - 3].is_ascii_alphabetic()
                && (n == 3 || matches!(b[n - 4], b'.' | b' ')))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_map_back_to_the_original_characters_through_folding_and_spaces() {
        let text = "Café Owner\u{a0}—  NO\u{2019}Felons\n\n allowed.";
        let doc = Document::new(text);
        assert_eq!(doc.text(), "café owner - no'felons allowed.");
        let at = doc.text().find("no'felons").unwrap();
        let span = doc.original_span(at..at + "no'felons".len());
        assert_eq!(doc.excerpt(&span), "NO\u{2019}Felons");
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[span.start], 'N');
        let cafe = doc.original_span(0..5);
        assert_eq!(doc.excerpt(&cafe), "Café");
    }

    #[test]
    fn letters_that_lower_case_to_two_characters_still_map_to_their_original() {
        let doc = Document::new("İstanbul office");
        let at = doc.text().find("office").unwrap();
        let span = doc.original_span(at..at + 6);
        assert_eq!(span, 9..15);
        assert_eq!(doc.excerpt(&span), "office");
    }

    #[test]
    fn sentences_split_at_stops_and_line_breaks() {
        let doc = Document::new("Lead the crew. No felons!\nDrive daily");
        let felons = doc.text().find("felons").unwrap();
        assert_eq!(&doc.text()[doc.sentence(felons)], "no felons! ");
        let drive = doc.text().find("drive").unwrap();
        assert_eq!(&doc.text()[doc.sentence(drive)], "drive daily");
        // One-letter abbreviations do not end a sentence; semicolons do not either.
        let doc = Document::new("U.S. citizenship required by contract; e.g. DoD. Next");
        let required = doc.text().find("required").unwrap();
        assert_eq!(
            &doc.text()[doc.sentence(required)],
            "u.s. citizenship required by contract; e.g. dod. "
        );
    }
}
