//! The standard Helvetica fonts every PDF reader has (so nothing is embedded): their widths, for
//! wrapping lines, and WinAnsi encoding of text (characters outside it become `?`).

/// Advance widths of Helvetica for the printable ASCII characters (0x20–0x7E), in thousandths
/// of the font size (Adobe's Helvetica AFM).
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' ' to '/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
    278, 278, 584, 584, 584, 556, 1015, // ':' to '@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611, // 'A' to 'Z'
    278, 278, 278, 469, 556, 333, // '[' to '`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, // 'a' to 'z'
    334, 260, 334, 584, // '{' to '~'
];

/// The font of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Oblique,
}

impl Face {
    /// The font resource name in the page's resources.
    pub(crate) const fn resource(self) -> &'static str {
        match self {
            Face::Regular => "F1",
            Face::Bold => "F2",
            Face::Oblique => "F3",
        }
    }

    pub(crate) const fn base_font(self) -> &'static str {
        match self {
            Face::Regular => "Helvetica",
            Face::Bold => "Helvetica-Bold",
            Face::Oblique => "Helvetica-Oblique",
        }
    }
}

/// The width of `text` in points at `size` (bold set a little wider, as Helvetica-Bold is).
pub(crate) fn width(text: &str, face: Face, size: f32) -> f32 {
    let thousandths: u32 = text.chars().map(char_width).sum();
    let bold = if face == Face::Bold { 1.07 } else { 1.0 };
    #[expect(clippy::cast_precision_loss, reason = "widths of a line are small")]
    let w = thousandths as f32;
    w * size * bold / 1000.0
}

fn char_width(c: char) -> u32 {
    let code = u32::from(c);
    match code {
        0x20..=0x7e => ASCII_WIDTHS
            .get((code - 0x20) as usize)
            .copied()
            .map_or(556, u32::from),
        0x2014 => 1000,
        0x2013 | 0x2022 => 556,
        0x2018 | 0x2019 => 222,
        0x201c | 0x201d => 333,
        0x2026 => 1000,
        _ => 556,
    }
}

/// `text` in WinAnsi (Windows-1252), the encoding the standard fonts are set in.
pub(crate) fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u32::from(c) {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the arm's range fits a byte"
            )]
            n @ (0x20..=0x7e | 0xa0..=0xff) => n as u8,
            0x20ac => 0x80,
            0x2026 => 0x85,
            0x2018 => 0x91,
            0x2019 => 0x92,
            0x201c => 0x93,
            0x201d => 0x94,
            0x2022 => 0x95,
            0x2013 => 0x96,
            0x2014 => 0x97,
            0x09 => b' ',
            _ => b'?',
        })
        .collect()
}

/// Splits `text` into lines no wider than `max` points (words longer than a line are cut).
pub(crate) fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, face, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(&piece, face, size) > max {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font_metrics() {
        assert!((width("Hello", Face::Regular, 10.0) - 22.78).abs() < 0.01);
        assert!(width("W", Face::Regular, 10.0) > width("i", Face::Regular, 10.0) * 4.0);
        assert!(width("Score", Face::Bold, 10.0) > width("Score", Face::Regular, 10.0));
    }

    #[test]
    fn lines_wrap_at_words_and_long_words_are_cut() {
        let lines = wrap("aaa bbb ccc", Face::Regular, 10.0, 40.0);
        assert_eq!(lines, ["aaa bbb", "ccc"]);
        let lines = wrap(&"x".repeat(30), Face::Regular, 10.0, 50.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| width(l, Face::Regular, 10.0) <= 50.0));
        assert_eq!(
            wrap("one\n\ntwo", Face::Regular, 10.0, 100.0),
            ["one", "", "two"]
        );
    }

    #[test]
    fn text_is_set_in_winansi() {
        assert_eq!(encode("Café — “ok” €"), b"Caf\xe9 \x97 \x93ok\x94 \x80");
        assert_eq!(encode("日本"), b"??");
    }
}
