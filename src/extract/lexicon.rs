//! The words every extractor agrees on: month and week-day names with their
//! abbreviations, and English number words.
//!
//! The segmenter (abbreviations that do not end a sentence), the date finder and
//! the figures extractor (numbers next to a month are dates) all read these
//! tables, so that a new abbreviation or number word is added in one place. Each
//! module keeps its own *policy* (which casing it accepts, which context makes a
//! word a date); this file only says what the words are.

/// Full month names, January first, as written in running text.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Abbreviated month names with their month number. May has none (its name is
/// three letters already); September has two.
pub(crate) const MONTH_ABBREVIATIONS: [(&str, u32); 12] = [
    ("Jan", 1),
    ("Feb", 2),
    ("Mar", 3),
    ("Apr", 4),
    ("Jun", 6),
    ("Jul", 7),
    ("Aug", 8),
    ("Sep", 9),
    ("Sept", 9),
    ("Oct", 10),
    ("Nov", 11),
    ("Dec", 12),
];

/// Full week-day names, Monday first.
pub(crate) const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Abbreviated week-day names.
pub(crate) const WEEKDAY_ABBREVIATIONS: [&str; 10] =
    ["Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"];

/// Suffixes of ordinals written with digits ("21st", "2nd", "3rd", "4th").
pub(crate) const ORDINAL_SUFFIXES: [&str; 4] = ["st", "nd", "rd", "th"];

/// Month number (1-12) of a full month name or an abbreviation, spelled exactly
/// as in [`MONTHS`] / [`MONTH_ABBREVIATIONS`] ("October", "Oct"; not "october").
pub(crate) fn month_number(word: &str) -> Option<u32> {
    if let Some(i) = MONTHS.iter().position(|m| *m == word) {
        return Some(i as u32 + 1);
    }
    MONTH_ABBREVIATIONS.iter().find(|(a, _)| *a == word).map(|&(_, n)| n)
}

/// Like [`month_number`], ignoring ASCII case ("october", "OCT", "Sept").
pub(crate) fn month_number_ignore_case(word: &str) -> Option<u32> {
    if let Some(i) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(word)) {
        return Some(i as u32 + 1);
    }
    MONTH_ABBREVIATIONS.iter().find(|(a, _)| a.eq_ignore_ascii_case(word)).map(|&(_, n)| n)
}

/// True for a full month name spelled as in [`MONTHS`]; with `ignore_case`,
/// in any ASCII case.
pub(crate) fn is_month_name(word: &str, ignore_case: bool) -> bool {
    if ignore_case { MONTHS.iter().any(|m| m.eq_ignore_ascii_case(word)) } else { MONTHS.contains(&word) }
}

/// True for a full week-day name spelled as in [`WEEKDAYS`]; with `ignore_case`,
/// in any ASCII case.
pub(crate) fn is_weekday(word: &str, ignore_case: bool) -> bool {
    if ignore_case { WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(word)) } else { WEEKDAYS.contains(&word) }
}

/// True for an abbreviated month or week-day name, spelled exactly ("Sept", "Tues").
pub(crate) fn is_month_or_weekday_abbreviation(word: &str) -> bool {
    MONTH_ABBREVIATIONS.iter().any(|(a, _)| *a == word) || WEEKDAY_ABBREVIATIONS.contains(&word)
}

// Number words. Each takes the lower-case word; they are `match`es rather than
// tables because the figures extractor asks them about every word of a text.

/// Value of a unit word: "zero" (also "nought", "naught") to "nine".
#[inline]
pub(crate) fn unit_word(w: &str) -> Option<f64> {
    Some(match w {
        "zero" | "nought" | "naught" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        _ => return None,
    })
}

/// Value of "ten" to "nineteen".
#[inline]
pub(crate) fn teen_word(w: &str) -> Option<f64> {
    Some(match w {
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        _ => return None,
    })
}

/// Value of a tens word, "twenty" to "ninety".
#[inline]
pub(crate) fn tens_word(w: &str) -> Option<f64> {
    Some(match w {
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

/// Value of a scale word ("thousand", "million", "lakh"…). "hundred" is not
/// one: it only multiplies the group below a thousand. The abbreviations "bn",
/// "mn", "tn"… count only `after_digits` ("5 bn"), where they cannot be words.
#[inline]
pub(crate) fn scale_word(w: &str, after_digits: bool) -> Option<f64> {
    Some(match w {
        "thousand" => 1e3,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
        "bln" | "bn" | "mn" | "mln" | "tln" | "trn" | "tn" if after_digits => match w {
            "bln" | "bn" => 1e9,
            "mn" | "mln" => 1e6,
            _ => 1e12,
        },
        _ => return None,
    })
}

/// "dozen" and its plural and abbreviations.
#[inline]
pub(crate) fn dozen_word(w: &str) -> bool {
    matches!(w, "dozen" | "dozens" | "dz" | "dzs" | "doz" | "dozs")
}

/// Ordinal words ("first" … "trillionth"): value and whether the word is a
/// plural ("thirds"), which makes it a fraction's denominator.
#[inline]
pub(crate) fn ordinal_word(w: &str) -> Option<(f64, bool)> {
    let (stem, plural) = match w.strip_suffix('s') {
        Some(s) if w != "ones" => (s, true),
        _ => (w, false),
    };
    let v = match stem {
        "first" => 1.0,
        "second" => 2.0,
        "third" => 3.0,
        "fourth" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" | "nineth" => 9.0,
        "tenth" => 10.0,
        "eleventh" => 11.0,
        "twelfth" => 12.0,
        "thirteenth" => 13.0,
        "fourteenth" => 14.0,
        "fifteenth" => 15.0,
        "sixteenth" => 16.0,
        "seventeenth" => 17.0,
        "eighteenth" => 18.0,
        "nineteenth" => 19.0,
        "twentieth" => 20.0,
        "thirtieth" => 30.0,
        "fortieth" => 40.0,
        "fiftieth" => 50.0,
        "sixtieth" => 60.0,
        "seventieth" => 70.0,
        "eightieth" => 80.0,
        "ninetieth" => 90.0,
        "hundredth" => 100.0,
        "thousandth" => 1e3,
        "millionth" => 1e6,
        "billionth" => 1e9,
        "trillionth" => 1e12,
        _ => return None,
    };
    Some((v, plural))
}

/// Denominators that are only fractions, never ordinals: "half", "quarter"
/// (value and plural, as [`ordinal_word`]).
#[inline]
pub(crate) fn half_quarter(w: &str) -> Option<(f64, bool)> {
    Some(match w {
        "half" => (2.0, false),
        "halves" => (2.0, true),
        "quarter" => (4.0, false),
        "quarters" => (4.0, true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_by_name_and_abbreviation() {
        assert_eq!(month_number("October"), Some(10));
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("Sep"), Some(9));
        assert_eq!(month_number("october"), None);
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number_ignore_case("sept"), Some(9));
        assert_eq!(month_number_ignore_case("MAY"), Some(5));
        assert!(is_month_name("May", false) && !is_month_name("may", false) && is_month_name("may", true));
        assert!(!is_month_name("Oct", true));
        // every abbreviation is a prefix of its month's name
        for (a, n) in MONTH_ABBREVIATIONS {
            assert!(MONTHS[n as usize - 1].starts_with(a), "{a}");
        }
    }

    #[test]
    fn weekdays_and_abbreviations() {
        assert!(is_weekday("Monday", false) && !is_weekday("monday", false) && is_weekday("MONDAY", true));
        assert!(is_month_or_weekday_abbreviation("Tues") && is_month_or_weekday_abbreviation("Dec"));
        assert!(!is_month_or_weekday_abbreviation("May") && !is_month_or_weekday_abbreviation("dec"));
        for a in WEEKDAY_ABBREVIATIONS {
            assert!(WEEKDAYS.iter().any(|d| d.starts_with(a)), "{a}");
        }
    }

    #[test]
    fn number_words() {
        assert_eq!(unit_word("nought"), Some(0.0));
        assert_eq!(teen_word("nineteen"), Some(19.0));
        assert_eq!(tens_word("ninety"), Some(90.0));
        assert_eq!(scale_word("bn", false), None);
        assert_eq!(scale_word("bn", true), Some(1e9));
        assert_eq!(scale_word("crores", false), Some(1e7));
        assert_eq!(ordinal_word("thirds"), Some((3.0, true)));
        assert_eq!(ordinal_word("ones"), None);
        assert_eq!(half_quarter("halves"), Some((2.0, true)));
        assert!(dozen_word("doz") && !dozen_word("dozer"));
    }
}
