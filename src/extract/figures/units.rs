//! What a number measures: currencies (symbols, ISO codes, currency words,
//! "Australian dollars") and units ("km", "three days", "10km").

use super::tokens::{Ctx, TK};
use super::unit_lexicon;

/// The unit glued to digits ("10km", "20kg", "5MW", "-10C", "3hrs"): its
/// canonical name. Single letters that are scales or something else ("5m", "5G",
/// "4K", "1990s") are not units here.
pub(super) fn glued_unit(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "C" => "degree Celsius",
        "F" => "degree Fahrenheit",
        "h" | "H" => "hour",
        "in" => "inch",
        "m" | "M" | "G" | "K" | "k" | "T" | "B" | "b" | "s" | "S" | "p" | "P" | "am" | "pm" | "AM" | "PM" => {
            return None;
        }
        _ => return unit_lexicon::lookup(suffix),
    })
}

/// ISO 4217 code written as a word ("USD 5", "50 EUR"); "RMB" is CNY.
pub(super) fn currency_code(word: &str) -> Option<&'static str> {
    Some(match word {
        "USD" => "USD",
        "GBP" => "GBP",
        "EUR" => "EUR",
        "JPY" => "JPY",
        "INR" => "INR",
        "CNY" | "RMB" => "CNY",
        "CHF" => "CHF",
        "AUD" => "AUD",
        "CAD" => "CAD",
        "HKD" => "HKD",
        "RUB" => "RUB",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "KRW" => "KRW",
        "BRL" => "BRL",
        "ZAR" => "ZAR",
        "NZD" => "NZD",
        "SGD" => "SGD",
        "MXN" => "MXN",
        "TRY" => "TRY",
        "IRR" => "IRR",
        _ => return None,
    })
}

/// ISO code of a lower-case currency word ("dollars", "pence", "yuan").
pub(super) fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" => "GBP",
        "dlrs" | "dlr" => "USD",
        "stg" => "GBP",
        "guilder" | "guilders" => "NLG",
        "lire" => "ITL",
        "lira" => "TRY",
        "peseta" | "pesetas" => "ESP",
        "escudo" | "escudos" => "PTE",
        "drachma" | "drachmas" => "GRD",
        "schilling" | "schillings" => "ATS",
        "markka" | "markkaa" => "FIM",
        "deutschemark" | "deutschemarks" => "DEM",
        "taka" => "BDT",
        "hryvnia" | "hryvnias" => "UAH",
        "tenge" => "KZT",
        "dong" => "VND",
        "cedi" | "cedis" => "GHS",
        "afghani" | "afghanis" => "AFN",
        "rupee" | "rupees" => "INR",
        "yen" => "JPY",
        "yuan" | "renminbi" => "CNY",
        "rouble" | "roubles" | "ruble" | "rubles" => "RUB",
        "rial" | "rials" => "IRR",
        "franc" | "francs" => "CHF",
        "rupiah" => "IDR",
        "baht" => "THB",
        "rand" => "ZAR",
        "krona" | "kronor" => "SEK",
        "bitcoin" | "bitcoins" => "BTC",
        "reais" => "BRL",
        "naira" => "NGN",
        "ringgit" => "MYR",
        "shekel" | "shekels" => "ILS",
        "zloty" | "zlotys" => "PLN",
        "forint" | "forints" => "HUF",
        _ => return None,
    })
}

/// Currencies several countries name alike ("dinars", "pesos", "kroner"): a
/// name stands for the unit when the text does not say whose, rather than a
/// guessed ISO code.
pub(super) fn currency_without_country(w: &str) -> Option<&'static str> {
    Some(match w {
        "dinar" | "dinars" => "dinar",
        "peso" | "pesos" => "peso",
        "krone" | "kroner" => "krone",
        "shilling" | "shillings" => "shilling",
        "dirham" | "dirhams" => "dirham",
        "riyal" | "riyals" => "riyal",
        "crown" | "crowns" => "crown",
        _ => return None,
    })
}

/// A minor currency unit: (ISO code of its major unit, value of one in it).
/// docsql reports money in the major unit ("45 cents" is 0.45 USD), so sums
/// and comparisons work across a column; the written unit stays in `unit_text`.
pub(super) fn minor_currency(w: &str) -> Option<(&'static str, f64)> {
    Some(match w {
        "cent" | "cents" | "cts" => ("USD", 0.01),
        "pence" | "penny" | "pennies" => ("GBP", 0.01),
        "dime" | "dimes" => ("USD", 0.1),
        "nickel" | "nickels" => ("USD", 0.05),
        "paise" => ("INR", 0.01),
        "kopeks" | "kopecks" => ("RUB", 0.01),
        _ => return None,
    })
}

/// A currency named with its country ("Australian dollars", "Hong Kong dollars",
/// "Danish kroner") starting at token `j`: (last token, ISO code). Known adjectives
/// with an unknown pairing give `None`, so that "Zimbabwe dollars" is not USD.
pub(super) fn national_currency(cx: &Ctx, j: usize) -> Option<(usize, &'static str)> {
    let (adj, k) = match (cx.w(j), cx.w(j + 1)) {
        ("hong", "kong")
        | ("new", "zealand")
        | ("south", "african")
        | ("south", "korean")
        | ("sri", "lankan")
        | ("north", "korean") => (format!("{} {}", cx.w(j), cx.w(j + 1)), j + 2),
        (a, _) => (a.to_string(), j + 1),
    };
    if cx.kind(k) != Some(TK::Word) {
        return None;
    }
    let cur = match cx.w(k) {
        "dollar" | "dollars" => "dollar",
        "franc" | "francs" => "franc",
        "rupee" | "rupees" => "rupee",
        "krone" | "kroner" => "krone",
        "krona" | "kronor" => "krona",
        "peso" | "pesos" => "peso",
        "riyal" | "riyals" | "rial" | "rials" => "riyal",
        "shilling" | "shillings" => "shilling",
        "schilling" | "schillings" => "schilling",
        "dirham" | "dirhams" => "dirham",
        "guilder" | "guilders" => "guilder",
        "mark" | "marks" => "mark",
        "markka" | "markkaa" => "markka",
        "dinar" | "dinars" => "dinar",
        "lira" | "lire" => "lira",
        "pound" | "pounds" => "pound",
        "real" | "reais" => "real",
        "rouble" | "roubles" | "ruble" | "rubles" => "rouble",
        c @ ("yen" | "yuan" | "won" | "rand" | "rupiah" | "baht" | "ringgit" | "naira" | "taka" | "dong"
        | "hryvnia") => c,
        _ => return None,
    };
    let code = match (adj.as_str(), cur) {
        ("us" | "american", "dollar") => "USD",
        ("australian", "dollar") => "AUD",
        ("canadian", "dollar") => "CAD",
        ("hong kong", "dollar") => "HKD",
        ("new zealand", "dollar") => "NZD",
        ("singapore" | "singaporean", "dollar") => "SGD",
        ("taiwan" | "taiwanese", "dollar") => "TWD",
        ("swiss", "franc") => "CHF",
        ("french", "franc") => "FRF",
        ("belgian", "franc") => "BEF",
        ("indian", "rupee") => "INR",
        ("pakistani", "rupee") => "PKR",
        ("sri lankan", "rupee") => "LKR",
        ("nepalese", "rupee") => "NPR",
        ("danish", "krone") => "DKK",
        ("norwegian", "krone") => "NOK",
        ("swedish", "krona") => "SEK",
        ("icelandic", "krona") => "ISK",
        ("mexican", "peso") => "MXN",
        ("argentine" | "argentinian", "peso") => "ARS",
        ("philippine", "peso") => "PHP",
        ("chilean", "peso") => "CLP",
        ("colombian", "peso") => "COP",
        ("saudi", "riyal") => "SAR",
        ("qatari", "riyal") => "QAR",
        ("iranian", "riyal") => "IRR",
        ("iraqi", "dinar") => "IQD",
        ("kuwaiti", "dinar") => "KWD",
        ("jordanian", "dinar") => "JOD",
        ("turkish", "lira") => "TRY",
        ("italian", "lira") => "ITL",
        ("egyptian", "pound") => "EGP",
        ("lebanese", "pound") => "LBP",
        ("irish", "pound") => "IEP",
        ("brazilian", "real") => "BRL",
        ("kenyan", "shilling") => "KES",
        ("ugandan", "shilling") => "UGX",
        ("tanzanian", "shilling") => "TZS",
        ("austrian", "schilling") => "ATS",
        ("moroccan", "dirham") => "MAD",
        ("uae" | "emirati", "dirham") => "AED",
        ("bahraini", "dinar") => "BHD",
        ("libyan", "dinar") => "LYD",
        ("tunisian", "dinar") => "TND",
        ("algerian", "dinar") => "DZD",
        ("serbian", "dinar") => "RSD",
        ("dutch", "guilder") => "NLG",
        ("deutsche" | "german", "mark") => "DEM",
        ("finnish", "markka") => "FIM",
        ("cuban", "peso") => "CUP",
        ("uruguayan", "peso") => "UYU",
        ("dominican", "peso") => "DOP",
        ("omani", "riyal") => "OMR",
        ("yemeni", "riyal") => "YER",
        ("syrian", "pound") => "SYP",
        ("sudanese", "pound") => "SDG",
        ("jamaican", "dollar") => "JMD",
        ("zimbabwe" | "zimbabwean", "dollar") => "ZWD",
        ("fijian" | "fiji", "dollar") => "FJD",
        ("brunei", "dollar") => "BND",
        ("bangladeshi", "taka") => "BDT",
        ("vietnamese", "dong") => "VND",
        ("ukrainian", "hryvnia") => "UAH",
        ("north korean", "won") => "KPW",
        ("south african", "rand") => "ZAR",
        ("japanese", "yen") => "JPY",
        ("chinese", "yuan") => "CNY",
        ("korean" | "south korean", "won") => "KRW",
        ("indonesian", "rupiah") => "IDR",
        ("thai", "baht") => "THB",
        ("malaysian", "ringgit") => "MYR",
        ("nigerian", "naira") => "NGN",
        ("russian", "rouble") => "RUB",
        _ => return None,
    };
    Some((k, code))
}

/// True when token `i` is a currency symbol ("$", "£", "€"…).
pub(super) fn is_currency_symbol_tok(cx: &Ctx, i: usize) -> bool {
    cx.toks.get(i).is_some_and(|t| matches!(t.s, "$" | "£" | "€" | "¥" | "₹" | "₩" | "₽" | "₺"))
}

/// Currency prefix ending at token `i - 1`: returns (first token, ISO code).
pub(super) fn currency_prefix(cx: &Ctx, i: usize) -> Option<(usize, &'static str)> {
    if i == 0 {
        return None;
    }
    let p = i - 1;
    let t = &cx.toks[p];
    let sym = match t.s {
        "$" => "USD",
        "£" => "GBP",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₩" => "KRW",
        "₽" => "RUB",
        "₺" => "TRY",
        _ => {
            if let Some(c) = currency_code(t.s) {
                return Some((p, c));
            }
            if matches!(t.s, "Rs" | "Rs.") {
                return Some((p, "INR"));
            }
            if t.s == "." && p > 0 && cx.toks[p - 1].s == "Rs" {
                return Some((p - 1, "INR"));
            }
            return None;
        }
    };
    if t.s == "$" && p > 0 && cx.toks[p].glued {
        let code = match cx.toks[p - 1].s {
            "US" => Some("USD"),
            "A" | "AU" => Some("AUD"),
            "C" | "CA" => Some("CAD"),
            "HK" => Some("HKD"),
            "NZ" => Some("NZD"),
            "S" => Some("SGD"),
            "R" => Some("BRL"),
            "NT" => Some("TWD"),
            "Z" => Some("ZWD"),
            "J" => Some("JMD"),
            "M" => Some("MXN"),
            _ => None,
        };
        if let Some(c) = code {
            return Some((p - 1, c));
        }
    }
    Some((p, sym))
}
