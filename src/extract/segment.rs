//! Segmentation: paragraphs, sentences and tokens, each with byte offsets into the
//! text it was cut from.
//!
//! Conventions follow CoNLL/PTB where they matter to the taggers downstream:
//! a possessive clitic is its own token ("Iran's" → "Iran" "'s"), hyphenated words
//! stay whole ("Thomas-Greenfield"), numbers keep their separators ("26,600",
//! "1.2"), and abbreviations keep their period ("U.S.", "Mr.") without ending the
//! sentence.

use std::ops::Range;

use super::lexicon;

/// A paragraph: a block of text separated from its neighbours by a blank line, or
/// by a single line break in documents written one paragraph per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range of the paragraph's text, trimmed of surrounding white space.
    pub span: Range<usize>,
}

/// A sentence inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range of the sentence, trimmed of surrounding white space.
    pub span: Range<usize>,
}

/// A token: a word, a number, a clitic or one punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text in `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }
}

/// Lines longer than this are taken for whole paragraphs even without final
/// punctuation: hard-wrapped prose is rarely wider than ~80 characters.
const LONG_LINE: usize = 120;

/// Splits `text` into paragraphs.
///
/// Blocks separated by blank lines are paragraphs. Inside a block, single line
/// breaks also separate paragraphs when every line but the last reads like a whole
/// paragraph (ends with final punctuation or is long): that is the one-paragraph-
/// per-line layout. Hard-wrapped prose (short lines ending mid-sentence) stays one
/// paragraph.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for block in blocks(text) {
        let lines = lines_in(text, block.clone());
        let one_per_line =
            lines.len() > 1 && lines[..lines.len() - 1].iter().all(|line| reads_as_paragraph(&text[line.clone()]));
        if one_per_line {
            out.extend(lines.into_iter().map(|span| Paragraph { span }));
        } else {
            out.push(Paragraph { span: block });
        }
    }
    out
}

/// Blocks of non-blank lines, trimmed.
fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Option<Range<usize>> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = trim_span(text, pos..pos + line.len());
        if trimmed.is_empty() {
            out.extend(block.take());
        } else {
            block = Some(match block {
                Some(b) => b.start..trimmed.end,
                None => trimmed,
            });
        }
        pos += line.len();
    }
    out.extend(block);
    out
}

/// Trimmed, non-empty lines within `block`.
fn lines_in(text: &str, block: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = block.start;
    for line in text[block.clone()].split_inclusive('\n') {
        let trimmed = trim_span(text, pos..pos + line.len());
        if !trimmed.is_empty() {
            out.push(trimmed);
        }
        pos += line.len();
    }
    out
}

fn reads_as_paragraph(line: &str) -> bool {
    line.chars().count() > LONG_LINE
        || line
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | '…' | ':'))
}

/// Narrows `span` to exclude leading and trailing white space.
pub fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.end - (slice.len() - slice.trim_end().len());
    if start >= end { start..start } else { start..end }
}

/// Words that end with a period without ending the sentence (titles and common
/// abbreviations; month and week-day abbreviations come from the lexicon).
/// Compared without the period, case-sensitively.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Gen", "Col", "Lt", "Capt", "Sgt", "Maj", "Adm", "Gov", "Sen",
    "Rep", "Rev", "Hon", "Pres", "Insp", "Supt", "Cpl", "Pte", "Mt", "Ft", "No", "Nos", "Vol", "vs", "v", "etc", "al",
    "approx", "est", "Inc", "Ltd", "Co", "Corp", "Bros", "Dept", "Univ", "Assn", "e.g", "i.e", "cf", "Fig", "fig",
    "pp", "p", "Ave", "Blvd", "Rd",
];

/// True when the word before a period (without the period) is an abbreviation
/// that normally does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    if ABBREVIATIONS.contains(&word) || lexicon::is_month_or_weekday_abbreviation(word) {
        return true;
    }
    // Initials and dotted acronyms: "J", "U.S", "U.N", "a.m".
    let mut letters = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => letters += 1,
            _ => return false,
        }
    }
    letters >= 1
}

/// Splits the text in `span` into sentences.
///
/// A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets after
/// it) when white space follows and the next word does not start in lower case,
/// unless the period belongs to an abbreviation or an initial.
pub fn sentences(text: &str, span: Range<usize>) -> Vec<Sentence> {
    let slice = &text[span.clone()];
    let bytes = slice.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' || b == b'!' || b == b'?' {
            // Consume the run of terminators and closing marks.
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'.' | b'!' | b'?') {
                end += 1;
            }
            end = skip_closers(slice, end);
            let at_space = end < bytes.len() && slice[end..].starts_with(char::is_whitespace);
            if at_space && !ends_in_abbreviation(slice, i, end) && next_word_can_start(slice, end) {
                let sentence = trim_span(text, span.start + start..span.start + end);
                if !sentence.is_empty() {
                    out.push(Sentence { span: sentence });
                }
                start = end;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    let rest = trim_span(text, span.start + start..span.end);
    if !rest.is_empty() {
        out.push(Sentence { span: rest });
    }
    out
}

fn skip_closers(slice: &str, mut pos: usize) -> usize {
    while let Some(c) = slice[pos..].chars().next() {
        if matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
            pos += c.len_utf8();
        } else {
            break;
        }
    }
    pos
}

/// True when the single period at `dot` closes an abbreviation or initial.
fn ends_in_abbreviation(slice: &str, dot: usize, end: usize) -> bool {
    if slice.as_bytes()[dot] != b'.' || end != dot + 1 {
        return false;
    }
    let word_start = slice[..dot]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '‘'))
        .map(|p| p + slice[p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = &slice[word_start..dot];
    !word.is_empty() && is_abbreviation(word)
}

/// A sentence may start at the next word unless it begins in lower case.
fn next_word_can_start(slice: &str, pos: usize) -> bool {
    match slice[pos..].trim_start().chars().next() {
        Some(c) => !c.is_lowercase(),
        None => true,
    }
}

/// Splits `text[span]` into tokens (offsets relative to `text`).
pub fn tokenize(text: &str, span: Range<usize>) -> Vec<Token> {
    let slice = &text[span.clone()];
    let mut out = Vec::new();
    let mut iter = slice.char_indices().peekable();
    while let Some(&(i, c)) = iter.peek() {
        if c.is_whitespace() {
            iter.next();
            continue;
        }
        let end = if c.is_alphanumeric() {
            word_end(slice, i)
        } else if is_apostrophe(c) && clitic_len(slice, i) > 0 {
            i + clitic_len(slice, i)
        } else {
            i + c.len_utf8()
        };
        out.push(Token { start: span.start + i, end: span.start + end });
        while iter.peek().is_some_and(|&(j, _)| j < end) {
            iter.next();
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Length of a clitic ("'s", "'re", "n't" handled as "'t"…) starting at `pos`, or 0.
fn clitic_len(slice: &str, pos: usize) -> usize {
    let apostrophe = slice[pos..].chars().next().map_or(0, char::len_utf8);
    let rest = &slice[pos + apostrophe..];
    for clitic in ["s", "S", "re", "ve", "ll", "d", "m", "t"] {
        if let Some(after) = rest.strip_prefix(clitic)
            && !after.starts_with(char::is_alphanumeric)
        {
            return apostrophe + clitic.len();
        }
    }
    0
}

/// End of the word or number starting at `start`.
///
/// Letters and digits run on; an inner hyphen, apostrophe-less period (U.S.),
/// comma or period between digits (26,600 / 1.2) and an ampersand inside an
/// acronym (AT&T) are kept inside the word. A possessive or contraction clitic is
/// left for its own token.
fn word_end(slice: &str, start: usize) -> usize {
    let bytes = slice.as_bytes();
    let mut end = start;
    for (off, c) in slice[start..].char_indices() {
        let pos = start + off;
        if c.is_alphanumeric() {
            end = pos + c.len_utf8();
            continue;
        }
        let next = slice[pos + c.len_utf8()..].chars().next();
        let prev_digit = pos > 0 && bytes[pos - 1].is_ascii_digit();
        let keep = match c {
            '-' | '&' => next.is_some_and(char::is_alphanumeric),
            // An apostrophe between letters that does not start a clitic is part
            // of a name: "O'Brien", "Shi'ite" (but "Iran's", "don't" split).
            '\'' | '’' => {
                next.is_some_and(char::is_alphabetic)
                    && slice[..pos].chars().next_back().is_some_and(char::is_alphabetic)
                    && clitic_len(slice, pos) == 0
            }
            ',' => prev_digit && next_three_digits(slice, pos + 1),
            '.' => (prev_digit && next.is_some_and(|n| n.is_ascii_digit())) || is_dotted_acronym(slice, start, pos),
            _ => false,
        };
        if !keep {
            break;
        }
        if c == '.' && !next.is_some_and(char::is_alphanumeric) {
            // Final period of an acronym: "U.S." keeps it.
            end = pos + 1;
            break;
        }
        end = pos + c.len_utf8();
    }
    end
}

fn next_three_digits(slice: &str, pos: usize) -> bool {
    let b = slice.as_bytes();
    pos + 3 <= b.len()
        && b[pos..pos + 3].iter().all(u8::is_ascii_digit)
        && !(pos + 3 < b.len() && b[pos + 3].is_ascii_digit())
}

/// True when the period at `dot` continues a dotted acronym such as "U.S." or
/// "a.m.": single letters separated by periods.
fn is_dotted_acronym(slice: &str, start: usize, dot: usize) -> bool {
    let before = &slice[start..dot];
    let single_letters =
        before.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    if !single_letters {
        return false;
    }
    // Continues as "X." pattern or already has an inner period ("U.S" → "U.S.").
    let after = &slice[dot + 1..];
    let mut next = after.chars();
    match (next.next(), next.next()) {
        (Some(a), Some('.')) if a.is_alphabetic() => true,
        _ => before.contains('.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_texts(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len()).iter().map(|t| t.text(text)).collect()
    }

    fn sentence_texts(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len()).iter().map(|s| &text[s.span.clone()]).collect()
    }

    #[test]
    fn tokens_follow_ptb_conventions() {
        assert_eq!(
            token_texts("Iran's envoy, Linda Thomas-Greenfield, said 26,600 (1.2%) died."),
            vec![
                "Iran",
                "'s",
                "envoy",
                ",",
                "Linda",
                "Thomas-Greenfield",
                ",",
                "said",
                "26,600",
                "(",
                "1.2",
                "%",
                ")",
                "died",
                "."
            ]
        );
        assert_eq!(token_texts("the U.S. and Iran’s UN"), vec!["the", "U.S.", "and", "Iran", "’s", "UN"]);
        assert_eq!(token_texts("don't AT&T"), vec!["don", "'t", "AT&T"]);
        assert_eq!(token_texts("O'Brien O’Gara's Shi'ite"), vec!["O'Brien", "O’Gara", "'s", "Shi'ite"]);
        assert_eq!(token_texts("1,2 and 2004."), vec!["1", ",", "2", "and", "2004", "."]);
    }

    #[test]
    fn token_offsets_point_into_the_text() {
        let text = "  “Gaza’s” £5m";
        for token in tokenize(text, 0..text.len()) {
            assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            assert!(token.start < token.end);
        }
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        assert_eq!(
            sentence_texts("Mr. Smith met U.S. officials on Jan. 5. They agreed. \"Yes,\" he said. Fine!"),
            vec!["Mr. Smith met U.S. officials on Jan. 5.", "They agreed.", "\"Yes,\" he said.", "Fine!"]
        );
        assert_eq!(
            sentence_texts("It rose 1.5 per cent. e.g. not split"),
            vec!["It rose 1.5 per cent. e.g. not split"]
        );
        assert_eq!(sentence_texts("Growth was 3.5%. Next"), vec!["Growth was 3.5%.", "Next"]);
    }

    #[test]
    fn paragraphs_by_blank_line_or_by_line() {
        let bbc = "Headline here\n\nFirst para line one\ncontinues here\n\nSecond para.\n";
        let spans: Vec<&str> = paragraphs(bbc).iter().map(|p| &bbc[p.span.clone()]).collect();
        assert_eq!(spans, vec!["Headline here", "First para line one\ncontinues here", "Second para."]);

        let per_line = "One sentence.\nAnother one!\nLast without stop";
        assert_eq!(paragraphs(per_line).len(), 3);
        assert!(paragraphs("").is_empty());
        assert!(paragraphs(" \n\n \n").is_empty());
    }
}
