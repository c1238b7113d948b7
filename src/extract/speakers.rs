//! Who said it, as an entity of the article: each quote's speaker span
//! ("Iravani", "he", "Iran's UN ambassador") resolved to an index into the
//! article's entity mentions, so the `quotes` table can give the canonical
//! name. Pure text → indexes; no I/O.
//!
//! A speaker is read in three ways, tried in order:
//!
//! 1. **Named**: an entity mention covers the head of the speaker's noun
//!    phrase — its last word before a preposition, per comma-separated part
//!    ("Iravani, Iran's UN ambassador": `Iravani`; "the Islamic Republic of
//!    Iran": `Iran`, the mention spans the "of"). A mention that is only a
//!    modifier ("Iran" and "UN" in "Iran's UN ambassador") is not the speaker:
//!    the head there is "ambassador", a description. Several named parts: a
//!    PERSON before an ORG before anything else, the last one on a tie.
//! 2. **Pronoun**: "he"/"she" is the nearest PERSON mentioned before the
//!    attribution, "it"/"they" the nearest ORG. Gender is not checked: the
//!    first-name lists docsql ships carry none.
//! 3. **Description**: a definite noun phrase whose head is a person noun
//!    ("the ambassador", "Iran's UN ambassador", "the spokeswoman") is the
//!    nearest PERSON before the attribution who carries that title next to a
//!    mention ("UN ambassador Amir Saeid Iravani", "Iravani, the
//!    ambassador"), else the nearest PERSON — but for roles news often leaves
//!    unnamed ("the prime minister's spokesman") only one with the title. An institution ("the ministry",
//!    "the council") is the nearest ORG whose name holds that word ("Foreign
//!    Ministry"); a generic one ("the company", "the group") the nearest ORG.
//!    A document ("the statement", "the report") is its possessor when that is
//!    named ("Smith's letter"), else nobody: who wrote it is rarely the ORG
//!    last mentioned (the seed's statement is by "Iran's permanent mission to
//!    the UN", the last ORG before it is the UN).
//!
//! Indefinite ("a spokesman", "one official") and plural ("officials")
//! speakers are nobody in particular, and stay unresolved. Mentions inside
//! what was said (any quote's content) are never antecedents: a person named
//! in a quotation is its topic, not who speaks next.

use std::ops::Range;

use super::analyze::EntityInfo;
use super::mention::EntityLabel;
use super::quotes::Quote;
use super::segment::{Token, tokenize};

/// Pronouns that stand for a person.
const PERSON_PRONOUNS: &[&str] = &["he", "she", "him", "her"];

/// Pronouns that stand for an organisation.
const ORG_PRONOUNS: &[&str] = &["it", "they", "them"];

/// Heads of descriptions of one person: titles, roles and relations news uses
/// for someone it has named ("the ambassador added").
const PERSON_NOUNS: &[&str] = &[
    "actor",
    "actress",
    "adviser",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "attorney",
    "author",
    "bishop",
    "boss",
    "candidate",
    "captain",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "coach",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "counterpart",
    "democrat",
    "deputy",
    "diplomat",
    "director",
    "economist",
    "envoy",
    "executive",
    "founder",
    "general",
    "governor",
    "head",
    "judge",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "manager",
    "mayor",
    "minister",
    "mp",
    "negotiator",
    "officer",
    "official",
    "pm",
    "premier",
    "president",
    "prince",
    "professor",
    "prosecutor",
    "queen",
    "representative",
    "republican",
    "researcher",
    "scientist",
    "secretary",
    "senator",
    "singer",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "star",
    "striker",
    "writer",
];

/// Heads of descriptions of an institution that names itself with that word:
/// "the ministry" is the nearest ORG called "... Ministry".
const INSTITUTION_NOUNS: &[&str] = &[
    "agency",
    "army",
    "assembly",
    "authority",
    "board",
    "commission",
    "committee",
    "council",
    "court",
    "department",
    "government",
    "ministry",
    "mission",
    "office",
    "parliament",
    "party",
    "police",
    "union",
];

/// Heads of descriptions of an organisation whose name rarely says so ("the
/// company said" of Vodafone): the nearest ORG.
const GENERIC_ORG_NOUNS: &[&str] =
    &["airline", "bank", "broadcaster", "carrier", "club", "company", "firm", "group", "insurer", "retailer"];

/// Documents: they speak for their author, who is resolved only when named as
/// their possessor.
const DOCUMENT_NOUNS: &[&str] = &[
    "communique",
    "document",
    "filing",
    "letter",
    "memo",
    "release",
    "report",
    "ruling",
    "statement",
    "study",
    "survey",
];

/// Roles news often leaves unnamed ("the prime minister's official
/// spokesman"): they resolve only to a person who carries the title, never
/// to whoever was named last.
const TITLE_ONLY_NOUNS: &[&str] = &["adviser", "advisor", "aide", "spokesman", "spokesperson", "spokeswoman"];

/// Conjunctions a speaker span may start with ("but he said"): not part of it.
const LEADING: &[&str] = &["and", "but", "or", "so", "yet"];

/// Words that make a noun phrase indefinite: a new referent, not one named before.
const INDEFINITE: &[&str] = &["a", "an", "another", "any", "one", "several", "some"];

/// Words after which a noun phrase's head has been passed ("the spokesman
/// *for* the ministry", "Smith *on* Monday", "a woman *who* …").
const HEAD_STOPS: &[&str] =
    &["about", "at", "by", "for", "from", "in", "of", "on", "over", "that", "to", "under", "which", "who", "with"];

/// Words that end a speaker span without being its head ("Smith *also* said",
/// "the minister *has* said").
const TRAILERS: &[&str] = &[
    "again",
    "already",
    "also",
    "could",
    "did",
    "does",
    "earlier",
    "had",
    "has",
    "have",
    "is",
    "later",
    "may",
    "might",
    "never",
    "not",
    "once",
    "previously",
    "should",
    "still",
    "then",
    "was",
    "will",
    "would",
];

/// The entity each quote's speaker stands for (an index into `entities`), in
/// the order of `quotes`; `None` when the quote has no speaker or the speaker
/// cannot be resolved. `text` is the article body the byte ranges of `quotes`
/// and `entities` point into; `entities` are in text order.
pub fn resolve_speakers(text: &str, quotes: &[Quote], entities: &[EntityInfo]) -> Vec<Option<usize>> {
    let said: Vec<Range<usize>> = quotes.iter().flat_map(|q| q.parts.iter().cloned()).collect();
    let resolver = Resolver { text, entities, said };
    quotes.iter().map(|quote| resolver.resolve(quote)).collect()
}

/// What a speaker span refers to, before looking back through the article.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reference {
    /// An entity mention is the speaker: its index.
    Named(usize),
    /// A pronoun standing for an entity of this label.
    Pronoun(EntityLabel),
    /// A definite description of a person, by its head noun (lowercase).
    Person(String),
    /// A definite description of an institution, by its head noun.
    Institution(String),
    /// A generic description of an organisation ("the company").
    GenericOrg,
    /// A document, with its named possessor if any.
    Document(Option<usize>),
    /// Nothing to resolve.
    Nobody,
}

/// One article's text, entities, and the spans that are what was said.
struct Resolver<'a> {
    text: &'a str,
    entities: &'a [EntityInfo],
    said: Vec<Range<usize>>,
}

impl Resolver<'_> {
    fn resolve(&self, quote: &Quote) -> Option<usize> {
        let speaker = quote.speaker.clone()?;
        // Antecedents come before the whole attribution: the content may come first.
        let before = quote.content.start.min(quote.cue.start).min(speaker.start);
        match self.reference(speaker) {
            Reference::Named(index) => Some(index),
            Reference::Document(possessor) => possessor,
            Reference::Pronoun(label) => self.antecedents(before, label).next(),
            Reference::Person(title) => {
                let titled = self.antecedents(before, EntityLabel::Person).find(|&i| self.titled(i, &title));
                let unnamed_role = TITLE_ONLY_NOUNS.contains(&title.as_str());
                titled.or_else(|| self.antecedents(before, EntityLabel::Person).find(|_| !unnamed_role))
            }
            Reference::Institution(noun) => self.antecedents(before, EntityLabel::Org).find(|&i| {
                let entity = &self.entities[i];
                let mention = &self.text[entity.mention.start..entity.mention.end];
                has_word(mention, &noun) || has_word(&entity.name, &noun)
            }),
            Reference::GenericOrg => self.antecedents(before, EntityLabel::Org).next(),
            Reference::Nobody => None,
        }
    }

    /// Mentions of `label` ending before `before`, nearest first, leaving out
    /// those inside what someone said.
    fn antecedents(&self, before: usize, label: EntityLabel) -> impl Iterator<Item = usize> + '_ {
        self.entities.iter().enumerate().rev().filter_map(move |(index, entity)| {
            let mention = &entity.mention;
            let quoted = self.said.iter().any(|s| s.start <= mention.start && mention.end <= s.end);
            (mention.end <= before && mention.label == label && !quoted).then_some(index)
        })
    }

    /// Whether mention `index` carries `title` beside it: among the few words
    /// before it in its sentence ("UN ambassador Amir Saeid Iravani"), or in an
    /// apposition right after it ("Iravani, Iran's ambassador to the UN,").
    /// Another person's name ends the search: in "Senator Mary Lee met Bob
    /// Hart" the title is hers.
    fn titled(&self, index: usize, title: &str) -> bool {
        let mention = &self.entities[index].mention;
        let from = floor_boundary(self.text, mention.start.saturating_sub(80));
        let to = ceil_boundary(self.text, (mention.end + 80).min(self.text.len()));
        let stop = |t: &Token| {
            t.text(self.text) == "."
                || self.entities.iter().any(|e| {
                    e.mention.label == EntityLabel::Person && e.mention.start <= t.start && t.end <= e.mention.end
                })
        };
        let is_title = |t: &Token| t.text(self.text).eq_ignore_ascii_case(title);
        let before = tokenize(self.text, from..mention.start);
        let near_before = before.iter().rev().take(6).take_while(|t| !stop(t)).any(is_title);
        let after = tokenize(self.text, mention.end..to);
        let apposition = after.first().is_some_and(|t| t.text(self.text) == ",")
            && after[1..].iter().take(6).take_while(|t| !stop(t) && t.text(self.text) != ",").any(is_title);
        near_before || apposition
    }

    /// What the speaker span says, read from its words and the mentions in it.
    fn reference(&self, span: Range<usize>) -> Reference {
        let tokens = tokenize(self.text, span);
        let leading =
            tokens.iter().take_while(|t| LEADING.contains(&t.text(self.text).to_lowercase().as_str())).count();
        let tokens = &tokens[leading..];
        let parts: Vec<&[Token]> =
            tokens.split(|t| matches!(t.text(self.text), "," | ";" | "(" | ")" | "—" | "–")).collect();
        let heads: Vec<(&[Token], usize)> =
            parts.iter().filter_map(|part| self.head(part).map(|head| (*part, head))).collect();
        // Named: a mention covering a part's head, PERSON first, the last on a tie.
        let named = heads
            .iter()
            .filter_map(|(part, head)| self.mention_covering(&part[*head]))
            .min_by_key(|&index| (label_rank(self.entities[index].mention.label), std::cmp::Reverse(index)));
        if let Some(index) = named {
            return Reference::Named(index);
        }
        for (part, head) in heads {
            let noun = part[head].text(self.text).to_lowercase();
            let first = part[0].text(self.text).to_lowercase();
            // A pronoun alone, or with adverbs after it ("he also").
            if head == 0 && PERSON_PRONOUNS.contains(&noun.as_str()) {
                return Reference::Pronoun(EntityLabel::Person);
            }
            if head == 0 && ORG_PRONOUNS.contains(&noun.as_str()) {
                return Reference::Pronoun(EntityLabel::Org);
            }
            if INDEFINITE.contains(&first.as_str()) {
                return Reference::Nobody;
            }
            if PERSON_NOUNS.contains(&noun.as_str()) {
                return Reference::Person(noun);
            }
            if INSTITUTION_NOUNS.contains(&noun.as_str()) {
                return Reference::Institution(noun);
            }
            if GENERIC_ORG_NOUNS.contains(&noun.as_str()) {
                return Reference::GenericOrg;
            }
            if DOCUMENT_NOUNS.contains(&noun.as_str()) {
                return Reference::Document(self.possessor(&part[..head]));
            }
        }
        Reference::Nobody
    }

    /// The index in `part` of its head: the last word before a preposition or
    /// relative pronoun outside a mention, trailing adverbs and auxiliaries
    /// left out.
    fn head(&self, part: &[Token]) -> Option<usize> {
        let inside_mention =
            |t: &Token| self.entities.iter().any(|e| e.mention.start < t.start && t.end <= e.mention.end);
        let cut = part
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, t)| HEAD_STOPS.contains(&t.text(self.text)) && !inside_mention(t))
            .map_or(part.len(), |(i, _)| i);
        part[..cut].iter().rposition(|t| {
            let word = t.text(self.text);
            is_word(word)
                && !TRAILERS.contains(&word)
                && !(word.ends_with("ly") && word.starts_with(char::is_lowercase))
        })
    }

    /// The entity mention (not a date) covering `token`.
    fn mention_covering(&self, token: &Token) -> Option<usize> {
        self.entities.iter().position(|e| {
            e.mention.label != EntityLabel::Date && e.mention.start <= token.start && token.end <= e.mention.end
        })
    }

    /// The named possessor among `tokens` ("Thomas-Greenfield" in
    /// "Thomas-Greenfield's letter"): a mention followed by a possessive 's.
    fn possessor(&self, tokens: &[Token]) -> Option<usize> {
        tokens.windows(2).rev().find_map(|pair| {
            let clitic = pair[1].text(self.text);
            let possessive = matches!(clitic, "'s" | "’s" | "'" | "’");
            possessive.then(|| self.mention_covering(&pair[0])).flatten()
        })
    }
}

/// PERSON before ORG before the rest, as the speaker of a named part.
fn label_rank(label: EntityLabel) -> u8 {
    match label {
        EntityLabel::Person => 0,
        EntityLabel::Org => 1,
        _ => 2,
    }
}

/// A token that is a word (not punctuation or a clitic).
fn is_word(token: &str) -> bool {
    token.starts_with(char::is_alphanumeric)
}

/// Whether `text` holds `word` as a whole word, ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word))
}

/// The char boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The char boundary at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::mention::Mention;
    use crate::extract::quotes::QuoteKind;

    /// The byte range of the `nth` occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str, nth: usize) -> Range<usize> {
        let start = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth}")).0;
        start..start + needle.len()
    }

    /// An entity mention of `label`: the `nth` `mention` in `text`, named `name`.
    fn entity(text: &str, label: EntityLabel, mention: &str, nth: usize, name: &str) -> EntityInfo {
        let span = find(text, mention, nth);
        EntityInfo {
            paragraph: 0,
            sentence: 0,
            mention: Mention { start: span.start, end: span.end, label, value: None, confidence: None },
            name: name.to_string(),
        }
    }

    /// The first occurrence of `needle` in `text` as whole words.
    fn find_words(text: &str, needle: &str) -> Range<usize> {
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let (start, _) = text
            .match_indices(needle)
            .find(|(i, _)| !alnum(text[..*i].chars().next_back()) && !alnum(text[i + needle.len()..].chars().next()))
            .unwrap_or_else(|| panic!("{needle:?}"));
        start..start + needle.len()
    }

    /// A quote of `text`: its content, and the words "speaker cue" that
    /// attribute it (`speaker` their first words, or none: then they are the cue).
    fn quote(text: &str, content: &str, attribution: &str, speaker: Option<&str>) -> Quote {
        let content = find_words(text, content);
        let at = find_words(text, attribution);
        let speaker_len = speaker.map_or(0, |s| s.len() + 1);
        Quote {
            kind: QuoteKind::Indirect,
            parts: vec![content.clone()],
            content,
            cue: at.start + speaker_len..at.end,
            speaker: speaker.map(|s| at.start..at.start + s.len()),
        }
    }

    /// The names the speakers of `quotes` resolve to.
    fn names(text: &str, quotes: &[Quote], entities: &[EntityInfo]) -> Vec<Option<String>> {
        resolve_speakers(text, quotes, entities).into_iter().map(|i| i.map(|i| entities[i].name.clone())).collect()
    }

    #[test]
    fn a_named_speaker_is_the_mention_at_the_head() {
        let text = "Amir Saeid Iravani, Iran's ambassador, said the claims were false.";
        let entities = [
            entity(text, EntityLabel::Person, "Amir Saeid Iravani", 0, "Amir Saeid Iravani"),
            entity(text, EntityLabel::Loc, "Iran", 0, "Iran"),
        ];
        let q = quote(
            text,
            "the claims were false",
            "Amir Saeid Iravani, Iran's ambassador, said",
            Some("Amir Saeid Iravani, Iran's ambassador"),
        );
        assert_eq!(names(text, &[q], &entities), [Some("Amir Saeid Iravani".into())]);

        // A mention spanning a preposition is still the head: "Bank of England".
        let text = "Rates will stay on hold, the Bank of England said.";
        let entities = [entity(text, EntityLabel::Org, "Bank of England", 0, "Bank of England")];
        let q = quote(text, "Rates will stay on hold", "the Bank of England said", Some("the Bank of England"));
        assert_eq!(names(text, &[q], &entities), [Some("Bank of England".into())]);

        // "Smith on Monday": the date is after the head.
        let text = "Smith on Monday said the deal was done.";
        let entities = [
            entity(text, EntityLabel::Person, "Smith", 0, "John Smith"),
            entity(text, EntityLabel::Date, "Monday", 0, "Monday"),
        ];
        let q = quote(text, "the deal was done", "Smith on Monday said", Some("Smith on Monday"));
        assert_eq!(names(text, &[q], &entities), [Some("John Smith".into())]);
    }

    #[test]
    fn a_modifier_mention_is_not_the_speaker() {
        // "Iran" and "UN" modify "ambassador": the speaker is the person
        // described, here the only one named before.
        let text = "Amir Saeid Iravani wrote to the council. The strikes must stop, Iran's UN ambassador added.";
        let entities = [
            entity(text, EntityLabel::Person, "Amir Saeid Iravani", 0, "Amir Saeid Iravani"),
            entity(text, EntityLabel::Loc, "Iran", 0, "Iran"),
            entity(text, EntityLabel::Org, "UN", 0, "United Nations"),
        ];
        let q = quote(text, "The strikes must stop", "Iran's UN ambassador added", Some("Iran's UN ambassador"));
        assert_eq!(names(text, std::slice::from_ref(&q), &entities), [Some("Amir Saeid Iravani".into())]);
        // With nobody named before, the description stays unresolved: not Iran, not the UN.
        assert_eq!(names(text, &[q], &entities[1..]), [None]);
    }

    #[test]
    fn pronouns_are_the_nearest_person_or_org_before() {
        let text = "Acme hired Jane Doe in May. Sales will double, she said. Profits will too, it said. \
                    Costs will fall. But she also said.";
        let entities = [
            entity(text, EntityLabel::Org, "Acme", 0, "Acme Corp"),
            entity(text, EntityLabel::Person, "Jane Doe", 0, "Jane Doe"),
        ];
        let quotes = [
            quote(text, "Sales will double", "she said", Some("she")),
            quote(text, "Profits will too", "it said", Some("it")),
            quote(text, "Costs will fall", "But she also said", Some("But she also")),
        ];
        assert_eq!(
            names(text, &quotes, &entities),
            [Some("Jane Doe".into()), Some("Acme Corp".into()), Some("Jane Doe".into())]
        );
        // Nobody before: nothing.
        assert_eq!(names(text, &quotes, &entities[..0]), [None, None, None]);
    }

    #[test]
    fn a_person_named_in_what_was_said_is_not_who_speaks_next() {
        let text = "Smith said Jones would resign. He added that the board agreed.";
        let entities = [
            entity(text, EntityLabel::Person, "Smith", 0, "Tom Smith"),
            entity(text, EntityLabel::Person, "Jones", 0, "Ann Jones"),
        ];
        let quotes = [
            quote(text, "Jones would resign", "Smith said", Some("Smith")),
            quote(text, "the board agreed", "He added", Some("He")),
        ];
        assert_eq!(names(text, &quotes, &entities), [Some("Tom Smith".into()), Some("Tom Smith".into())]);
    }

    #[test]
    fn descriptions_prefer_the_person_with_that_title() {
        let text = "Senator Mary Lee met Bob Hart on Friday. Hart declined to comment. \
                    The talks went well, the senator said.";
        let entities = [
            entity(text, EntityLabel::Person, "Mary Lee", 0, "Mary Lee"),
            entity(text, EntityLabel::Person, "Bob Hart", 0, "Bob Hart"),
            entity(text, EntityLabel::Person, "Hart", 1, "Bob Hart"),
        ];
        let q = quote(text, "The talks went well", "the senator said", Some("the senator"));
        assert_eq!(names(text, &[q], &entities), [Some("Mary Lee".into())]);

        // No one carries the title: the nearest person.
        let text = "Bob Hart met Mary Lee. The talks went well, the official said.";
        let entities = [
            entity(text, EntityLabel::Person, "Bob Hart", 0, "Bob Hart"),
            entity(text, EntityLabel::Person, "Mary Lee", 0, "Mary Lee"),
        ];
        let q = quote(text, "The talks went well", "the official said", Some("the official"));
        assert_eq!(names(text, &[q], &entities), [Some("Mary Lee".into())]);

        // A spokesman is often unnamed: only a person with that title, never the last named.
        let text = "Tony Blair spoke first. The plan works, the prime minister's official spokesman said. \
                    Downing Street spokesman Tom Kelly agreed. It will last, the spokesman added.";
        let entities = [
            entity(text, EntityLabel::Person, "Tony Blair", 0, "Tony Blair"),
            entity(text, EntityLabel::Person, "Tom Kelly", 0, "Tom Kelly"),
        ];
        let quotes = [
            quote(
                text,
                "The plan works",
                "the prime minister's official spokesman said",
                Some("the prime minister's official spokesman"),
            ),
            quote(text, "It will last", "the spokesman added", Some("the spokesman")),
        ];
        assert_eq!(names(text, &quotes, &entities), [None, Some("Tom Kelly".into())]);
    }

    #[test]
    fn institutions_documents_and_nobody() {
        let text = "The Foreign Ministry and Acme met. Talks failed, the ministry said. \
                    Prices rose, the company said. Smith's letter said costs rose. \
                    The statement said no link existed. A spokesman said nothing. Officials said more.";
        let entities = [
            entity(text, EntityLabel::Org, "Foreign Ministry", 0, "Foreign Ministry"),
            entity(text, EntityLabel::Org, "Acme", 0, "Acme"),
            entity(text, EntityLabel::Person, "Smith", 0, "John Smith"),
        ];
        let quotes = [
            quote(text, "Talks failed", "the ministry said", Some("the ministry")),
            quote(text, "Prices rose", "the company said", Some("the company")),
            quote(text, "costs rose", "Smith's letter said", Some("Smith's letter")),
            quote(text, "no link existed", "The statement said", Some("The statement")),
            quote(text, "nothing", "A spokesman said", Some("A spokesman")),
            quote(text, "more", "Officials said", Some("Officials")),
            quote(text, "Talks failed", "said", None),
        ];
        assert_eq!(
            names(text, &quotes, &entities),
            [Some("Foreign Ministry".into()), Some("Acme".into()), Some("John Smith".into()), None, None, None, None]
        );
    }
}
