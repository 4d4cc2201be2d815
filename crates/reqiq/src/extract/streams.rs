//! What a PDF's zlib streams inflate to, counted as the bytes come and kept nowhere, before
//! the file is parsed at all. Every `stream` keyword of the raw file is tried (object streams
//! included: they are what a PDF reader inflates first), and a stream whose output is itself
//! zlib data is inflated through each layer, every layer's bytes counted. The count stops just
//! past the limit, so the cost of refusing a bomb is bounded by the limit, not by the bomb.

use super::ExtractError;
use flate2::read::ZlibDecoder;
use std::cell::Cell;
use std::io::{self, Read};

/// Most zlib layers followed inside one stream (a PDF names at most a few filters).
const MAX_LAYERS: usize = 4;

/// Refuses `pdf` as a bomb if its zlib streams inflate to more than `limit` bytes in all.
pub(super) fn check_inflated_size(pdf: &[u8], limit: u64) -> Result<(), ExtractError> {
    let budget = Cell::new(Some(limit));
    for start in stream_starts(pdf) {
        let data = pdf.get(start..).unwrap_or_default();
        if is_zlib_header(data) && inflate(Box::new(data), 1, &budget).is_err() {
            return Err(ExtractError::ZipBomb);
        }
    }
    Ok(())
}

/// Where each stream's data begins: after `stream` and its end of line, not `endstream`.
fn stream_starts(pdf: &[u8]) -> impl Iterator<Item = usize> + '_ {
    const KEYWORD: &[u8] = b"stream";
    pdf.windows(KEYWORD.len())
        .enumerate()
        .filter(move |(at, window)| *window == KEYWORD && !pdf[..*at].ends_with(b"end"))
        .filter_map(move |(at, _)| {
            let after = at + KEYWORD.len();
            let rest = pdf.get(after..)?;
            if rest.starts_with(b"\r\n") {
                Some(after + 2)
            } else if rest.starts_with(b"\n") || rest.starts_with(b"\r") {
                Some(after + 1)
            } else {
                None
            }
        })
}

/// A zlib header: deflate, a window of at most 32 KiB, and its check bits right.
fn is_zlib_header(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// The budget ran out.
#[derive(Debug)]
struct Exceeded;

/// Inflates `source` (zlib), counting every byte it gives against `budget`, and goes on into
/// the output when it is zlib again (each layer's bytes counted). A damaged stream just stops
/// the count: the reader that follows refuses it, within its own limits.
fn inflate(
    source: Box<dyn Read + '_>,
    layer: usize,
    budget: &Cell<Option<u64>>,
) -> Result<(), Exceeded> {
    let mut decoder = Counted {
        inner: ZlibDecoder::new(source),
        budget,
    };
    let mut head = [0u8; 2];
    let got = read_up_to(&mut decoder, &mut head);
    let head = head.get(..got).unwrap_or_default().to_vec();
    if layer < MAX_LAYERS && is_zlib_header(&head) {
        let chained: Box<dyn Read + '_> = Box::new(io::Cursor::new(head).chain(decoder));
        return inflate(chained, layer + 1, budget);
    }
    // A read error (a damaged stream, or the budget spent) ends the stream; which one it was
    // is in the budget.
    let _ = io::copy(&mut decoder, &mut io::sink());
    budget.get().map(|_| ()).ok_or(Exceeded)
}

/// Reads up to `buf.len()` bytes, fewer at the end or on an error.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(buf.get_mut(filled..).unwrap_or_default()) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    filled
}

/// A reader that counts what passes through against the budget and fails once it is spent.
struct Counted<'b, R> {
    inner: R,
    budget: &'b Cell<Option<u64>>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let left = self
            .budget
            .get()
            .and_then(|left| left.checked_sub(u64::try_from(n).unwrap_or(u64::MAX)));
        self.budget.set(left);
        match left {
            Some(_) => Ok(n),
            None => Err(io::Error::from(io::ErrorKind::OutOfMemory)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write as _;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf_with(streams: &[Vec<u8>]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n".to_vec();
        for (i, s) in streams.iter().enumerate() {
            pdf.extend(format!("{} 0 obj <</Length {}>> stream\r\n", i + 1, s.len()).bytes());
            pdf.extend(s);
            pdf.extend(b"\nendstream endobj\n");
        }
        pdf
    }

    #[test]
    fn streams_under_the_limit_pass_and_over_it_are_refused() {
        let pdf = pdf_with(&[zlib(&[b'a'; 1000]), zlib(&[b'b'; 1000])]);
        assert!(check_inflated_size(&pdf, 2000).is_ok());
        assert_eq!(
            check_inflated_size(&pdf, 1999).unwrap_err(),
            ExtractError::ZipBomb
        );
    }

    #[test]
    fn a_zlib_stream_inside_a_zlib_stream_is_counted_layer_by_layer() {
        // 8 MB of zeros, compressed twice, is a few hundred bytes.
        let inner = zlib(&vec![0u8; 8 << 20]);
        let outer = zlib(&inner);
        assert!(outer.len() < 1024, "{}", outer.len());
        let pdf = pdf_with(&[outer]);
        assert!(check_inflated_size(&pdf, 1 << 20).is_err());
        assert!(check_inflated_size(&pdf, 9 << 20).is_ok());
    }

    #[test]
    fn endstream_and_data_that_is_not_zlib_are_not_counted() {
        let pdf = pdf_with(&[b"BT /F1 10 Tf (hello) Tj ET".to_vec()]);
        assert!(check_inflated_size(&pdf, 0).is_ok());
        assert_eq!(stream_starts(&pdf).count(), 1);
    }
}
