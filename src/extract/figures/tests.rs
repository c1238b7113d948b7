//! The figures pipeline end to end: seed sentences, money, percents, ranges,
//! qualifiers, news filters and inputs that must never panic.

use super::*;

fn news(text: &str) -> Vec<Figure> {
    extract_figures(text, &FigureOptions::default())
}

fn mention<'a>(text: &'a str, f: &Figure) -> &'a str {
    &text[f.start..f.end]
}

fn one(text: &str) -> Figure {
    let fs = news(text);
    assert_eq!(fs.len(), 1, "{text:?} -> {fs:?}");
    fs.into_iter().next().unwrap()
}

#[test]
fn seed_sentences() {
    let s = "So far, the regime's onslaught has claimed the lives of more than 26,600 civilians, mostly women and children, leaving more than 65,300 others injured.";
    let fs = news(s);
    assert_eq!(fs.len(), 2, "{fs:?}");
    assert_eq!(mention(s, &fs[0]), "26,600");
    assert_eq!(&s[fs[0].phrase_start..fs[0].phrase_end], "more than 26,600");
    assert_eq!(fs[0].value, 26600.0);
    assert_eq!(fs[0].kind, FigureKind::Count);
    assert_eq!(fs[0].unit.as_deref(), Some("civilians"));
    assert_eq!(fs[0].qualifier.as_deref(), Some("more than"));
    assert_eq!(mention(s, &fs[1]), "65,300");
    assert_eq!(fs[1].value, 65300.0);
    assert_eq!(fs[1].unit.as_deref(), Some("others"));
    assert_eq!(fs[1].qualifier.as_deref(), Some("more than"));

    let s = "The strikes have increased in intensity since October 7, 2023, when the Israeli regime, Washington's main regional ally, launched a US-backed genocidal war against the Gaza Strip.";
    assert!(news(s).is_empty(), "{:?}", news(s));

    let s = "The mission's statement was published after a drone attack on a US base located on Jordan's border with Syria killed three American servicemen.";
    let f = one(s);
    assert_eq!(mention(s, &f), "three");
    assert_eq!((f.value, f.kind), (3.0, FigureKind::Count));
    assert_eq!(f.unit.as_deref(), Some("servicemen"));

    let s = "The letter came three days after his American counterpart, Linda Thomas-Greenfield, wrote a letter.";
    let f = one(s);
    assert_eq!(mention(s, &f), "three days");
    assert_eq!((f.value, f.kind), (3.0, FigureKind::Quantity));
    assert_eq!((f.unit.as_deref(), f.unit_text.as_deref()), (Some("day"), Some("days")));
}

#[test]
fn seed_article_has_only_the_expected_figures() {
    let article = include_str!("../../../seeds/000_def429b1c4d7175a.txt");
    let mut got = Vec::new();
    for line in article.lines() {
        for f in news(line) {
            got.push(line[f.start..f.end].to_string());
        }
    }
    assert_eq!(got, ["three days", "26,600", "65,300", "three"]);
}

#[test]
fn scaled_values_are_the_exact_decimal() {
    for (s, v) in [
        ("taking the total to $8.2 trillion", 8.2e12),
        ("It raised $1.2bn from investors.", 1.2e9),
        ("It cost £3.5m to build.", 3.5e6),
        ("About 0.7 million people voted.", 700000.0),
        ("Debt hit £1.546 trillion.", 1.546e12),
        ("Sales were 4.1 billion euros.", 4.1e9),
        ("It made $16.6bn.", 16.6e9),
    ] {
        assert_eq!(one(s).value, v, "{s}");
    }
    // a change, not a range: two figures
    let fs = news("contributions rose from £5.5bn to £8.2bn a year");
    assert_eq!(fs.iter().map(|f| (f.value, f.value_max)).collect::<Vec<_>>(), [(5.5e9, None), (8.2e9, None)]);
    let f = one("It cost between 2.3 and 4.1 million euros.");
    assert_eq!((f.value, f.value_max), (2.3e6, Some(4.1e6)));
    assert_eq!(extract_numbers("1.2e6")[0].value, 1.2e6);
}

#[test]
fn up_as_a_verb_particle_is_no_qualifier() {
    let s = "Imports and exports added up to 22,201bn yen ($214.6bn).";
    let f = &news(s)[0];
    assert_eq!(mention(s, f), "22,201bn yen");
    assert_eq!((f.value, f.unit.as_deref(), f.qualifier.as_deref()), (22201e9, Some("JPY"), None));
    assert_eq!(f.direction, None);
    for s in ["Losses summed up to $5m.", "The bill adds up to £3bn.", "He signed up to 10 deals."] {
        let f = one(s);
        assert_eq!(f.qualifier, None, "{s}");
        assert!(!mention(s, &f).starts_with("up"), "{s}");
    }
    // "went up to" is a rise, not a bound
    let s = "The unemployment rate went up to 5.5%.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.qualifier.as_deref(), f.direction), ("5.5%", None, Some(Direction::Up)));
    // a particle "up" gives no direction
    assert_eq!(one("He set up 3 companies.").direction, None);
    assert_eq!(one("Women make up a third of the workforce.").direction, None);
    assert_eq!(one("It ended up in third place.").direction, None);
    // still a bound or a rise
    assert_eq!(one("Sales were up 3% on last year.").direction, Some(Direction::Up));
    assert_eq!(one("Shares ended up 3% on Friday.").direction, Some(Direction::Up));
    let s = "It will cut up to 700 jobs.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.qualifier.as_deref()), ("700", Some("up to")));
    assert_eq!(one("Portillo makes up to £560,000 a year.").qualifier.as_deref(), Some("up to"));
}

#[test]
fn currencies_named_by_word_or_country() {
    for (s, m, v, c) in [
        ("It made 1.33bn Australian dollars last year.", "1.33bn Australian dollars", 1.33e9, "AUD"),
        ("Shares fell to 57.85 Swiss francs.", "57.85 Swiss francs", 57.85, "CHF"),
        ("It is worth 5bn Hong Kong dollars.", "5bn Hong Kong dollars", 5e9, "HKD"),
        ("Profits fell to 3.4bn Danish kroner.", "3.4bn Danish kroner", 3.4e9, "DKK"),
        ("It earmarked 100 trillion won for 2005.", "100 trillion won", 1e14, "KRW"),
        ("It spent 59.2 trillion rupiah on fuel.", "59.2 trillion rupiah", 59.2e12, "IDR"),
        ("Thailand may lose 30bn baht in earnings.", "30bn baht", 30e9, "THB"),
        ("Sales climbed to 131.9 billion kronor.", "131.9 billion kronor", 131.9e9, "SEK"),
        ("He unveiled the 418bn-rand budget.", "418bn-rand", 418e9, "ZAR"),
        ("It will pump 154m naira into farming.", "154m naira", 154e6, "NGN"),
    ] {
        let f = one(s);
        assert_eq!((mention(s, &f), f.value, f.kind, f.unit.as_deref()), (m, v, FigureKind::Money, Some(c)), "{s}");
    }
    // "won" the verb, ambiguous pesos (not metres), an identifier with a glued "b"
    assert!(news("Halo 2 won the best Xbox game award.").iter().all(|f| f.kind != FigureKind::Money));
    let f = one("It wants an investment of 400m pesos in improvements.");
    assert_eq!((f.value, f.unit.as_deref()), (400e6, Some("peso")));
    assert!(news("It includes a 802.11b wireless network.").is_empty());
    assert_eq!(one("It cost $3.5b in all.").value, 3.5e9);
}

#[test]
fn money() {
    let s = "The deal is worth $1.2bn, up from £5m.";
    let fs = news(s);
    assert_eq!(fs.len(), 2, "{fs:?}");
    assert_eq!(mention(s, &fs[0]), "$1.2bn");
    assert_eq!((fs[0].value, fs[0].unit.as_deref()), (1.2e9, Some("USD")));
    assert_eq!(fs[0].kind, FigureKind::Money);
    assert_eq!(mention(s, &fs[1]), "£5m");
    assert_eq!((fs[1].value, fs[1].unit.as_deref()), (5e6, Some("GBP")));

    let s = "He paid £250,000 and 5 million euros, plus US$3 billion.";
    let fs = news(s);
    assert_eq!(fs.len(), 3, "{fs:?}");
    assert_eq!(mention(s, &fs[0]), "£250,000");
    assert_eq!(fs[0].value, 250_000.0);
    assert_eq!(mention(s, &fs[1]), "5 million euros");
    assert_eq!((fs[1].value, fs[1].unit.as_deref()), (5e6, Some("EUR")));
    assert_eq!(mention(s, &fs[2]), "US$3 billion");
    assert_eq!((fs[2].value, fs[2].unit.as_deref()), (3e9, Some("USD")));

    let f = one("It cost half a billion dollars.");
    assert_eq!((f.value, f.unit.as_deref()), (5e8, Some("USD")));
    let f = one("Rates for 50p coins.");
    assert_eq!((f.value, f.unit.as_deref()), (0.5, Some("GBP")));
}

#[test]
fn percents_and_direction() {
    let s = "Sales rose 5.5% while costs fell 15 per cent and margins were down 2 percentage points.";
    let fs = news(s);
    assert_eq!(fs.len(), 3, "{fs:?}");
    assert_eq!(mention(s, &fs[0]), "5.5%");
    assert_eq!((fs[0].value, fs[0].unit.as_deref()), (5.5, Some("%")));
    assert_eq!(fs[0].direction, Some(Direction::Up));
    assert_eq!(mention(s, &fs[1]), "15 per cent");
    assert_eq!(fs[1].direction, Some(Direction::Down));
    assert_eq!(mention(s, &fs[2]), "2 percentage points");
    assert_eq!(fs[2].unit.as_deref(), Some("pp"));
    assert_eq!(fs[2].kind, FigureKind::Percent);
    let f = one("Inflation was -3.5% last year.");
    assert_eq!(f.value, -3.5);
    let f = one("Output slid 15 percent.");
    assert_eq!((f.value, f.direction), (15.0, Some(Direction::Down)));
}

#[test]
fn ranges() {
    let s = "Between 10 and 15 people died.";
    let f = one(s);
    assert_eq!(mention(s, &f), "Between 10 and 15");
    assert_eq!((f.value, f.value_max), (10.0, Some(15.0)));
    assert_eq!(f.unit.as_deref(), Some("people"));
    let s = "Growth of 10-15% is expected.";
    let f = one(s);
    assert_eq!(mention(s, &f), "10-15%");
    assert_eq!((f.value, f.value_max, f.kind), (10.0, Some(15.0), FigureKind::Percent));
    let s = "The population went from 5 to 7 million.";
    let f = one(s);
    assert_eq!(mention(s, &f), "5 to 7 million");
    assert_eq!(&s[f.phrase_start..f.phrase_end], "from 5 to 7 million");
    assert_eq!((f.value, f.value_max), (5e6, Some(7e6)));
    let f = one("They arrested 10 to 15 people.");
    assert_eq!((f.value, f.value_max, f.unit.as_deref()), (10.0, Some(15.0), Some("people")));
}

#[test]
fn spelled_and_vague() {
    let f = one("It took three and a half hours.");
    assert_eq!((f.value, f.unit.as_deref()), (3.5, Some("hour")));
    let f = one("Twenty-five protesters were held.");
    assert_eq!((f.value, f.unit.as_deref()), (25.0, Some("protesters")));
    let s = "Hundreds of people gathered.";
    let f = one(s);
    assert_eq!(mention(s, &f), "Hundreds of");
    assert_eq!((f.value, f.qualifier.as_deref()), (100.0, Some("hundreds of")));
    assert_eq!(f.unit.as_deref(), Some("people"));
    let f = one("They sold a dozen eggs.");
    assert_eq!((f.value, f.unit.as_deref()), (12.0, Some("eggs")));
    let f = one("It has 2.5 million users.");
    assert_eq!((f.value, f.unit.as_deref()), (2.5e6, Some("users")));
}

#[test]
fn quantities() {
    let s = "A 20-year-old ran 10km and then 26 miles in 40C heat.";
    let fs = news(s);
    assert_eq!(fs.len(), 4, "{fs:?}");
    assert_eq!((fs[0].value, fs[0].unit.as_deref()), (20.0, Some("year")));
    assert_eq!(mention(s, &fs[0]), "20-year-old");
    assert_eq!(mention(s, &fs[1]), "10km");
    assert_eq!((fs[1].value, fs[1].unit.as_deref(), fs[1].unit_text.as_deref()), (10.0, Some("kilometre"), Some("km")));
    assert_eq!((mention(s, &fs[2]), fs[2].value, fs[2].unit.as_deref()), ("26 miles", 26.0, Some("mile")));
    assert_eq!(fs[2].kind, FigureKind::Quantity);
    assert_eq!((fs[3].value, fs[3].unit.as_deref()), (40.0, Some("degree Celsius")));
    let s = "Output hit 2m barrels a day.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.value, f.unit.as_deref()), ("2m barrels a day", 2e6, Some("barrel per day")));
    assert_eq!(f.kind, FigureKind::Quantity);
}

#[test]
fn news_context_readings() {
    let s = "Scholl, 21, was arrested; Nogar died aged 72.";
    let fs = news(s);
    assert_eq!(fs.len(), 2, "{fs:?}");
    assert_eq!((fs[0].value, fs[0].kind, fs[0].unit.as_deref()), (21.0, FigureKind::Quantity, Some("year")));
    assert_eq!((fs[1].value, fs[1].unit.as_deref()), (72.0, Some("year")));
    assert_eq!((mention(s, &fs[0]), fs[0].unit_text.as_deref()), ("21", None));
    let f = one("Labour wants a third term.");
    assert_eq!((f.value, f.kind), (3.0, FigureKind::Ordinal));
    let s = "A third of voters agreed.";
    let f = one(s);
    assert_eq!(mention(s, &f), "A third");
    assert!((f.value - 1.0 / 3.0).abs() < 1e-12);
    let f = one("She won the 200m title.");
    assert_eq!((f.value, f.unit.as_deref()), (200.0, Some("metre")));
    let f = one("Some 3m people were affected.");
    assert_eq!((f.value, f.unit.as_deref(), f.qualifier.as_deref()), (3e6, Some("people"), Some("some")));
    assert!(news("He told US TV show 60 Minutes that he works at 20th Century Fox.").is_empty());
    assert!(news("The event runs from 6 to 9 January.").is_empty());
}

#[test]
fn qualifiers() {
    for (s, q, m, phrase) in [
        ("Nearly 300 homes flooded.", "nearly", "300", "Nearly 300"),
        ("at least 12 dead", "at least", "12", "at least 12"),
        ("up to 700 contract workers", "up to", "700", "up to 700"),
        ("just over 40 countries", "just over", "40", "just over 40"),
        ("an estimated 5,000 refugees", "an estimated", "5,000", "an estimated 5,000"),
        ("fewer than 100 tanks", "fewer than", "100", "fewer than 100"),
        ("about twelve miles away", "about", "twelve miles", "about twelve miles"),
        ("more than $5bn", "more than", "$5bn", "more than $5bn"),
        ("500 or more people", "at least", "500", "500 or more"),
    ] {
        let f = one(s);
        assert_eq!(f.qualifier.as_deref(), Some(q), "{s}");
        assert_eq!(mention(s, &f), m);
        assert_eq!(&s[f.phrase_start..f.phrase_end], phrase);
    }
}

#[test]
fn news_filters_drop_non_figures() {
    for s in [
        "It happened on 7 October in 2004.",
        "The 2023-10-07 attack.",
        "He was born in the 1990s.",
        "The meeting starts at 10:30 and ends at 3pm or 5 a.m. tomorrow.",
        "World War II veterans flew on Apollo 11 and a Boeing 747.",
        "Formula 1 and the G8 met; Windows XP runs on PlayStation 2.",
        "The A380, MP3, 3G, H5N1 and M25 are codes.",
        "Call 0800 123 456 now.",
        "It was the first time, one of many.",
        "On March 3 they met.",
    ] {
        assert!(news(s).is_empty(), "{s:?} -> {:?}", news(s));
    }
    let f = one("He finished 21st in the race.");
    assert_eq!((f.value, f.kind), (21.0, FigureKind::Ordinal));
    let f = one("It was his third attempt.");
    assert_eq!((f.value, f.kind), (3.0, FigureKind::Ordinal));
    let f = one("Sales hit 2,000 units in 2004.");
    assert_eq!(f.value, 2000.0);
}

#[test]
fn without_news_filters_years_and_ordinals_stay() {
    let o = FigureOptions { news_filters: false };
    let fs = extract_figures("in 2004 the first", &o);
    assert_eq!(fs.len(), 2, "{fs:?}");
    assert_eq!((fs[0].value, fs[0].kind), (2004.0, FigureKind::Count));
    assert_eq!((fs[1].value, fs[1].kind), (1.0, FigureKind::Ordinal));
}

#[test]
fn number_layer_values() {
    for (s, m, v) in [
        ("one hundred and three and two thirds", "one hundred and three and two thirds", 103.0 + 2.0 / 3.0),
        ("1,234,567", "1,234,567", 1234567.0),
        (".08", ".08", 0.08),
        ("twenty-one trillion and three hundred", "twenty-one trillion and three hundred", 21e12 + 300.0),
        ("a hundred trillionths", "a hundred trillionths", 1e-10),
        ("1.3e6", "1.3e6", 1.3e6),
        ("The total is three lakh crore", "three lakh crore", 3e12),
        ("nine point nought four", "nine point nought four", 9.04),
        ("one over three", "one over three", 1.0 / 3.0),
        ("- 1 4/5", "- 1 4/5", -1.8),
    ] {
        let ns = extract_numbers(s);
        assert_eq!(ns.len(), 1, "{s:?} -> {ns:?}");
        assert_eq!(&s[ns[0].start..ns[0].end], m, "{s}");
        assert!((ns[0].value - v).abs() <= v.abs() * 1e-12, "{s}: {} != {v}", ns[0].value);
    }
}

/// (text, mention, value, value_max, kind, unit, unit as written) of the only figure.
type Case<'a> = (&'a str, &'a str, f64, Option<f64>, FigureKind, &'a str, &'a str);

fn check(cases: &[Case]) {
    for &(s, m, v, max, kind, unit, written) in cases {
        let f = one(s);
        let got = (mention(s, &f), f.value, f.value_max, f.kind, f.unit.as_deref(), f.unit_text.as_deref());
        assert_eq!(got, (m, v, max, kind, Some(unit), Some(written)), "{s}");
    }
}

#[test]
fn mentions_cover_number_and_unit() {
    use FigureKind::*;
    check(&[
        ("They walked twelve miles to the border.", "twelve miles", 12.0, None, Quantity, "mile", "miles"),
        (
            "It uses 3.1 billion litres a year.",
            "3.1 billion litres a year",
            3.1e9,
            None,
            Quantity,
            "litre per year",
            "litres a year",
        ),
        ("The C$450 million deal closed.", "C$450 million", 450e6, None, Money, "CAD", "C$"),
        ("It was a four-mile walk.", "four-mile", 4.0, None, Quantity, "mile", "mile"),
        ("He drank a 12-ounce soda.", "12-ounce", 12.0, None, Quantity, "ounce", "ounce"),
        ("It has a 5-inch screen.", "5-inch", 5.0, None, Quantity, "inch", "inch"),
        ("It killed 26,600 civilians.", "26,600", 26600.0, None, Count, "civilians", "civilians"),
        ("The mine yields 4,500 tpd.", "4,500 tpd", 4500.0, None, Quantity, "ton per day", "tpd"),
        ("Italy covers 301,338 km2 of land.", "301,338 km2", 301338.0, None, Quantity, "square kilometre", "km2"),
        (
            "Temperatures hit 45 degrees Celsius.",
            "45 degrees Celsius",
            45.0,
            None,
            Quantity,
            "degree Celsius",
            "degrees Celsius",
        ),
        ("It reached 114 °F on Monday.", "114 °F", 114.0, None, Quantity, "degree Fahrenheit", "°F"),
        ("Cars are limited to 30 mph there.", "30 mph", 30.0, None, Quantity, "mile per hour", "mph"),
        ("The plant makes 7.3 MWh a day.", "7.3 MWh a day", 7.3, None, Quantity, "megawatt hour per day", "MWh a day"),
        ("They store 8 MB on it.", "8 MB", 8.0, None, Quantity, "megabyte", "MB"),
        ("Gallium costs $350 per kg now.", "$350 per kg", 350.0, None, Money, "USD per kilogram", "$ per kg"),
        ("She trains four times a week.", "four times a week", 4.0, None, Quantity, "times per week", "times a week"),
        ("It took 3 hrs.", "3 hrs", 3.0, None, Quantity, "hour", "hrs"),
        (
            "They bought a 2,000-square-foot home.",
            "2,000-square-foot",
            2000.0,
            None,
            Quantity,
            "square foot",
            "square-foot",
        ),
        ("The Fed cut rates by 50 basis points.", "50 basis points", 50.0, None, Percent, "bp", "basis points"),
        ("A mouse fits through a 1/4 inch gap.", "1/4 inch", 0.25, None, Quantity, "inch", "inch"),
        ("The wrench is 8\" long.", "8\"", 8.0, None, Quantity, "inch", "\""),
    ]);
    // "in" is a preposition unless nothing else can be
    assert_eq!(one("Five in 10 voters agree.").unit.as_deref(), Some("voters"));
    assert_eq!(one("The door is 2 1/2 in thick.").unit.as_deref(), Some("inch"));
    // a closing quote is no inch mark
    assert_eq!(one("He said \"we need 5\" and left.").kind, FigureKind::Count);
}

#[test]
fn scales_apply_to_both_ends_and_hyphens() {
    use FigureKind::*;
    check(&[
        ("It paid $6-billion for it.", "$6-billion", 6e9, None, Money, "USD", "$"),
        ("A $240-million deal.", "$240-million", 240e6, None, Money, "USD", "$"),
        ("It sold 12 to 12.5 million shares.", "12 to 12.5 million", 12e6, Some(12.5e6), Count, "shares", "shares"),
        ("It will cost $2-3bn.", "$2-3bn", 2e9, Some(3e9), Money, "USD", "$"),
        ("He earns 75K euros.", "75K euros", 75e3, None, Money, "EUR", "euros"),
        ("Its GDP is $2.174T.", "$2.174T", 2.174e12, None, Money, "USD", "$"),
        ("I have €10M saved.", "€10M", 10e6, None, Money, "EUR", "€"),
        ("It pumps 2.5 million barrels.", "2.5 million barrels", 2.5e6, None, Quantity, "barrel", "barrels"),
    ]);
    let f = one("Half a million people marched.");
    assert_eq!(f.value, 5e5);
    let s = "A quarter of a million people marched.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.value), ("A quarter of a million", 250e3));
}

#[test]
fn fractions_and_mixed_numbers() {
    use FigureKind::*;
    check(&[
        ("He ran 7 1/2 miles.", "7 1/2 miles", 7.5, None, Quantity, "mile", "miles"),
        ("A 1/2-inch pipe burst.", "1/2-inch", 0.5, None, Quantity, "inch", "inch"),
    ]);
    let s = "The bond traded at 99 17/32 on Friday.";
    assert_eq!(one(s).value, 99.0 + 17.0 / 32.0);
    let s = "About 1/40 of the light passes.";
    assert_eq!((mention(s, &one(s)), one(s).value), ("1/40", 0.025));
    let s = "Two-thirds of voters agreed.";
    assert!((one(s).value - 2.0 / 3.0).abs() < 1e-12);
    // dates and slogans are no fractions
    assert!(
        news("After 9/11 attacks, a 24/7 service opened.").is_empty(),
        "{:?}",
        news("After 9/11 attacks, a 24/7 service.")
    );
}

#[test]
fn money_written_every_way() {
    use FigureKind::*;
    check(&[
        ("Profit was US$5 million.", "US$5 million", 5e6, None, Money, "USD", "US$"),
        ("It raised HK$3bn.", "HK$3bn", 3e9, None, Money, "HKD", "HK$"),
        ("It cost A$2m.", "A$2m", 2e6, None, Money, "AUD", "A$"),
        ("It cost NZ$40.", "NZ$40", 40.0, None, Money, "NZD", "NZ$"),
        ("It cost S$12.", "S$12", 12.0, None, Money, "SGD", "S$"),
        ("The unit earned dlrs 450,000 net.", "dlrs 450,000", 450e3, None, Money, "USD", "dlrs"),
        ("Exports fell to yen 500 billion.", "yen 500 billion", 500e9, None, Money, "JPY", "yen"),
        (
            "Debt was Australian dollar 29.4bn.",
            "Australian dollar 29.4bn",
            29.4e9,
            None,
            Money,
            "AUD",
            "Australian dollar",
        ),
        ("Stamps rose 45 cents.", "45 cents", 0.45, None, Money, "USD", "cents"),
        ("It costs 20 pence.", "20 pence", 0.2, None, Money, "GBP", "pence"),
        ("A 15-cent stamp.", "15-cent", 0.15, None, Money, "USD", "cent"),
        ("It earned 2.35 cents a share.", "2.35 cents a share", 0.0235, None, Money, "USD per share", "cents a share"),
        ("Sales were 500 million kronor.", "500 million kronor", 500e6, None, Money, "SEK", "kronor"),
        ("It cost 20 guilders.", "20 guilders", 20.0, None, Money, "NLG", "guilders"),
        ("It paid 30 Kuwaiti dinars.", "30 Kuwaiti dinars", 30.0, None, Money, "KWD", "Kuwaiti dinars"),
        ("It paid 30 dinars.", "30 dinars", 30.0, None, Money, "dinar", "dinars"),
        ("It cost 2 billion rupees.", "2 billion rupees", 2e9, None, Money, "INR", "rupees"),
        ("It cost 15€ there.", "15€", 15.0, None, Money, "EUR", "€"),
        ("Profit was 18 cts a share.", "18 cts a share", 0.18, None, Money, "USD per share", "cts a share"),
        ("The fund is worth 15.8 trillion crowns.", "15.8 trillion crowns", 15.8e12, None, Money, "crown", "crowns"),
    ]);
    // weight, not money
    let s = "He bought a twenty-pound bag of rice.";
    assert_eq!((one(s).kind, one(s).unit.as_deref()), (FigureKind::Quantity, Some("pound")));
    assert_eq!(one("It weighs five pounds of flour.").unit.as_deref(), Some("pound"));
    assert_eq!(one("He lost 20 million pounds.").unit.as_deref(), Some("GBP"));
}

#[test]
fn ranges_with_units_and_changes() {
    use FigureKind::*;
    check(&[
        ("An 8- to 16-meter telescope.", "8- to 16-meter", 8.0, Some(16.0), Quantity, "metre", "meter"),
        ("It smashed them at 3.5–4.0 TeV.", "3.5–4.0 TeV", 3.5, Some(4.0), Quantity, "teraelectronvolt", "TeV"),
        (
            "It holds between 10 and 15 exabytes.",
            "between 10 and 15 exabytes",
            10.0,
            Some(15.0),
            Quantity,
            "exabyte",
            "exabytes",
        ),
        ("It ranged from -18 °C to -34 °C.", "-18 °C to -34 °C", -34.0, Some(-18.0), Quantity, "degree Celsius", "°C"),
    ]);
    // a change is two figures, never a range
    for s in ["Inflation rose from 5% to 7%.", "The dose was cut from 44 mg to 30 mg."] {
        let fs = news(s);
        assert_eq!(fs.len(), 2, "{s}: {fs:?}");
        assert!(fs.iter().all(|f| f.value_max.is_none()), "{s}: {fs:?}");
    }
    // an amount then a new level is a change; an amount as a range is a range
    let fs = news("A stamp will rise by 10p to 85p.");
    assert_eq!(fs.iter().map(|f| (f.value, f.value_max)).collect::<Vec<_>>(), [(0.1, None), (0.85, None)]);
    let f = one("The economy will grow by 3 to 3.5 per cent.");
    assert_eq!((f.value, f.value_max, f.unit.as_deref()), (3.0, Some(3.5), Some("%")));
    // two different units are no range either
    let fs = news("They were given from 44 ml to 50 mg ethanol.");
    assert_eq!(fs.iter().map(|f| f.unit.as_deref()).collect::<Vec<_>>(), [Some("millilitre"), Some("milligram")]);
}

#[test]
fn names_periods_and_neighbours_are_not_units() {
    // title-case unit and currency words are names
    assert!(news("US rapper 50 Cent topped the chart.").iter().all(|f| f.kind != FigureKind::Money));
    assert!(news("The 21 Grams actress won.").iter().all(|f| f.kind != FigureKind::Quantity));
    assert_eq!(one("Jugnot made 5.45m Euros last year.").unit.as_deref(), Some("EUR"));
    // an age is no unit written after the number: "aged 18 to 99" stays a range
    assert_eq!(one("It wants gamers aged 18 to 99.").value_max, Some(99.0));
    // but symbols keep their case
    assert_eq!(one("It made 50 Wh today.").unit.as_deref(), Some("watt hour"));
    // a symbol before the next number is that number's
    let s = "It will spend by 2008 £60bn more.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.value), ("£60bn", 60e9));
    // a period and a date, not a range
    let s = "Profit rose in the three months to 31 December.";
    let f = one(s);
    assert_eq!((mention(s, &f), f.value_max, f.unit.as_deref()), ("three months", None, Some("month")));
    // race distances
    assert_eq!(one("She won the 10K race.").unit.as_deref(), Some("kilometre"));
    assert_eq!(one("He earns 10K a year.").value, 10e3);
    assert!(news("It sits on one bit of silicon.").is_empty(), "{:?}", news("It sits on one bit of silicon."));
}

#[test]
fn nasty_inputs_never_panic() {
    let long_digits = "9".repeat(5000);
    let long_mixed = "1,".repeat(2000);
    let inputs = [
        "",
        " ",
        "£",
        "$",
        "%",
        "1,2,3,4",
        "--5",
        "-",
        "−2",
        "٣ ١٢",
        "e\u{301}5\u{301}%",
        "🙂 5 🙂🙂 £5m👍 twenty-🙂",
        "½⅔¾ and a half",
        "1e999999 1e-999999 1.1^99999",
        "and and and a a half half",
        "one - - two",
        "between and 5 to",
        "5 to",
        "from 5 to",
        "0/0 5/0",
        "1..2,,3",
        "US$",
        "£5m-£",
        "more than",
        "\u{200b}7\u{200b}",
        &long_digits,
        &long_mixed,
        "x>10 and y<20 < = 5 <=  -3",
        "three hundred and two dozens hundred thousand million",
        "a hundred thousand trillionths of a million point",
    ];
    for opts in [FigureOptions { news_filters: true }, FigureOptions { news_filters: false }] {
        for s in &inputs {
            let fs = extract_figures(s, &opts);
            let mut last_end = 0;
            for f in &fs {
                assert!(f.start < f.end && f.end <= s.len(), "{s:?} {f:?}");
                assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end), "{s:?} {f:?}");
                assert!(f.start >= last_end, "{s:?} overlap {fs:?}");
                last_end = f.end;
            }
            for f in extract_numbers(s) {
                assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end), "{s:?} {f:?}");
            }
        }
    }
}
