//! What a number measures: currencies (symbols, ISO codes, currency words,
//! "Australian dollars") and units ("km", "three days", "10km").

use super::tokens::{Ctx, TK};

/// Units glued to digits that news prose uses ("10km", "20kg", "5MW").
pub(super) fn glued_unit(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "km" | "kms" => "km",
        "m" => "m",
        "cm" => "cm",
        "mm" => "mm",
        "mi" => "mi",
        "ft" => "ft",
        "in" => "in",
        "kg" | "kgs" => "kg",
        "g" => "g",
        "lb" | "lbs" => "lb",
        "t" => "t",
        "mph" => "mph",
        "kph" | "kmh" => "km/h",
        "ml" => "ml",
        "l" => "l",
        "bbl" => "bbl",
        "ha" => "ha",
        "MW" | "mw" => "MW",
        "GW" | "gw" => "GW",
        "kW" | "kw" => "kW",
        "kWh" | "kwh" => "kWh",
        "GB" | "gb" => "GB",
        "MB" | "mb" => "MB",
        "TB" | "tb" => "TB",
        "C" => "°C",
        "F" => "°F",
        "mins" | "min" => "minutes",
        "hrs" | "hr" | "h" => "hours",
        "yr" | "yrs" => "years",
        "sec" | "secs" | "s_" => "seconds",
        _ => return None,
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
        "pence" => "GBP",
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
        "reais" => "BRL",
        "naira" => "NGN",
        "ringgit" => "MYR",
        "shekel" | "shekels" => "ILS",
        "zloty" | "zlotys" => "PLN",
        "forint" | "forints" => "HUF",
        _ => return None,
    })
}

/// A currency named with its country ("Australian dollars", "Hong Kong dollars",
/// "Danish kroner") starting at token `j`: (last token, ISO code). Known adjectives
/// with an unknown pairing give `None`, so that "Zimbabwe dollars" is not USD.
pub(super) fn national_currency(cx: &Ctx, j: usize) -> Option<(usize, &'static str)> {
    let (adj, k) = match (cx.w(j), cx.w(j + 1)) {
        ("hong", "kong") | ("new", "zealand") | ("south", "african") | ("south", "korean") | ("sri", "lankan") => {
            (format!("{} {}", cx.w(j), cx.w(j + 1)), j + 2)
        }
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
        "dinar" | "dinars" => "dinar",
        "lira" | "lire" => "lira",
        "pound" | "pounds" => "pound",
        "real" | "reais" => "real",
        "rouble" | "roubles" | "ruble" | "rubles" => "rouble",
        c @ ("yen" | "yuan" | "won" | "rand" | "rupiah" | "baht" | "ringgit" | "naira") => c,
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

/// Unit words after a number, normalised.
pub(super) fn unit_after(w: &str) -> Option<&'static str> {
    Some(match w {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "mile" | "miles" => "mi",
        "metre" | "metres" | "meter" | "meters" => "m",
        "cm" | "centimetre" | "centimetres" | "centimeters" => "cm",
        "mm" | "millimetre" | "millimetres" | "millimeters" => "mm",
        "foot" | "feet" | "ft" => "ft",
        "inch" | "inches" => "in",
        "kg" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogrammes" => "kg",
        "gram" | "grams" | "grammes" => "g",
        "tonne" | "tonnes" | "ton" | "tons" => "t",
        "lb" | "lbs" => "lb",
        "ounce" | "ounces" | "oz" => "oz",
        "barrel" | "barrels" | "bbl" => "bbl",
        "litre" | "litres" | "liter" | "liters" => "l",
        "gallon" | "gallons" => "gal",
        "degree" | "degrees" => "°",
        "hectare" | "hectares" | "ha" => "ha",
        "acre" | "acres" => "acre",
        "mw" | "megawatt" | "megawatts" => "MW",
        "gw" | "gigawatt" | "gigawatts" => "GW",
        "kw" | "kilowatt" | "kilowatts" => "kW",
        "mph" => "mph",
        "second" | "seconds" => "seconds",
        "minute" | "minutes" => "minutes",
        "hour" | "hours" => "hours",
        "day" | "days" => "days",
        "week" | "weeks" => "weeks",
        "month" | "months" => "months",
        "year" | "years" => "years",
        "decade" | "decades" => "decades",
        "century" | "centuries" => "centuries",
        "gb" | "gigabyte" | "gigabytes" => "GB",
        "mb" | "megabyte" | "megabytes" => "MB",
        "tb" | "terabyte" | "terabytes" => "TB",
        _ => return None,
    })
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
            _ => None,
        };
        if let Some(c) = code {
            return Some((p - 1, c));
        }
    }
    Some((p, sym))
}
