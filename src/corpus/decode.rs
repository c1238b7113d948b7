//! Bytes → text, with a verdict on files that are not text at all.

/// The result of decoding a file's bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Valid UTF-8 (a byte-order mark removed).
    Utf8(String),
    /// Not UTF-8; decoded with the reason given, which is worth a warning.
    Lossy(String, &'static str),
    /// Binary data: not to be read as text.
    Binary,
    /// Nothing but white space.
    Empty,
}

/// Windows-1252 code points for bytes 0x80..=0x9F (the rest of the byte range is
/// Latin-1). Undefined bytes map to U+FFFD.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}', '\u{FFFD}',
    '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
];

/// Decodes a file's bytes.
///
/// UTF-8 is tried first. Text that is not UTF-8 and holds no valid multi-byte
/// sequence at all is almost always Windows-1252/Latin-1 (the BBC corpus has such
/// a file, with a lone `£` byte), so it is decoded as that; text that mixes valid
/// and invalid UTF-8 is damaged UTF-8 and is decoded lossily. NUL bytes or many
/// control characters mean binary.
pub fn decode_text(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Decoded::Binary;
    }
    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Utf8(text.to_string()),
        Err(_) if has_valid_multibyte(bytes) => Decoded::Lossy(
            String::from_utf8_lossy(bytes).into_owned(),
            "invalid UTF-8; undecodable bytes replaced with U+FFFD",
        ),
        Err(_) => {
            Decoded::Lossy(bytes.iter().map(|&b| cp1252(b)).collect(), "not UTF-8; decoded as Windows-1252 (Latin-1)")
        }
    };
    match &decoded {
        Decoded::Utf8(t) | Decoded::Lossy(t, _) if t.trim().is_empty() => Decoded::Empty,
        _ => decoded,
    }
}

fn cp1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => CP1252_HIGH[(byte - 0x80) as usize],
        _ => byte as char,
    }
}

/// NUL in the first 8 KiB, or more than 10% control characters other than
/// white space, marks binary data (the heuristic git and grep use, widened).
pub(super) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    controls * 10 > head.len()
}

fn has_valid_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_kind_of_input() {
        assert_eq!(decode_text("Iran’s £".as_bytes()), Decoded::Utf8("Iran’s £".into()));
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi"), Decoded::Utf8("hi".into()));
        assert_eq!(
            decode_text(b"cost \xA35m \x93q\x94"),
            Decoded::Lossy("cost £5m “q”".into(), "not UTF-8; decoded as Windows-1252 (Latin-1)")
        );
        assert!(matches!(decode_text(b"\xC3\xA9 \xFF"), Decoded::Lossy(t, _) if t == "é \u{FFFD}"));
        assert_eq!(decode_text(b"\x7FELF\x02\x01\x00\x00"), Decoded::Binary);
        assert_eq!(decode_text(b""), Decoded::Empty);
        assert_eq!(decode_text(b" \n\t\n"), Decoded::Empty);
    }
}
