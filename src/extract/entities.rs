//! Named-entity mentions: PERSON, ORG, LOC, MISC (CoNLL-2003 types) and DATE.
//!
//! [`RuleRecognizer`] is a rule and dictionary tagger meant to be replaced by a
//! trained model behind the same [`EntityRecognizer`] trait. It works on one
//! sentence at a time:
//!
//! 1. DATE mentions come from [`super::dates::find_dates`]; their tokens are taken.
//! 2. Gazetteers (places, organisations, demonyms and other MISC names, titles),
//!    matched longest-first on token sequences, split the sentence into pieces.
//! 3. Runs of capitalised words between them are classified by evidence: a known
//!    first name, a title before them ("Mr", "President", "ambassador"), a speech
//!    verb after them ("said"), an organisation head word ("Council", "Bank"),
//!    or the same word preceded by a first name or title elsewhere in the text.
//!    Event, award and law head words ("Open", "Cup", "Day", "Act") make MISC.
//! 4. Ordinary words that are capitalised only because they start a sentence
//!    ("The", "Meanwhile", "Referring") are dropped: a sentence-initial word
//!    counts as ordinary when its lower-case form is in the common-word list.
//! 5. What no evidence explains gets the label that measured best on
//!    CoNLL-2003 dev: one word → ORG (LOC after "in"/"at"/"near"/"from"/"to"),
//!    several words → PERSON, or ORG when one of them is an ordinary word.
//!
//! Names fused to ordinary words by a hyphen are tagged alone ("US" in
//! "US-backed", "American" in "anti-American"); all-caps headlines and
//! datelines are looked up title-cased ("LONDON" → LOC).
//!
//! [`canonical_names`] then maps every mention to an article-level name (full
//! person names for surnames, expansions for acronyms, a shipped alias table).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::dates;
use super::segment::{self, Token};

/// The type of an entity mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityLabel {
    /// A person ("Linda Thomas-Greenfield").
    Person,
    /// An organisation ("UN Security Council", "Hamas").
    Org,
    /// A location: country, city, region ("Gaza Strip").
    Loc,
    /// Other names: nationalities ("American"), events, languages, religions.
    Misc,
    /// A date or time expression ("October 7, 2023", "late Sunday").
    Date,
}

impl EntityLabel {
    /// The label as stored in tables: "PERSON", "ORG", "LOC", "MISC" or "DATE".
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
            EntityLabel::Date => "DATE",
        }
    }
}

/// One entity mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte offset of the first byte, into the full text given to the recogniser.
    pub start: usize,
    /// Byte offset one past the last byte (a char boundary).
    pub end: usize,
    /// Entity type.
    pub label: EntityLabel,
    /// Normalised value: ISO 8601 ("2023-10-07", "2023-10", "2023") for DATE
    /// mentions that can be resolved from the text alone, else `None`.
    pub value: Option<String>,
    /// Model confidence in 0..=1; `None` for the rule-based recogniser.
    pub confidence: Option<f32>,
}

/// The label the shipped lists give a name: organisations (`data/orgs.txt`)
/// first, then MISC names and demonyms ("Chelsea" → ORG, "Oscar" → MISC).
/// Used to correct a tagger that takes a club or an award for a person.
pub fn listed_label(name: &str) -> Option<EntityLabel> {
    static LISTED: std::sync::LazyLock<HashMap<&'static str, EntityLabel>> = std::sync::LazyLock::new(|| {
        let mut map = HashMap::new();
        for entry in list_lines(ORGS) {
            map.entry(entry).or_insert(EntityLabel::Org);
        }
        for entry in list_lines(MISC).chain(list_lines(DEMONYMS)) {
            map.entry(entry).or_insert(EntityLabel::Misc);
        }
        map
    });
    LISTED.get(name).copied()
}

/// A sentence of a document with its tokens (byte offsets into the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizedSentence {
    /// Byte range of the sentence.
    pub span: Range<usize>,
    /// Its tokens, in order.
    pub tokens: Vec<Token>,
}

/// Finds entity mentions. Implemented by the rule-based [`RuleRecognizer`] and by
/// the trained tagger in [`super::ner`]; the pipeline only sees this trait.
pub trait EntityRecognizer: Send + Sync {
    /// Mentions in `text[sentence]`, given that sentence's `tokens` (byte offsets
    /// into `text`). The whole `text` is passed so that document-level evidence
    /// may be used; mentions must lie inside `sentence`, in text order, and
    /// must not overlap.
    fn recognize(&self, text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention>;

    /// Mentions in every sentence of one document, one list per sentence. The
    /// default asks [`EntityRecognizer::recognize`] sentence by sentence; a model
    /// that weighs evidence across the document overrides it.
    fn recognize_document(&self, text: &str, sentences: &[TokenizedSentence]) -> Vec<Vec<Mention>> {
        sentences.iter().map(|s| self.recognize(text, s.span.clone(), &s.tokens)).collect()
    }
}

const PLACES: &str = include_str!("data/places.txt");
const PLACES_EXTRA: &str = include_str!("data/places_extra.txt");
const ORGS: &str = include_str!("data/orgs.txt");
const MISC: &str = include_str!("data/misc.txt");
const DEMONYMS: &str = include_str!("data/demonyms.txt");
const FIRST_NAMES: &str = include_str!("data/first_names.txt");
const FIRST_NAMES_EXTRA: &str = include_str!("data/first_names_extra.txt");
const SURNAMES: &str = include_str!("data/surnames.txt");
const COMMON_WORDS: &str = include_str!("data/common_words.txt");
const ALIASES: &str = include_str!("data/aliases.txt");

/// Capitalised titles that precede a person's name and are not part of it.
/// Multi-word titles are matched longest-first like gazetteer entries.
const TITLES: &[&str] = &[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Prof",
    "Prof.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Baroness",
    "Baron",
    "Rev",
    "Rev.",
    "Reverend",
    "Father",
    "Sister",
    "Brother",
    "President",
    "Vice President",
    "Vice-President",
    "Prime Minister",
    "Deputy Prime Minister",
    "Minister",
    "Foreign Minister",
    "Defence Minister",
    "Defense Minister",
    "Interior Minister",
    "Finance Minister",
    "Trade Minister",
    "Health Minister",
    "Chancellor",
    "Secretary",
    "Foreign Secretary",
    "Home Secretary",
    "Defence Secretary",
    "Defense Secretary",
    "Culture Secretary",
    "Health Secretary",
    "Education Secretary",
    "Trade Secretary",
    "Transport Secretary",
    "Work and Pensions Secretary",
    "Environment Secretary",
    "Secretary of State",
    "Secretary-General",
    "Secretary General",
    "General Secretary",
    "UN Secretary-General",
    "UN Secretary General",
    "Senator",
    "Sen.",
    "Sen",
    "Rep.",
    "Congressman",
    "Congresswoman",
    "Governor",
    "Gov.",
    "Mayor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emperor",
    "Pope",
    "Ayatollah",
    "Sheikh",
    "Imam",
    "Rabbi",
    "Bishop",
    "Archbishop",
    "Cardinal",
    "General",
    "Gen.",
    "Gen",
    "Lieutenant",
    "Lt",
    "Lt.",
    "Colonel",
    "Col",
    "Col.",
    "Major",
    "Maj",
    "Maj.",
    "Captain",
    "Capt",
    "Capt.",
    "Sergeant",
    "Sgt",
    "Sgt.",
    "Admiral",
    "Adm",
    "Adm.",
    "Commander",
    "Marshal",
    "Field Marshal",
    "Judge",
    "Justice",
    "Mr Justice",
    "Chief Justice",
    "Attorney General",
    "Attorney-General",
    "Solicitor General",
    "Ambassador",
    "Chairman",
    "Chief Executive",
    "Chief",
    "Director",
    "Professor",
    "Coach",
    "Manager",
    "Commissioner",
    "Speaker",
    "Leader",
    "Chair",
    "MP",
    "MEP",
    "MSP",
    "AM",
    "QC",
    "Detective",
    "Inspector",
    "Detective Inspector",
    "Chief Inspector",
    "Detective Chief Inspector",
    "Superintendent",
    "Chief Superintendent",
    "Constable",
    "Chief Constable",
    "PC",
    "DC",
    "DI",
    "DCI",
    "Supt",
    "Supt.",
    "Insp",
    "Insp.",
    "Saint",
    "St",
    "St.",
    "Crown Prince",
    "Premier",
    "Deputy",
    "Acting",
];

/// Lower-case words directly before a name that mark it as a person
/// ("ambassador Linda Thomas-Greenfield", "striker Wayne Rooney").
const PERSON_CUES_BEFORE: &[&str] = &[
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "chairman",
    "chairwoman",
    "chief",
    "executive",
    "director",
    "leader",
    "coach",
    "manager",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "winger",
    "captain",
    "keeper",
    "forward",
    "singer",
    "actor",
    "actress",
    "star",
    "player",
    "boss",
    "secretary",
    "counterpart",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "father",
    "mother",
    "analyst",
    "economist",
    "author",
    "writer",
    "novelist",
    "producer",
    "chancellor",
    "senator",
    "governor",
    "judge",
    "lawyer",
    "founder",
    "editor",
    "champion",
    "partner",
    "journalist",
    "reporter",
    "correspondent",
    "presenter",
    "comedian",
    "rapper",
    "guitarist",
    "drummer",
    "bassist",
    "frontman",
    "vocalist",
    "dj",
    "designer",
    "director-general",
    "chief executive",
    "boxer",
    "batsman",
    "bowler",
    "spinner",
    "opener",
    "jockey",
    "trainer",
    "rider",
    "driver",
    "golfer",
    "sprinter",
    "athlete",
    "cyclist",
    "swimmer",
    "skipper",
    "veteran",
    "colleague",
    "mp",
    "mep",
    "premier",
    "cardinal",
    "dr",
    "mr",
    "mrs",
    "ms",
    "professor",
    "officer",
    "deputy",
    "aide",
    "adviser",
    "advisor",
    "nominee",
    "candidate",
    "rival",
    "teammate",
    "team-mate",
    "defendant",
    "prosecutor",
    "detective",
    "inspector",
    "commissioner",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "tycoon",
    "billionaire",
    "entrepreneur",
    "investor",
    "ceo",
    "vice-president",
    "host",
    "chef",
    "artist",
    "musician",
    "composer",
    "conductor",
    "filmmaker",
    "film-maker",
    "photographer",
    "poet",
    "playwright",
    "historian",
    "scientist",
    "researcher",
    "student",
    "pupil",
    "teacher",
    "doctor",
    "surgeon",
    "nurse",
    "pilot",
    "soldier",
    "sergeant",
    "lieutenant",
    "colonel",
    "general",
    "commander",
    "victim",
    "suspect",
    "colleagues",
];

/// Words directly after a name that mark it as a person ("Iravani asserted").
const PERSON_CUES_AFTER: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asserted",
    "insisted",
    "argued",
    "explained",
    "wrote",
    "believes",
    "believed",
    "thinks",
    "stressed",
    "warned",
    "claimed",
    "admitted",
    "denied",
    "noted",
    "urged",
    "replied",
    "responded",
    "announced",
    "revealed",
    "confirmed",
    "declared",
    "acknowledged",
    "suggested",
    "recalled",
    "conceded",
    "complained",
    "predicted",
    "vowed",
    "promised",
    "added",
    "tweeted",
    "remarked",
    "commented",
    "continued",
    "concluded",
    "felt",
    "hopes",
    "hoped",
    "wants",
    "wanted",
    "scored",
    "smiled",
    "laughed",
];

/// Last words of organisation names ("Security Council", "Bank of England").
const ORG_HEADS: &[&str] = &[
    "Inc",
    "Inc.",
    "Ltd",
    "Ltd.",
    "plc",
    "PLC",
    "Plc",
    "Corp",
    "Corp.",
    "Corporation",
    "Co",
    "Co.",
    "Company",
    "Companies",
    "Group",
    "Holdings",
    "Bank",
    "Council",
    "Party",
    "University",
    "College",
    "School",
    "Academy",
    "Ministry",
    "Agency",
    "Commission",
    "Committee",
    "Association",
    "Federation",
    "Union",
    "Club",
    "FC",
    "AFC",
    "United",
    "City",
    "Rovers",
    "Wanderers",
    "Athletic",
    "Albion",
    "Court",
    "Department",
    "Office",
    "Institute",
    "Foundation",
    "Airlines",
    "Airways",
    "Motors",
    "Board",
    "Parliament",
    "Assembly",
    "Army",
    "Forces",
    "Force",
    "Navy",
    "Police",
    "Service",
    "Services",
    "Authority",
    "Trust",
    "Society",
    "Organisation",
    "Organization",
    "Alliance",
    "League",
    "Movement",
    "Front",
    "Brigade",
    "Brigades",
    "Guard",
    "Guards",
    "Corps",
    "Network",
    "Networks",
    "Channel",
    "Radio",
    "Television",
    "News",
    "Times",
    "Post",
    "Journal",
    "Herald",
    "Telegraph",
    "Gazette",
    "Tribune",
    "Chronicle",
    "Mirror",
    "Express",
    "Observer",
    "Magazine",
    "Records",
    "Studios",
    "Pictures",
    "Entertainment",
    "Media",
    "Communications",
    "Telecom",
    "Systems",
    "Technologies",
    "Technology",
    "Software",
    "Electronics",
    "Industries",
    "Industry",
    "Enterprises",
    "Partners",
    "Capital",
    "Investments",
    "Securities",
    "Insurance",
    "Energy",
    "Steel",
    "International",
    "Aid",
    "Oil",
    "Petroleum",
    "Gas",
    "Airport",
    "Hospital",
    "Museum",
    "Library",
    "Exchange",
    "Council",
    "Cabinet",
    "Senate",
    "Congress",
    "Tribunal",
    "Secretariat",
    "Executive",
    "Fund",
    "Reserve",
    "Programme",
    "Program",
    "Institution",
    "Centre",
    "Center",
    "Unit",
    "Squad",
    "Team",
    "Band",
    "Orchestra",
    "Theatre",
    "Theater",
    "Church",
    "Mission",
    "Bureau",
    "Administration",
    "Government",
    "Regime",
    "Command",
    "Inquiry",
];

/// Last words of event, award, law and index names ("Hong Kong Open",
/// "Labour Day", "Kyoto Protocol"): such names are MISC.
const MISC_HEADS: &[&str] = &[
    "Open",
    "Cup",
    "Championship",
    "Championships",
    "Games",
    "Tournament",
    "Series",
    "Trophy",
    "Prize",
    "Award",
    "Awards",
    "Festival",
    "Day",
    "War",
    "Marathon",
    "Classic",
    "Masters",
    "Rally",
    "Tour",
    "Prix",
    "Act",
    "Treaty",
    "Agreement",
    "Accord",
    "Accords",
    "Convention",
    "Protocol",
    "Charter",
    "Declaration",
    "Doctrine",
    "Olympics",
    "Paralympics",
    "Index",
];

/// Lower-case words allowed inside a capitalised run when a capitalised word
/// follows ("Bank of England", "Osama bin Laden").
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "&", "de", "del", "della", "di", "da", "du", "la", "le", "van", "von", "der", "den",
    "bin", "ibn", "al", "el", "on", "upon", "y", "dos", "das", "do",
];

/// Connectors that usually join two separate names ("Iraq and Syria"), so a run
/// is split at them unless it is an organisation name.
const SPLITTING_CONNECTORS: &[&str] = &["of", "the", "and", "for", "&", "on", "upon"];

/// Single-word gazetteer entries that are common words at the start of a sentence
/// ("Apple", "Shell"): only taken when not sentence-initial.
const AMBIGUOUS_AT_START: &[&str] = &[
    "Apple",
    "Sky",
    "Orange",
    "Virgin",
    "Shell",
    "Ford",
    "Windows",
    "Ashes",
    "Greens",
    "Spurs",
    "Sun",
    "Fed",
    "Amazon",
    "Meta",
    "Mercedes",
    "Guardian",
    "Economist",
    "Express",
    "Mirror",
    "Commons",
    "Lords",
    "West",
    "Internet",
    "Bible",
    "Total",
    "Congress",
    "Treasury",
    "Universal",
    "Oracle",
    "Time",
    "Virginia",
    "Georgia",
    "Jersey",
];

/// Capitalised words that are never an entity on their own, even mid-sentence
/// (pronouns, determiners, interjections that headlines capitalise).
const NEVER_ALONE: &[&str] = &[
    "I", "A", "An", "The", "This", "That", "These", "Those", "It", "He", "She", "We", "They", "You", "His", "Her",
    "Its", "Our", "Their", "My", "Your", "Mr", "Mrs", "Ms", "Dr", "Sir", "OK", "Ok", "TV", "PM", "AM", "pm", "am",
    "No", "Yes", "Oh", "Of", "In", "On", "At", "For", "And", "But", "Or", "To", "By", "As", "If", "So", "Not", "All",
    "Then", "There", "Here",
];

/// Capitalised abbreviations and words that are not names ("MPs", "DVD").
const NOT_NAMES: &[&str] = &[
    "MP", "MPs", "MEP", "MEPs", "MSP", "MSPs", "AM", "AMs", "PM", "DVD", "DVDs", "CD", "CDs", "TV", "PC", "PCs", "ID",
    "IDs", "GDP", "GNP", "CEO", "CEOs", "CFO", "SMS", "PIN", "VAT", "PR", "IT", "FM", "UFO", "OK", "WMD", "WMDs",
    "PDA", "PDAs", "ISP", "ISPs", "LCD", "HD", "HDTV", "DNA", "HIV", "AIDS", "Aids", "SARS", "Sars", "CCTV", "GPS",
    "USB", "RAM", "CPU", "AK", "QC", "OBE", "MBE", "CBE", "VIP", "VIPs", "PhD", "MBA", "BSc", "MA", "BA", "ASBO",
    "Asbo", "Asbos", "GCSE", "GCSEs", "SUV", "SUVs", "IPO", "NGO", "NGOs", "RPG", "MMR", "TB", "ET", "GMT", "BST",
    "EST", "PST", "UTC", "AD", "BC", "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Plc",
    "PLC", "MW", "GW", "KW", "KM", "MPH", "RFID", "IPTV", "DRM", "MMS", "TVs", "UWB", "HSDPA", "VoIP", "Wi-Fi", "WiFi",
    "P2P", "PVR", "PVRs", "DAB", "GSM", "3G", "MP3", "MP3s", "HTML", "URL", "PhDs", "HQ", "FAQ", "LED", "CGI", "ISA",
    "ISAs",
];

/// Words that extend a following place or nationality ("South Korean").
const DIRECTIONS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Upper",
    "Lower",
    "Greater",
    "North-East",
    "North-West",
    "South-East",
    "South-West",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
];

/// What a gazetteer key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GazKind {
    Entity(EntityLabel),
    Title,
}

/// The rule-based recogniser. Build it once (`RuleRecognizer::default()`) and
/// share it: all lists are compiled into hash sets at construction and lookups
/// allocate nothing per token.
pub struct RuleRecognizer {
    /// Normalised multi-token surface (tokens joined by one space where the text
    /// had white space) → kind.
    gazetteer: HashMap<String, GazKind>,
    /// Every token-boundary prefix of a multi-token gazetteer key, so that a
    /// longest-match scan knows when to stop extending.
    prefixes: HashSet<String>,
    /// Longest gazetteer entry in tokens.
    max_tokens: usize,
    first_names: HashSet<String>,
    surnames: HashSet<String>,
    /// Lower-case ordinary English words.
    common: HashSet<String>,
    cues_before: HashSet<&'static str>,
    cues_after: HashSet<&'static str>,
    org_heads: HashSet<&'static str>,
}

/// Non-comment, non-empty lines of an embedded list.
fn list_lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Appends the gazetteer key of `tokens` to `key`: token texts with curly
/// apostrophes straightened, one space wherever the text had a gap.
fn push_key(key: &mut String, text: &str, tokens: &[Token]) {
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 && t.start > tokens[k - 1].end {
            key.push(' ');
        }
        push_token(key, text.get(t.start..t.end).unwrap_or(""));
    }
}

fn push_token(key: &mut String, word: &str) {
    for c in word.chars() {
        key.push(if c == '’' { '\'' } else { c });
    }
}

impl Default for RuleRecognizer {
    fn default() -> Self {
        let mut gazetteer = HashMap::new();
        let mut prefixes = HashSet::new();
        let mut max_tokens = 1;
        let mut add = |entry: &str, kind: GazKind| {
            let tokens = segment::tokenize(entry, 0..entry.len());
            if tokens.is_empty() {
                return;
            }
            max_tokens = max_tokens.max(tokens.len());
            let mut key = String::new();
            for n in 1..tokens.len() {
                key.clear();
                push_key(&mut key, entry, &tokens[..n]);
                prefixes.insert(key.clone());
            }
            key.clear();
            push_key(&mut key, entry, &tokens);
            // First list wins: organisations over places over MISC.
            gazetteer.entry(key).or_insert(kind);
        };
        for t in TITLES {
            add(t, GazKind::Title);
        }
        for e in list_lines(ORGS) {
            add(e, GazKind::Entity(EntityLabel::Org));
        }
        for e in list_lines(PLACES_EXTRA) {
            add(e, GazKind::Entity(EntityLabel::Loc));
        }
        for e in list_lines(MISC).chain(list_lines(DEMONYMS)) {
            add(e, GazKind::Entity(EntityLabel::Misc));
        }
        for e in list_lines(PLACES) {
            add(e, GazKind::Entity(EntityLabel::Loc));
        }
        let set = |data: &str| list_lines(data).map(str::to_string).collect::<HashSet<_>>();
        let mut first_names = set(FIRST_NAMES);
        first_names.extend(set(FIRST_NAMES_EXTRA));
        RuleRecognizer {
            gazetteer,
            prefixes,
            max_tokens,
            first_names,
            surnames: set(SURNAMES),
            common: set(COMMON_WORDS),
            cues_before: PERSON_CUES_BEFORE.iter().copied().collect(),
            cues_after: PERSON_CUES_AFTER.iter().copied().collect(),
            org_heads: ORG_HEADS.iter().copied().collect(),
        }
    }
}

/// Per-token facts for one sentence.
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Starts with an upper-case letter, or has one after a lower-case prefix
    /// ("al-Qaeda", "eBay"); in an all-caps sentence every word counts.
    cap: bool,
    /// First word of the sentence or of a quotation: capitalised for grammar.
    initial: bool,
    /// Taken by a DATE mention.
    date: bool,
}

/// A piece of a capitalised run.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// Gazetteer entity match over tokens `s..e`.
    Gaz(EntityLabel, usize, usize),
    /// Title over `s..e` ("Prime Minister").
    Title(usize, usize),
    /// One capitalised word.
    Word(usize),
    /// A lower-case connector ("of", "bin").
    Conn(usize),
}

impl Piece {
    fn start(&self) -> usize {
        match *self {
            Piece::Gaz(_, s, _) | Piece::Title(s, _) => s,
            Piece::Word(k) | Piece::Conn(k) => k,
        }
    }
    fn end(&self) -> usize {
        match *self {
            Piece::Gaz(_, _, e) | Piece::Title(_, e) => e,
            Piece::Word(k) | Piece::Conn(k) => k + 1,
        }
    }
}

fn is_word(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn has_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase)
}

fn first_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// A word starting in lower case counts as capitalised when the lower-case
/// part is a name particle or a brand prefix: "al-Qaeda", "bin-Laden", "eBay",
/// "iPod" — but not "mid-September" or "pro-Socialist".
fn lower_prefix_ok(w: &str) -> bool {
    match w.split_once('-') {
        Some((prefix, _)) => {
            matches!(prefix, "al" | "el" | "bin" | "ibn" | "abu" | "de" | "d" | "van" | "von" | "le" | "la")
        }
        None => w.chars().take_while(|c| c.is_lowercase()).count() <= 2,
    }
}

/// "NATO", "UNMIK": all letters upper case, at least two letters.
fn is_acronym(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !s.chars().any(char::is_lowercase)
}

/// "JAPAN" → "Japan", "AL-AIN" → "Al-Ain": lookup form for all-caps headlines.
fn title_case(s: &str, out: &mut String) {
    let mut new_word = true;
    for c in s.chars() {
        if new_word {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        new_word = !c.is_alphanumeric() && c != '\'';
    }
}

impl RuleRecognizer {
    fn is_common(&self, word: &str) -> bool {
        if word.contains('-') {
            // "Twenty-eight", "Well-known": ordinary when every part is.
            return word.split('-').all(|part| !part.is_empty() && self.is_common(part));
        }
        let lower;
        let word = if word.chars().all(|c| c.is_ascii_lowercase()) {
            word
        } else {
            lower = word.to_lowercase();
            lower.as_str()
        };
        // Plurals the word list lacks ("Subs", "Gamers").
        self.common.contains(word)
            || word.len() > 3 && word.strip_suffix('s').is_some_and(|stem| self.common.contains(stem))
    }

    /// A first name that is also an ordinary word ("Will", "Mark") is weak.
    fn first_name(&self, word: &str) -> Option<bool> {
        if self.first_names.contains(word) { Some(!self.is_common(word)) } else { None }
    }

    /// Longest gazetteer match starting at token `i`: (kind, end token).
    fn gaz_match(&self, toks: &[Tok], i: usize, shouting: bool, key: &mut String) -> Option<(GazKind, usize)> {
        let mut best = None;
        // All-caps words ("LONDON" in a dateline) are also looked up title-cased.
        let caps =
            shouting || toks[i].text.chars().filter(|c| c.is_alphabetic()).count() >= 4 && is_acronym(toks[i].text);
        for pass in 0..(1 + 2 * usize::from(caps)) {
            key.clear();
            for e in i..toks.len().min(i + self.max_tokens) {
                if e > i && toks[e].start > toks[e - 1].end {
                    key.push(' ');
                }
                if pass == 0 {
                    push_token(key, toks[e].text);
                } else if pass == 2 && toks[e].text.chars().count() <= 3 && is_acronym(toks[e].text) {
                    // Short all-caps words stay acronyms: "UN", "US".
                    push_token(key, toks[e].text);
                } else {
                    title_case(toks[e].text, key);
                }
                if let Some(kind) = self.gazetteer.get(key.as_str())
                    && best.is_none_or(|(_, b)| e + 1 > b)
                {
                    best = Some((*kind, e + 1));
                }
                if !self.prefixes.contains(key.as_str()) {
                    break;
                }
            }
        }
        best
    }

    /// True when `word` occurs elsewhere in `text` right after a first name or a
    /// title ("Saeid Iravani", "Mr Iravani"): then a lone "Iravani" is a person.
    ///
    /// `relaxed` also accepts any capitalised, unlisted, uncommon word before it
    /// ("Kostas Kenteris"), which is right for rare words but not for ordinary
    /// ones ("Bush", "Brown").
    fn person_elsewhere(&self, text: &str, word: &str, relaxed: bool) -> bool {
        if word.len() < 3 {
            return false;
        }
        for (pos, _) in text.match_indices(word) {
            let after = text[pos + word.len()..].chars().next();
            if after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let before = text[..pos].trim_end_matches([' ', '\t']);
            if before.len() == text[..pos].len() {
                continue; // no space before: part of a longer word
            }
            let prev_start = before
                .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '\''))
                .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
            let prev = &before[prev_start..];
            // "RipGuard. Macrovision": a word ending a sentence is no evidence;
            // an initial ("A. Hollioake") is.
            let initial = prev.len() == 2 && prev.ends_with('.') && prev.starts_with(|c: char| c.is_ascii_uppercase());
            if prev.is_empty() || !initial && !prev.ends_with(char::is_alphanumeric) {
                continue;
            }
            if relaxed
                && first_upper(prev)
                && prev.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !is_acronym(prev)
                && !self.is_common(prev)
                && !self.gazetteer.contains_key(prev)
                && !self.org_head(prev)
                && !dates::is_month_or_weekday(prev)
                && !before[..prev_start].trim_end().ends_with(['.', '!', '?', '"', '“', ':'])
            {
                return true;
            }
            let mid_sentence = !before[..prev_start].trim_end().ends_with(['.', '!', '?', '"', '“', ':']);
            if initial
                || self.first_name(prev) == Some(true)
                || self.first_name(prev).is_some()
                    && mid_sentence
                    && prev_start > 0
                    && !self.gazetteer.contains_key(prev)
                || matches!(self.gazetteer.get(prev), Some(GazKind::Title))
                    && !matches!(
                        prev,
                        "General"
                            | "Secretary"
                            | "Chief"
                            | "Director"
                            | "Leader"
                            | "Chair"
                            | "Deputy"
                            | "Acting"
                            | "Premier"
                            | "Speaker"
                            | "Manager"
                            | "Coach"
                    )
            {
                return true;
            }
        }
        false
    }

    /// Gazetteer names inside a hyphenated word whose other parts are lower case:
    /// "US" in "US-backed", "American" in "anti-American". When every
    /// capitalised part is a known name the word is split ("US-Iran" → LOC, LOC),
    /// except that a nationality makes the whole word MISC ("Israeli-Palestinian").
    /// Empty when any capitalised part is unknown ("Thomas-Greenfield").
    fn hyphen_parts(&self, word: &str, offset: usize) -> Vec<Mention> {
        let mut found = Vec::new();
        let mut pos = 0;
        for part in word.split('-') {
            let start = pos;
            pos += part.len() + 1;
            // "Ex-Labour", "Anti-American": a capitalised prefix is no name.
            let prefix =
                matches!(part, "Ex" | "Anti" | "Pro" | "Non" | "Pan" | "Post" | "Pre" | "Neo" | "Mid" | "Trans");
            if !first_upper(part) || prefix && start == 0 {
                if part.chars().skip(1).any(char::is_uppercase) {
                    return Vec::new();
                }
                continue;
            }
            match self.gazetteer.get(part) {
                Some(GazKind::Entity(label)) => found.push(Mention {
                    start: offset + start,
                    end: offset + start + part.len(),
                    label: *label,
                    value: None,
                    confidence: None,
                }),
                _ => return Vec::new(),
            }
        }
        if found.len() > 1 && found.iter().any(|m| m.label == EntityLabel::Misc) {
            let (start, end) = (found[0].start, found[found.len() - 1].end);
            return vec![Mention { start, end, label: EntityLabel::Misc, value: None, confidence: None }];
        }
        found
    }

    fn org_head(&self, word: &str) -> bool {
        self.org_heads.contains(word)
    }

    /// Classifies the capitalised words `s..e` (no gazetteer hits inside; may hold
    /// non-splitting connectors such as "bin").
    fn classify_words(&self, text: &str, toks: &[Tok], s: usize, e: usize, titled: bool) -> Option<EntityLabel> {
        let words: Vec<&str> = toks[s..e].iter().map(|t| t.text).collect();
        let n_caps = toks[s..e].iter().filter(|t| t.cap).count();
        if n_caps == 0 {
            return None;
        }
        // "Subs Not Used", "If Only": a function word inside is not a name.
        if words.iter().any(|w| NEVER_ALONE.contains(w) && w.len() > 1) && !words.iter().all(|w| is_acronym(w)) {
            return None;
        }
        let first = words[0];
        let last = words[words.len() - 1];
        let single = words.len() == 1;
        if single
            && (NEVER_ALONE.contains(&first)
                || first.chars().count() < 2
                || !first.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '\'' | '&')))
        {
            return None;
        }
        if single
            && (dates::is_month_or_weekday(first)
                || NOT_NAMES.contains(&first)
                || first.chars().any(|c| c.is_ascii_digit()))
        {
            return None;
        }
        // Organisation head word last ("Armed Forces", "Stock Exchange").
        if !single && MISC_HEADS.contains(&last) {
            return Some(EntityLabel::Misc);
        }
        if !single && self.org_head(last) {
            return Some(EntityLabel::Org);
        }
        let prev = if s > 0 { toks[s - 1].text } else { "" };
        let next = toks.get(e).map_or("", |t| t.text);
        let all_common = words.iter().all(|w| self.is_common(w));
        if titled && (!all_common || !single) {
            return Some(EntityLabel::Person);
        }
        let cue_before = self.cues_before.contains(prev) || self.cues_before.contains(prev.to_lowercase().as_str());
        let cue_after = self.cues_after.contains(next);
        match self.first_name(first) {
            Some(true) if !single => return Some(EntityLabel::Person),
            Some(false) if !single && !toks[s].initial && !self.is_common(words[1]) => {
                return Some(EntityLabel::Person);
            }
            _ => {}
        }
        if single && self.first_name(first) == Some(true) && !is_acronym(first) {
            return Some(EntityLabel::Person);
        }
        if !single
            && words.len() <= 3
            && self.surnames.contains(last)
            && (!self.is_common(first) || self.first_names.contains(first))
        {
            return Some(EntityLabel::Person);
        }
        if single && all_common {
            // "Bush said" mid-text only with evidence elsewhere ("George Bush").
            if self.person_elsewhere(text, first, false) {
                return Some(EntityLabel::Person);
            }
            return None;
        }
        if toks[s].initial && single && self.is_common(first) {
            return None;
        }
        if (cue_before || cue_after && !single) && words.len() <= 3 && !is_acronym(first) {
            return Some(EntityLabel::Person);
        }
        if single && !is_acronym(first) && self.person_elsewhere(text, first, true) {
            return Some(EntityLabel::Person);
        }
        if is_acronym(first) && single {
            return Some(EntityLabel::Org);
        }
        // Defaults measured on CoNLL-2003 dev: an unexplained single capitalised
        // word is more often an organisation (team, company, agency) than anything
        // else; several unexplained words are usually a foreign person's name,
        // unless one of them is an ordinary word ("Red Star", "World Series").
        if single {
            if self.surnames.contains(first) {
                return Some(EntityLabel::Person);
            }
            // "in Camberley", "near Arbil": a lone unknown name after a place
            // preposition is usually a place.
            if s > 0 && matches!(toks[s - 1].text, "in" | "at" | "near" | "from" | "to") {
                return Some(EntityLabel::Loc);
            }
            return Some(EntityLabel::Org);
        }
        if s > 0 && matches!(toks[s - 1].text, "in" | "near") {
            return Some(EntityLabel::Loc);
        }
        if toks[s..e].iter().any(|t| t.cap && self.is_common(t.text)) {
            return Some(EntityLabel::Org);
        }
        Some(EntityLabel::Person)
    }
}

impl EntityRecognizer for RuleRecognizer {
    fn recognize(&self, text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention> {
        let sentence = sentence.start.min(text.len())..sentence.end.min(text.len());
        let tokens = dates::usable_tokens(text, &sentence, tokens);
        let mut out = dates::find_dates(text, sentence.clone(), &tokens);

        // Headlines in capitals: compare words case-insensitively.
        let alpha: Vec<&str> =
            tokens.iter().map(|t| &text[t.start..t.end]).filter(|w| w.chars().any(char::is_alphabetic)).collect();
        let upper = alpha.iter().filter(|w| !w.chars().any(char::is_lowercase)).count();
        let long_caps = alpha.iter().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4 && is_acronym(w));
        let shouting = (alpha.len() >= 3 || long_caps) && upper * 10 >= alpha.len() * 8;

        let mut toks: Vec<Tok> = Vec::with_capacity(tokens.len());
        let mut hyphen_mentions = Vec::new();
        let mut initial_next = true;
        for t in &tokens {
            let w = &text[t.start..t.end];
            let word = is_word(w);
            let cap = word
                && (first_upper(w)
                    || shouting && w.chars().any(char::is_alphabetic)
                    || has_upper(w) && lower_prefix_ok(w));
            let date = out.iter().any(|m| m.start <= t.start && t.end <= m.end);
            // "US-backed", "anti-American": a name fused with an ordinary word by
            // a hyphen is tagged alone and does not join a capitalised run.
            let cap = if !date && w.contains('-') && !self.gazetteer.contains_key(w) {
                let parts = self.hyphen_parts(w, t.start);
                let split = !parts.is_empty();
                hyphen_mentions.extend(parts);
                cap && !split
            } else {
                cap
            };
            toks.push(Tok { text: w, start: t.start, end: t.end, cap, initial: initial_next && word, date });
            if word {
                initial_next = false;
            } else if matches!(w, "\"" | "“" | "‘" | ":" | "(" | "-" | "—" | "–" | "." | "!" | "?" | ";" | "'" | "…")
            {
                // A quotation, heading or list item starts with a capital too.
                initial_next = true;
            }
            if shouting {
                // Every word of an all-caps line is capitalised: none is evidence.
                if let Some(t) = toks.last_mut() {
                    t.initial |= word;
                }
            }
        }

        // Split into pieces.
        let n = toks.len();
        let mut key = String::new();
        let mut pieces: Vec<Option<Piece>> = Vec::with_capacity(n);
        let mut i = 0;
        while i < n {
            if toks[i].date {
                pieces.push(None);
                i += 1;
                continue;
            }
            if toks[i].cap || is_word(toks[i].text) && has_upper(toks[i].text) {
                if let Some((kind, e)) = self.gaz_match(&toks, i, shouting, &mut key)
                    && !toks[i..e].iter().any(|t| t.date)
                {
                    let ambiguous = e == i + 1 && toks[i].initial && AMBIGUOUS_AT_START.contains(&toks[i].text);
                    if !ambiguous {
                        pieces.push(Some(match kind {
                            GazKind::Entity(label) => Piece::Gaz(label, i, e),
                            GazKind::Title => Piece::Title(i, e),
                        }));
                        i = e;
                        continue;
                    }
                }
                if toks[i].cap {
                    pieces.push(Some(Piece::Word(i)));
                    i += 1;
                    continue;
                }
            }
            // The period of an initial inside a name: "George W. Bush".
            let initial_period = toks[i].text == "."
                && i > 0
                && toks[i - 1].end == toks[i].start
                && toks[i - 1].text.chars().count() == 1
                && toks[i - 1].cap
                && matches!(pieces.last(), Some(Some(Piece::Word(_))))
                && toks.get(i + 1).is_some_and(|t| t.cap && !t.date);
            if initial_period {
                pieces.push(Some(Piece::Conn(i)));
                i += 1;
                continue;
            }
            let connector =
                CONNECTORS.contains(&toks[i].text) && i > 0 && pieces.last().is_some_and(|p| p.is_some()) && {
                    // "van der Westhuizen": up to three connectors before a name.
                    let next = toks[i + 1..].iter().take(3).find(|t| !CONNECTORS.contains(&t.text));
                    next.is_some_and(|t| t.cap && !t.date)
                };
            pieces.push(if connector { Some(Piece::Conn(i)) } else { None });
            i += 1;
        }

        // Runs of consecutive pieces.
        let mut run: Vec<Piece> = Vec::new();
        for p in pieces.into_iter().chain(std::iter::once(None)) {
            match p {
                Some(p) => run.push(p),
                None => {
                    if !run.is_empty() {
                        self.process_run(text, &toks, &run, &mut out);
                        run.clear();
                    }
                }
            }
        }
        out.extend(hyphen_mentions);
        out.sort_by_key(|m| (m.start, m.end));
        // Guarantee no overlaps (first wins).
        let mut kept: Vec<Mention> = Vec::with_capacity(out.len());
        for m in out {
            if kept.last().is_none_or(|k| k.end <= m.start) {
                kept.push(m);
            }
        }
        kept
    }
}

impl RuleRecognizer {
    fn push(&self, toks: &[Tok], s: usize, e: usize, label: EntityLabel, out: &mut Vec<Mention>) {
        if s < e && e <= toks.len() {
            out.push(Mention { start: toks[s].start, end: toks[e - 1].end, label, value: None, confidence: None });
        }
    }

    /// Classifies one run of pieces and appends its mentions.
    fn process_run(&self, text: &str, toks: &[Tok], run: &[Piece], out: &mut Vec<Mention>) {
        // Trim connectors at the edges.
        let mut a = 0;
        let mut b = run.len();
        while a < b && matches!(run[a], Piece::Conn(_)) {
            a += 1;
        }
        while b > a && matches!(run[b - 1], Piece::Conn(_)) {
            b -= 1;
        }
        let run = self.merge_pieces(toks, &run[a..b]);
        let run = &run[..];
        if run.is_empty() {
            return;
        }
        // Whole run ending in an organisation head word after a gazetteer name:
        // "British Museum", "Oxford University", "New York Stock Exchange",
        // "University of Cambridge".
        if let Some((a, s, e, label)) = self.head_span(toks, run) {
            if a > 0 {
                self.process_run(text, toks, &run[..a], out);
            }
            self.push(toks, s, e, label, out);
            return;
        }
        let mut titled = false;
        let mut k = 0;
        while k < run.len() {
            match run[k] {
                Piece::Title(s, e) => {
                    // A title on its own is not an entity, but a one-word
                    // "President" etc. at sentence start still marks a person.
                    let _ = (s, e);
                    titled = true;
                    k += 1;
                }
                Piece::Conn(_) => {
                    k += 1;
                }
                Piece::Gaz(label, s, e) => {
                    // "Jordan Henderson", "Paris Hilton": a place that is also a
                    // first name, followed by an unknown capitalised word.
                    if e == s + 1
                        && label == EntityLabel::Loc
                        && self.first_names.contains(toks[s].text)
                        && let Some(Piece::Word(w)) = run.get(k + 1)
                        && !self.is_common(toks[*w].text)
                        && !matches!(run.get(k + 2), Some(Piece::Word(_)))
                    {
                        self.push(toks, s, w + 1, EntityLabel::Person, out);
                        k += 2;
                        titled = false;
                        continue;
                    }
                    let name_like = label == EntityLabel::Loc
                        && e == s + 1
                        && (self.first_names.contains(toks[s].text) || self.surnames.contains(toks[s].text));
                    if name_like && (titled || self.person_elsewhere(text, toks[s].text, false)) {
                        // "President Jordan", or "Washington" in an article that
                        // also says "Denzel Washington": a person.
                        self.push(toks, s, e, EntityLabel::Person, out);
                    } else {
                        self.push(toks, s, e, label, out);
                    }
                    titled = false;
                    k += 1;
                }
                Piece::Word(_) => {
                    // Maximal stretch of words and non-splitting connectors.
                    let mut j = k;
                    while j < run.len() {
                        match run[j] {
                            Piece::Word(_) => j += 1,
                            Piece::Conn(c) if !SPLITTING_CONNECTORS.contains(&toks[c].text) => j += 1,
                            _ => break,
                        }
                    }
                    let (mut s, e) = (run[k].start(), run[j - 1].end());
                    // Drop ordinary words capitalised only for starting a sentence
                    // ("Meanwhile", "The"), and weak leading words before names.
                    while s < e {
                        let t = &toks[s];
                        let w = t.text;
                        let drop = NEVER_ALONE.contains(&w) && (e - s > 1 || t.initial)
                            || t.initial
                                && self.is_common(w)
                                && self.first_name(w) != Some(true)
                                && !(titled
                                    || e - s > 1 && self.first_name(w).is_some() && !self.is_common(toks[s + 1].text))
                                && !(e - s == 1 && self.person_elsewhere(text, w, false))
                            || dates::is_month_or_weekday(w);
                        if drop && !titled {
                            s += 1;
                            // The next word is now the first word of the phrase.
                        } else {
                            break;
                        }
                    }
                    // A trailing non-splitting connector cannot end a name.
                    let mut e2 = e;
                    while e2 > s && !toks[e2 - 1].cap {
                        e2 -= 1;
                    }
                    if s < e2
                        && let Some(label) = self.classify_words(text, toks, s, e2, titled)
                    {
                        self.push(toks, s, e2, label, out);
                    }
                    titled = false;
                    k = j;
                }
            }
        }
    }

    /// Joins gazetteer pieces with the words around them that extend them:
    /// "South" + "Korean" → MISC "South Korean", "Central" + "Jakarta" → LOC,
    /// "Indonesian" + "Democratic Party" → ORG.
    fn merge_pieces(&self, toks: &[Tok], run: &[Piece]) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::with_capacity(run.len());
        for &p in run {
            let merged = match (out.last().copied(), p) {
                (Some(Piece::Word(k)), Piece::Gaz(label @ (EntityLabel::Loc | EntityLabel::Misc), _, e))
                    if DIRECTIONS.contains(&toks[k].text) =>
                {
                    Some(Piece::Gaz(label, k, e))
                }
                (Some(Piece::Gaz(EntityLabel::Loc | EntityLabel::Misc, s, _)), Piece::Gaz(EntityLabel::Org, os, e))
                    if e > os + 1 && self.org_head(toks[e - 1].text) =>
                {
                    Some(Piece::Gaz(EntityLabel::Org, s, e))
                }
                _ => None,
            };
            match merged {
                Some(m) => {
                    out.pop();
                    out.push(m);
                }
                None => out.push(p),
            }
        }
        out
    }

    /// Token span and label of a run that forms one organisation or event name
    /// through a head word.
    fn head_span(&self, toks: &[Tok], run: &[Piece]) -> Option<(usize, usize, usize, EntityLabel)> {
        // Skip leading words that are only capitalised for starting the sentence.
        let skip = run
            .iter()
            .take_while(|p| match p {
                Piece::Word(k) => {
                    let w = toks[*k].text;
                    NEVER_ALONE.contains(&w) || toks[*k].initial && self.is_common(w) && !self.org_head(w)
                }
                _ => false,
            })
            .count();
        if run.len() < skip + 2 {
            return None;
        }
        // Only the part after the last "and"/"the" before the head word joins
        // the name: "Hong Kong Open and the European Court of Human Rights".
        let segment_start = |h: usize| {
            (skip..h)
                .rev()
                .find(|&j| matches!(run[j], Piece::Conn(c) if matches!(toks[c].text, "and" | "&" | "the")))
                .map_or(skip, |j| j + 1)
        };
        let plain = |seg: &[Piece]| {
            seg.len() >= 2
                && matches!(seg[0], Piece::Word(_) | Piece::Gaz(..))
                && !seg.iter().any(|p| matches!(p, Piece::Title(..)))
        };
        let h = run.len() - 1;
        if let Piece::Word(k) = run[h] {
            let a = segment_start(h);
            let seg = &run[a..];
            // "Hong Kong Open", "Fed Cup", "Labour Day": an event head word last.
            if plain(seg) && MISC_HEADS.contains(&toks[k].text) {
                return Some((a, seg[0].start(), k + 1, EntityLabel::Misc));
            }
            // "British Museum": an organisation head word after a gazetteer name.
            if plain(seg) && self.org_head(toks[k].text) && seg.iter().any(|p| matches!(p, Piece::Gaz(..))) {
                return Some((a, seg[0].start(), k + 1, EntityLabel::Org));
            }
        }
        // "University of Cambridge", "European Court of Human Rights",
        // "European Convention on Human Rights": a head word, then "of"/"on"/"for".
        for h in skip..run.len().saturating_sub(2) {
            let Piece::Word(k) = run[h] else { continue };
            let joined = matches!(run[h + 1], Piece::Conn(c) if matches!(toks[c].text, "of" | "on" | "for"));
            let label = if self.org_head(toks[k].text) {
                EntityLabel::Org
            } else if MISC_HEADS.contains(&toks[k].text) {
                EntityLabel::Misc
            } else {
                continue;
            };
            let a = segment_start(h);
            if joined && plain(&run[a..]) {
                return Some((a, run[a].start(), run[run.len() - 1].end(), label));
            }
        }
        None
    }
}

/// Normalises a surface form: collapses white space and straightens curly
/// apostrophes, so "Iran’s  UN" and "Iran's UN" compare equal.
fn normalise(surface: &str) -> String {
    let mut out = String::with_capacity(surface.len());
    for word in surface.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        push_token(&mut out, word);
    }
    out
}

/// The alias table, parsed once.
fn aliases() -> &'static HashMap<String, String> {
    static ALIAS: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    ALIAS.get_or_init(|| {
        list_lines(ALIASES)
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
            .collect()
    })
}

/// Acronyms defined in the text as "Expansion (ACR)", e.g. "United Nations (UN)":
/// the acronym's letters must be the initials of the capitalised words before
/// the bracket (ignoring "of", "the", "and", "for").
fn acronym_definitions(text: &str) -> HashMap<String, String> {
    let mut defs = HashMap::new();
    for (open, _) in text.match_indices('(') {
        let Some(close_rel) = text[open + 1..].find(')') else { continue };
        let acr = text[open + 1..open + 1 + close_rel].trim();
        let letters: Vec<char> = acr.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() < 2 || letters.len() > 8 || !acr.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '&') {
            continue;
        }
        if !letters.iter().all(|c| c.is_uppercase()) {
            continue;
        }
        // Walk back over words before the bracket, matching initials from the end.
        let before = text[..open].trim_end();
        let words: Vec<&str> = before.split_whitespace().rev().take(letters.len() * 2 + 2).collect();
        let mut li = letters.len();
        let mut used = 0;
        for w in &words {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.is_empty() {
                break;
            }
            if matches!(w, "of" | "the" | "and" | "for" | "on" | "&") && li < letters.len() {
                used += 1;
                continue;
            }
            let Some(c) = w.chars().next() else { break };
            if li > 0
                && c.to_uppercase().eq(std::iter::once(letters[li - 1]).flat_map(char::to_uppercase))
                && c.is_uppercase()
            {
                li -= 1;
                used += 1;
                if li == 0 {
                    break;
                }
            } else {
                break;
            }
        }
        if li == 0 {
            let expansion: Vec<&str> = words[..used].iter().rev().copied().collect();
            let expansion = normalise(&expansion.join(" "));
            let expansion = expansion.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            defs.entry(acr.to_string()).or_insert(expansion);
        }
    }
    defs
}

/// Article-level canonical names, one per mention in the same order.
///
/// * DATE: the ISO value when resolved, else the normalised surface.
/// * PERSON: a mention whose words are the last words of exactly one longer
///   PERSON mention in the article (before or after it) maps to that full name:
///   "Iravani" → "Amir Saeid Iravani"; failing that, a lone first name maps to
///   the full name it starts ("Paula" → "Paula Radcliffe"). With several
///   candidates the nearest preceding one wins; with none it stays as written.
/// * Acronyms defined in the text ("United Nations (UN)") map to the expansion,
///   then the alias table (`data/aliases.txt`) maps short forms ("US", "U.S.",
///   "Britain") to one name.
/// * Otherwise the mention with white space collapsed and curly apostrophes
///   straightened. A leading "the" is never part of a mention, so none is
///   stripped here ("The Hague" keeps its article).
pub fn canonical_names(text: &str, mentions: &[Mention]) -> Vec<String> {
    let surface: Vec<String> = mentions.iter().map(|m| normalise(text.get(m.start..m.end).unwrap_or(""))).collect();
    let acronyms = acronym_definitions(text);
    let alias = aliases();
    // Full person names, with the index of each mention.
    let full: Vec<(usize, Vec<&str>)> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.label == EntityLabel::Person)
        .map(|(i, _)| (i, surface[i].split(' ').collect::<Vec<_>>()))
        .filter(|(_, w)| w.len() >= 2)
        .collect();
    mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let name = &surface[i];
            match m.label {
                EntityLabel::Date => return m.value.clone().unwrap_or_else(|| name.clone()),
                EntityLabel::Person => {
                    let words: Vec<&str> = name.split(' ').collect();
                    let mut candidates: Vec<(usize, &Vec<&str>)> = full
                        .iter()
                        .filter(|(_, f)| f.len() > words.len() && f.ends_with(&words))
                        .map(|(j, f)| (*j, f))
                        .collect();
                    if candidates.is_empty() && words.len() == 1 {
                        // A first name alone ("Paula" after "Paula Radcliffe").
                        candidates = full.iter().filter(|(_, f)| f[0] == words[0]).map(|(j, f)| (*j, f)).collect();
                    }
                    if candidates.is_empty() {
                        return name.clone();
                    }
                    candidates.sort_by_key(|(j, _)| *j);
                    let distinct: HashSet<String> = candidates.iter().map(|(_, f)| f.join(" ")).collect();
                    if distinct.len() == 1 {
                        return candidates[0].1.join(" ");
                    }
                    // Ambiguous surname: the nearest full name before it.
                    return candidates
                        .iter()
                        .rev()
                        .find(|(j, _)| *j < i)
                        .map_or_else(|| name.clone(), |(_, f)| f.join(" "));
                }
                _ => {}
            }
            let expanded = acronyms.get(name).cloned().unwrap_or_else(|| name.clone());
            alias.get(&expanded).cloned().unwrap_or(expanded)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::segment::{paragraphs, sentences, tokenize};
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_def429b1c4d7175a.txt");

    /// (surface, label, value, canonical) for every mention of `text`.
    fn run(text: &str) -> Vec<(String, &'static str, Option<String>, String)> {
        let rec = RuleRecognizer::default();
        let mut mentions = Vec::new();
        for p in paragraphs(text) {
            for s in sentences(text, p.span.clone()) {
                let tokens = tokenize(text, s.span.clone());
                mentions.extend(rec.recognize(text, s.span.clone(), &tokens));
            }
        }
        let names = canonical_names(text, &mentions);
        mentions
            .iter()
            .zip(names)
            .map(|(m, c)| (text[m.start..m.end].to_string(), m.label.as_str(), m.value.clone(), c))
            .collect()
    }

    fn canonical_names_of(out: &[(String, &str, Option<String>, String)], surface: &str) -> Vec<String> {
        out.iter().filter(|(s, _, _, _)| s == surface).map(|(_, _, _, c)| c.clone()).collect()
    }

    fn has(out: &[(String, &str, Option<String>, String)], surface: &str, label: &str) -> bool {
        out.iter().any(|(s, l, _, _)| s == surface && *l == label)
    }

    #[test]
    fn seed_article() {
        let out = run(SEED);
        for (s, l) in [
            ("Amir Saeid Iravani", "PERSON"),
            ("Linda Thomas-Greenfield", "PERSON"),
            ("Iran", "LOC"),
            ("Iraq", "LOC"),
            ("Syria", "LOC"),
            ("Jordan", "LOC"),
            ("Gaza Strip", "LOC"),
            ("UN Security Council", "ORG"),
            ("American", "MISC"),
            ("United Nations", "ORG"),
            ("United States", "LOC"),
            ("Islamic Republic of Iran", "LOC"),
            ("Washington", "LOC"),
            ("Daesh", "ORG"),
            ("Takfiri", "MISC"),
        ] {
            assert!(has(&out, s, l), "missing {l} {s:?} in {out:#?}");
        }
        let iravani: Vec<_> = out.iter().filter(|(s, l, _, _)| s == "Iravani" && *l == "PERSON").collect();
        assert!(iravani.len() >= 2, "{out:#?}");
        assert!(iravani.iter().all(|(_, _, _, c)| c == "Amir Saeid Iravani"));
        let date = out.iter().find(|(s, _, _, _)| s == "October 7, 2023").expect("date");
        assert_eq!((date.1, date.2.as_deref()), ("DATE", Some("2023-10-07")));
        let us: Vec<_> = out.iter().filter(|(s, _, _, _)| s == "US").collect();
        assert!(!us.is_empty() && us.iter().all(|(_, l, _, c)| *l == "LOC" && c == "United States"));
        assert!(!has(&out, "Monday", "PERSON"));
        assert!(!has(&out, "The", "ORG"));
        assert!(has(&out, "Monday", "DATE"));
        assert!(has(&out, "late Sunday", "DATE"));
        let rec = RuleRecognizer::default();
        for (s, l, _, _) in &out {
            if *l != "DATE" {
                // A capitalised ordinary word is only an entity when a list names it.
                assert!(!rec.is_common(s) || rec.gazetteer.contains_key(s.as_str()), "stop word entity {l} {s:?}");
            }
        }
    }

    #[test]
    fn canonical_names_map_partial_and_acronyms() {
        let text =
            "The United Nations (UN) met. Thomas-Greenfield spoke. Linda Thomas-Greenfield left the UN and Britain.";
        let out = run(text);
        let get = |s: &str| out.iter().find(|(x, _, _, _)| x == s).map(|(_, _, _, c)| c.clone());
        assert_eq!(get("Thomas-Greenfield").as_deref(), Some("Linda Thomas-Greenfield"));
        assert_eq!(get("UN").as_deref(), Some("United Nations"));
        assert_eq!(get("Britain").as_deref(), Some("United Kingdom"));
    }

    #[test]
    fn possessive_is_not_part_of_mention() {
        let out = run("Iran's ambassador met Mr Smith’s aide in Iran’s capital.");
        assert!(has(&out, "Iran", "LOC"));
        assert!(has(&out, "Smith", "PERSON"));
        assert!(out.iter().all(|(s, _, _, _)| !s.contains('\'') && !s.contains('’')));
    }

    #[test]
    fn sentence_initial_words_are_not_entities() {
        for text in [
            "The talks failed.",
            "Meanwhile, prices rose.",
            "So far, so good.",
            "Over the past years, nothing.",
            "Referring to it, he left.",
        ] {
            let out = run(text);
            assert!(out.is_empty(), "{text}: {out:?}");
        }
    }

    #[test]
    fn people_titles_and_orgs() {
        let out = run(
            "Prime Minister Tony Blair told the House of Commons that Mr Brown and the Bank of England agreed with Microsoft Corp.",
        );
        assert!(has(&out, "Tony Blair", "PERSON"), "{out:?}");
        assert!(has(&out, "Brown", "PERSON"), "{out:?}");
        assert!(has(&out, "House of Commons", "ORG"), "{out:?}");
        assert!(has(&out, "Bank of England", "ORG"), "{out:?}");
        assert!(has(&out, "Microsoft Corp", "ORG") || has(&out, "Microsoft Corp.", "ORG"), "{out:?}");
    }

    #[test]
    fn fused_words_datelines_events_and_irish_names() {
        let out = run("The US-backed plan drew anti-American protests.");
        assert!(has(&out, "US", "LOC") && has(&out, "American", "MISC"), "{out:?}");
        let out = run("The Israeli-Palestinian talks and US-Iran ties.");
        assert!(has(&out, "Israeli-Palestinian", "MISC") && has(&out, "Iran", "LOC"), "{out:?}");
        let out = run("LONDON 1996-08-30");
        assert!(has(&out, "LONDON", "LOC"), "{out:?}");
        let out = run("She won the Hong Kong Open and the European Court of Human Rights ruled.");
        assert!(has(&out, "Hong Kong Open", "MISC"), "{out:?}");
        assert!(has(&out, "European Court of Human Rights", "ORG"), "{out:?}");
        let out = run("President George W. Bush spoke. Bush left.");
        assert!(has(&out, "George W. Bush", "PERSON"), "{out:?}");
        assert_eq!(canonical_names_of(&out, "Bush"), vec!["George W. Bush"]);
        let out = run("Brian O'Driscoll scored. O'Driscoll's try won it.");
        assert!(has(&out, "Brian O'Driscoll", "PERSON") && has(&out, "O'Driscoll", "PERSON"), "{out:?}");
    }

    #[test]
    fn first_name_alone_maps_to_full_name() {
        let out = run("Paula Radcliffe ran well. Later Paula said she was happy.");
        let paula = out.iter().find(|(s, _, _, _)| s == "Paula").expect("Paula");
        assert_eq!((paula.1, paula.3.as_str()), ("PERSON", "Paula Radcliffe"));
    }

    #[test]
    fn never_panics_and_offsets_are_boundaries() {
        let rec = RuleRecognizer::default();
        for text in
            ["", " ", "É", "“Ünïcödé” Straße’s Zürich (ZÜ) 2004", "A", "'s", "Mr", "Oct. 7", "(((", "United States of"]
        {
            let tokens = tokenize(text, 0..text.len());
            for m in rec.recognize(text, 0..text.len(), &tokens) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end);
            }
            // Out-of-range sentence and stray tokens are tolerated.
            let _ = rec.recognize(text, 0..text.len() + 5, &[Token { start: 0, end: 99 }]);
            // Overlapping, reversed and out-of-order tokens are dropped, not trusted.
            let odd = [Token { start: 2, end: 4 }, Token { start: 0, end: 3 }, Token { start: 3, end: 1 }];
            for m in rec.recognize(text, 0..text.len(), &odd) {
                assert!(m.start < m.end && text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
            let _ = canonical_names(
                text,
                &[Mention { start: 0, end: 99, label: EntityLabel::Org, value: None, confidence: None }],
            );
        }
    }
}
