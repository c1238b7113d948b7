//! Property tests: any text goes through extraction without a panic, and every
//! span is a real slice of the body (issue #4); every figure's mention holds a
//! number, ranges run low to high, money always has a unit (issue #12).

use docsql::extract::figures::FigureKind;
use docsql::extract::{CharOffsets, Extractors, analyze};

/// A digit, a vulgar fraction or a number word (any of its forms: "Twenty-five",
/// "thirds", "hundreds").
fn holds_a_number(mention: &str) -> bool {
    const STEMS: &[&str] = &[
        "zero", "nought", "nil", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thir", "fif", "twent", "forty", "eigh", "hundred", "thousand", "million", "billion",
        "trillion", "dozen", "half", "halves", "quarter", "third", "first", "second", "lakh", "crore", "score",
    ];
    let lower = mention.to_lowercase();
    lower.chars().any(|c| c.is_numeric()) || STEMS.iter().any(|s| lower.contains(s))
}
use proptest::prelude::*;

fn check(body: &str, extractors: &Extractors) {
    let analysis = analyze(body, extractors);
    let offsets = CharOffsets::new(body);
    let chars: Vec<char> = body.chars().collect();
    let substr = |start: i32, end: i32| chars[start as usize..end as usize].iter().collect::<String>();
    let mut last = 0;
    for info in &analysis.figures {
        let f = &info.figure;
        assert!(body.is_char_boundary(f.start) && body.is_char_boundary(f.end) && f.start < f.end, "{f:?}");
        assert!(f.start >= last, "figures in order");
        last = f.end;
        let sentence = &analysis.paragraphs[info.paragraph].sentences[info.sentence];
        assert!(sentence.start <= f.start && f.end <= sentence.end, "inside its sentence");
        // What SQL sees: substr(body, char_start + 1, char_end - char_start) = mention.
        assert_eq!(substr(offsets.char_at(f.start), offsets.char_at(f.end)), &body[f.start..f.end]);
        assert!(f.value.is_finite() || f.value.is_nan());
        let mention = &body[f.start..f.end];
        assert!(holds_a_number(mention), "{mention:?} holds no number: {f:?}");
        assert!(f.phrase_start <= f.start && f.end <= f.phrase_end, "the phrase holds the mention: {f:?}");
        assert!(sentence.start <= f.phrase_start && f.phrase_end <= sentence.end, "phrase inside its sentence");
        if let Some(max) = f.value_max {
            assert!(max >= f.value || f.value.is_nan() || max.is_nan(), "value_max < value: {f:?}");
        }
        if matches!(f.kind, FigureKind::Money | FigureKind::Percent | FigureKind::Quantity) {
            assert!(f.unit.as_deref().is_some_and(|u| !u.is_empty()), "no unit: {f:?}");
        }
    }
    let mut last = 0;
    for e in &analysis.entities {
        let m = &e.mention;
        assert!(body.is_char_boundary(m.start) && body.is_char_boundary(m.end) && m.start < m.end, "{m:?}");
        assert!(m.start >= last, "mentions in order, not overlapping");
        last = m.end;
        assert_eq!(substr(offsets.char_at(m.start), offsets.char_at(m.end)), &body[m.start..m.end]);
    }
}

fn newsy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "more than",
        "26,600",
        "£1.2bn",
        "$3",
        "bn",
        "15%",
        "per cent",
        "between",
        "10",
        "and",
        "15",
        "three",
        "American",
        "servicemen",
        "October",
        "7,",
        "2023",
        "Iran's",
        "UN",
        "Security",
        "Council",
        "-",
        "−2.5",
        "half",
        "a",
        "million",
        "World",
        "War",
        "II",
        "rose",
        "fell",
        "by",
        "km",
        "’s",
        ".",
        "\n\n",
        "\n",
        "é",
        "🙂",
        "1,2,3",
        "0.5",
        "twenty-five",
        "dozen",
        "hundreds of",
        "Mr.",
        "U.S.",
        "“",
        "”",
        "C$",
        "dlrs",
        "cents",
        "miles",
        "°C",
        "per",
        "kg",
        "a week",
        "to",
        "from",
        "1/2",
        "7",
        "in",
        "thick",
        "\"",
        "mph",
        "sq mi",
        "$6-billion",
        "12.5",
        "-inch",
        "pounds",
        "of",
        "times",
        "€",
        "K",
        "(",
        ")",
    ]);
    prop::collection::vec(words, 0..40).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_string_is_safe(body in "\\PC{0,200}") {
        check(&body, &Extractors::default());
    }

    #[test]
    fn news_like_text_is_safe(body in newsy()) {
        check(&body, &Extractors::default());
    }
}
