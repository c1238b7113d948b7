//! The unit lexicon: every way news prose writes a unit of measure after a
//! number ("km", "kilometres", "sq mi", "°C", "degrees Fahrenheit", "kWh",
//! "mph"), each with its canonical name ("kilometre", "square mile", "degree
//! Celsius"). Canonical names are singular, British-spelled SI or customary names,
//! as quantulum3 and most unit libraries write them.
//!
//! Word forms match case-insensitively; symbols ("MW", "L", "C") match as written,
//! because "MW" is a megawatt and "mw" is not. Square and cubic forms of length
//! units ("sq km", "km2", "km^2", "square kilometres", "km squared") are generated,
//! as are `X per Y` rates by the figure layer (`rate_after`). [`unit_at`] reads
//! the longest unit written at a token.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::tokens::{Ctx, TK, is_hyphen};

/// One unit: canonical name, word forms (lower case; plurals and spellings),
/// symbols (case-sensitive).
type UnitDef = (&'static str, &'static [&'static str], &'static [&'static str]);

/// Length units, which also make the square and cubic units.
const LENGTHS: &[UnitDef] = &[
    ("kilometre", &["kilometre", "kilometres", "kilometer", "kilometers", "km", "kms"], &["Km", "KM"]),
    ("metre", &["metre", "metres", "meter", "meters"], &["m"]),
    ("centimetre", &["centimetre", "centimetres", "centimeter", "centimeters", "cm"], &[]),
    ("millimetre", &["millimetre", "millimetres", "millimeter", "millimeters", "mm"], &[]),
    ("micrometre", &["micrometre", "micrometres", "micrometer", "micrometers", "micron", "microns"], &["µm", "μm"]),
    ("nanometre", &["nanometre", "nanometres", "nanometer", "nanometers"], &["nm"]),
    ("mile", &["mile", "miles", "mi"], &[]),
    ("nautical mile", &["nautical mile", "nautical miles", "nmi"], &[]),
    ("yard", &["yard", "yards", "yd", "yds"], &[]),
    ("foot", &["foot", "feet", "ft"], &[]),
    ("inch", &["inch", "inches"], &[]),
    ("light year", &["light year", "light years", "light-year", "light-years"], &[]),
];

/// All other units.
const UNITS: &[UnitDef] = &[
    // area
    ("hectare", &["hectare", "hectares", "ha"], &[]),
    ("acre", &["acre", "acres"], &[]),
    // volume
    ("litre", &["litre", "litres", "liter", "liters", "ltr"], &["l", "L"]),
    ("millilitre", &["millilitre", "millilitres", "milliliter", "milliliters", "ml"], &["mL"]),
    ("centilitre", &["centilitre", "centilitres", "centiliter", "centiliters", "cl"], &[]),
    ("gallon", &["gallon", "gallons", "gal"], &[]),
    ("barrel", &["barrel", "barrels", "bbl", "bbls"], &[]),
    ("cubic foot", &["cubic foot", "cubic feet", "cu ft"], &[]),
    ("pint", &["pint", "pints"], &[]),
    ("cup", &["cup", "cups"], &[]),
    ("tablespoon", &["tablespoon", "tablespoons", "tbsp"], &[]),
    ("teaspoon", &["teaspoon", "teaspoons", "tsp"], &[]),
    ("fluid ounce", &["fluid ounce", "fluid ounces", "fl oz"], &[]),
    // mass
    ("kilogram", &["kilogram", "kilograms", "kilogramme", "kilogrammes", "kg", "kgs", "kilo", "kilos"], &["Kg", "KG"]),
    ("gram", &["gram", "grams", "gramme", "grammes"], &["g", "gm"]),
    ("milligram", &["milligram", "milligrams", "milligramme", "milligrammes"], &["mg"]),
    ("microgram", &["microgram", "micrograms", "mcg", "µg"], &[]),
    ("tonne", &["tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes"], &["t"]),
    ("ton", &["ton", "tons"], &[]),
    ("pound", &["pound", "pounds", "lb", "lbs"], &[]),
    ("ounce", &["ounce", "ounces", "oz"], &[]),
    ("stone", &["stone"], &[]),
    ("carat", &["carat", "carats"], &[]),
    // speed
    ("kilometre per hour", &["km/h", "kmh", "kph", "km/hr", "kmph", "kilometres an hour", "kilometers an hour"], &[]),
    ("mile per hour", &["mph", "miles an hour", "mi/h"], &["MPH"]),
    ("metre per second", &["m/s", "metres a second", "meters a second"], &[]),
    ("knot", &["knot", "knots", "kts"], &[]),
    ("mile per gallon", &["mpg", "miles a gallon"], &[]),
    // temperature
    (
        "degree Celsius",
        &["degree celsius", "degrees celsius", "degree centigrade", "degrees centigrade", "celsius", "centigrade"],
        &["°C", "ºC", "° C", "degrees C", "degree C", "C", "℃"],
    ),
    (
        "degree Fahrenheit",
        &["degree fahrenheit", "degrees fahrenheit", "fahrenheit"],
        &["°F", "ºF", "° F", "degrees F", "degree F", "F", "℉"],
    ),
    ("kelvin", &["kelvin", "kelvins", "degrees kelvin"], &["°K"]),
    ("degree", &["degree", "degrees", "°", "º"], &[]),
    // energy and power
    ("joule", &["joule", "joules"], &["J"]),
    ("kilojoule", &["kilojoule", "kilojoules"], &["kJ"]),
    ("megajoule", &["megajoule", "megajoules"], &["MJ"]),
    ("calorie", &["calorie", "calories", "cal"], &[]),
    ("kilocalorie", &["kilocalorie", "kilocalories", "kcal"], &[]),
    (
        "british thermal unit",
        &["british thermal unit", "british thermal units", "btu", "btus"],
        &["BTU", "Btu", "BTUs"],
    ),
    ("watt hour", &["watt hour", "watt hours", "watt-hour", "watt-hours"], &["Wh"]),
    (
        "kilowatt hour",
        &["kilowatt hour", "kilowatt hours", "kilowatt-hour", "kilowatt-hours", "kwh"],
        &["kWh", "KWh", "KWH"],
    ),
    ("megawatt hour", &["megawatt hour", "megawatt hours", "megawatt-hour", "megawatt-hours", "mwh"], &["MWh", "MWH"]),
    ("gigawatt hour", &["gigawatt hour", "gigawatt hours", "gigawatt-hour", "gigawatt-hours", "gwh"], &["GWh", "GWH"]),
    ("terawatt hour", &["terawatt hour", "terawatt hours", "terawatt-hour", "terawatt-hours", "twh"], &["TWh", "TWH"]),
    ("watt", &["watt", "watts"], &["W"]),
    ("kilowatt", &["kilowatt", "kilowatts", "kw"], &["kW", "KW"]),
    ("megawatt", &["megawatt", "megawatts", "mw"], &["MW"]),
    ("gigawatt", &["gigawatt", "gigawatts", "gw"], &["GW"]),
    ("terawatt", &["terawatt", "terawatts"], &["TW"]),
    ("horsepower", &["horsepower", "hp", "bhp"], &["HP", "BHP"]),
    ("volt", &["volt", "volts"], &["V"]),
    ("kilovolt", &["kilovolt", "kilovolts", "kv"], &["kV", "KV"]),
    ("milliampere hour", &[], &["mAh"]),
    ("electronvolt", &["electronvolt", "electronvolts", "electron volt", "electron volts"], &["eV"]),
    ("kiloelectronvolt", &["kiloelectronvolt", "kiloelectronvolts"], &["keV"]),
    ("megaelectronvolt", &["megaelectronvolt", "megaelectronvolts"], &["MeV"]),
    ("gigaelectronvolt", &["gigaelectronvolt", "gigaelectronvolts"], &["GeV"]),
    ("teraelectronvolt", &["teraelectronvolt", "teraelectronvolts"], &["TeV"]),
    ("megaton", &["megaton", "megatons", "megatonne", "megatonnes"], &["Mt"]),
    ("kiloton", &["kiloton", "kilotons", "kilotonne", "kilotonnes"], &["kt"]),
    ("decibel", &["decibel", "decibels"], &["dB"]),
    // frequency
    ("hertz", &["hertz"], &["Hz"]),
    ("kilohertz", &["kilohertz"], &["kHz", "KHz"]),
    ("megahertz", &["megahertz"], &["MHz", "Mhz"]),
    ("gigahertz", &["gigahertz"], &["GHz", "Ghz"]),
    // data
    ("bit", &["bit", "bits"], &[]),
    ("byte", &["byte", "bytes"], &[]),
    ("kilobit", &["kilobit", "kilobits"], &["kb", "Kb"]),
    ("kilobyte", &["kilobyte", "kilobytes"], &["KB", "kB"]),
    ("megabit", &["megabit", "megabits"], &["Mb", "Mbit"]),
    ("megabyte", &["megabyte", "megabytes"], &["MB", "mb", "MByte"]),
    ("gigabit", &["gigabit", "gigabits"], &["Gb", "Gbit"]),
    ("gigabyte", &["gigabyte", "gigabytes"], &["GB", "gb"]),
    ("terabyte", &["terabyte", "terabytes"], &["TB", "tb"]),
    ("petabyte", &["petabyte", "petabytes"], &["PB"]),
    ("exabyte", &["exabyte", "exabytes"], &["EB"]),
    ("kilobit per second", &["kbps", "kbit/s"], &["Kbps", "kb/s"]),
    ("megabit per second", &["mbps", "mbit/s"], &["Mbps", "Mb/s", "Mbit/s"]),
    ("gigabit per second", &["gbps", "gbit/s"], &["Gbps", "Gb/s", "Gbit/s"]),
    // time
    ("millisecond", &["millisecond", "milliseconds", "msec"], &["ms"]),
    ("microsecond", &["microsecond", "microseconds"], &["µs", "μs"]),
    ("nanosecond", &["nanosecond", "nanoseconds"], &["ns"]),
    ("second", &["second", "seconds", "sec", "secs"], &[]),
    ("minute", &["minute", "minutes", "min", "mins"], &[]),
    ("hour", &["hour", "hours", "hr", "hrs"], &[]),
    ("day", &["day", "days"], &[]),
    ("week", &["week", "weeks", "wk", "wks"], &[]),
    ("month", &["month", "months"], &[]),
    ("year", &["year", "years", "yr", "yrs"], &[]),
    ("decade", &["decade", "decades"], &[]),
    ("century", &["century", "centuries"], &[]),
    ("millennium", &["millennium", "millennia"], &[]),
    // rates news writes as one word
    ("barrel per day", &["bpd", "b/d", "barrels a day", "barrels per day"], &[]),
    ("ton per day", &["tpd"], &[]),
    ("parts per million", &["ppm", "parts per million"], &[]),
    ("parts per billion", &["ppb", "parts per billion"], &[]),
];

/// Units that stand for a time span; these also follow "a"/"an" in a rate
/// ("$500 a week", "four times a day").
pub(super) fn is_time_unit(canonical: &str) -> bool {
    matches!(canonical, "second" | "minute" | "hour" | "day" | "week" | "month" | "year" | "decade" | "century")
}

/// Word forms (lower case) and symbols (exact) → canonical name.
struct Lexicon {
    words: HashMap<String, &'static str>,
    symbols: HashMap<String, &'static str>,
    /// Longest key, in tokens, so that matching stops early.
    longest: usize,
    /// The first token of every key, lower case: most words after a number
    /// start no unit, and this answers that without building a string.
    first_tokens: HashSet<String>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(build);

/// Canonical names of square and cubic lengths, leaked once at start-up (a few
/// dozen short strings) so that every lookup returns `&'static str`.
fn power_name(prefix: &str, canonical: &str) -> &'static str {
    Box::leak(format!("{prefix} {canonical}").into_boxed_str())
}

fn build() -> Lexicon {
    let mut words = HashMap::new();
    let mut symbols = HashMap::new();
    for &(canonical, forms, syms) in LENGTHS.iter().chain(UNITS) {
        for f in forms {
            words.insert((*f).to_string(), canonical);
        }
        for s in syms {
            symbols.insert((*s).to_string(), canonical);
        }
    }
    for &(canonical, forms, _) in LENGTHS {
        let square = power_name("square", canonical);
        let cubic = power_name("cubic", canonical);
        for f in forms {
            for (name, pre, post) in [
                (square, &["square ", "sq ", "sq. "][..], &["2", "^2", "²", " squared", " sq"][..]),
                (cubic, &["cubic ", "cu "][..], &["3", "^3", "³", " cubed"][..]),
            ] {
                for p in pre {
                    words.insert(format!("{p}{f}"), name);
                }
                for p in post {
                    words.insert(format!("{f}{p}"), name);
                }
            }
        }
    }
    // "square-foot", "kilowatt-hour": a space in a word form may be a hyphen
    let hyphenated: Vec<(String, &'static str)> =
        words.iter().filter(|(k, _)| k.contains(' ')).map(|(k, v)| (k.replace(' ', "-"), *v)).collect();
    words.extend(hyphenated);
    let longest = words.keys().chain(symbols.keys()).map(|k| k.split(' ').count() + 2).max().unwrap_or(1);
    let first_tokens = words.keys().chain(symbols.keys()).map(|k| first_token(k).to_lowercase()).collect();
    Lexicon { words, symbols, longest, first_tokens }
}

/// The first token of `key` as the figures tokenizer cuts it: a run of letters
/// and digits, or one other character.
fn first_token(key: &str) -> &str {
    let end = key.find(|c: char| !c.is_alphanumeric()).unwrap_or(key.len());
    if end > 0 { &key[..end] } else { key.chars().next().map_or("", |c| &key[..c.len_utf8()]) }
}

/// The canonical unit written as `written` (tokens joined as in the text: no
/// space where they are glued, one space where they are not), if any.
pub(super) fn lookup(written: &str) -> Option<&'static str> {
    let lex = &*LEXICON;
    if let Some(c) = lex.symbols.get(written) {
        return Some(c);
    }
    if !written.chars().any(char::is_uppercase) {
        return lex.words.get(written).copied();
    }
    // Capitalised or title-case words ("Kilometres", "Degrees Celsius") are words;
    // short all-capital or mixed-case forms are symbols or something else
    // ("MM", "Ms", "EV", "MG"), matched above or not at all.
    let letters = written.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = written.chars().filter(|c| c.is_uppercase()).count();
    if letters > 3 && capitals < letters {
        return lex.words.get(&written.to_lowercase()).copied();
    }
    None
}

/// Whether `written` is a unit symbol, matched as written ("Wh", "MW", "°C").
pub(super) fn is_symbol(written: &str) -> bool {
    LEXICON.symbols.contains_key(written)
}

/// Whether a unit may start with the token whose lower-case text is `lower`.
pub(super) fn may_start(lower: &str) -> bool {
    LEXICON.first_tokens.contains(lower)
}

/// How many tokens the longest unit in the lexicon spans (an upper bound).
pub(super) fn longest_in_tokens() -> usize {
    LEXICON.longest
}

/// The unit written from token `k` on: (canonical name, token after it). The
/// longest form in the lexicon wins ("km" < "km/h", "degrees" < "degrees
/// Celsius", "sq" + "mi").
pub(super) fn unit_at(cx: &Ctx, k: usize) -> Option<(&'static str, usize)> {
    let toks = cx.toks;
    let first = toks.get(k)?;
    if !(matches!(first.kind, TK::Word | TK::Mixed) || matches!(first.s, "°" | "º" | "℃" | "℉"))
        || !may_start(&first.lw)
    {
        return None;
    }
    let mut written = String::new();
    let mut best = None;
    let last = (k + longest_in_tokens()).min(toks.len());
    for (e, t) in toks.iter().enumerate().take(last).skip(k) {
        let joins = matches!(t.kind, TK::Word | TK::Mixed)
            || matches!(t.s, "/" | "^" | "°" | "º" | "²" | "³" | ".")
            || (is_hyphen(t.s) && t.glued && e > k);
        if !joins || (e > k && t.kind == TK::Num && !t.glued) {
            break;
        }
        if e > k && !t.glued {
            written.push(' ');
        }
        written.push_str(t.s);
        if let Some(u) = lookup(&written) {
            best = Some((u, e + 1));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_symbols_and_powers() {
        assert_eq!(lookup("km"), Some("kilometre"));
        assert_eq!(lookup("Kilometres"), Some("kilometre"));
        assert_eq!(lookup("sq mi"), Some("square mile"));
        assert_eq!(lookup("km2"), Some("square kilometre"));
        assert_eq!(lookup("km^3"), Some("cubic kilometre"));
        assert_eq!(lookup("square kilometers"), Some("square kilometre"));
        assert_eq!(lookup("°C"), Some("degree Celsius"));
        assert_eq!(lookup("degrees Fahrenheit"), Some("degree Fahrenheit"));
        assert_eq!(lookup("MW"), Some("megawatt"));
        assert_eq!(lookup("kWh"), Some("kilowatt hour"));
        assert_eq!(lookup("MB"), Some("megabyte"));
        assert_eq!(lookup("Mb"), Some("megabit"));
        assert_eq!(lookup("civilians"), None);
        assert_eq!(lookup("square-foot"), Some("square foot"));
        for first in ["km", "sq", "°", "degrees", "km2", "b", "british", "mw"] {
            assert!(may_start(first), "{first}");
        }
        assert!(!may_start("civilians"));
    }
}
