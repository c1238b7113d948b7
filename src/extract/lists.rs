//! The curated word lists in `data/`, compiled into the binary, and the one
//! way to read them: one entry per line, `#` comments and blank lines skipped.
//!
//! The tagger's gazetteer features ([`super::ner`]), its news corrections
//! ([`listed_label`]) and the alias table of [`super::names`] all read the
//! lists through here.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::mention::EntityLabel;

/// Places (LOC).
pub(crate) const PLACES: &str = include_str!("data/places.txt");
/// More places (LOC), added after the first list.
pub(crate) const PLACES_EXTRA: &str = include_str!("data/places_extra.txt");
/// Well-known organisations (ORG).
pub(crate) const ORGS: &str = include_str!("data/orgs.txt");
/// Other names (MISC): events, awards, languages, religions.
pub(crate) const MISC: &str = include_str!("data/misc.txt");
/// Nationalities and other demonyms (MISC).
pub(crate) const DEMONYMS: &str = include_str!("data/demonyms.txt");
/// Common first names.
pub(crate) const FIRST_NAMES: &str = include_str!("data/first_names.txt");
/// More first names, added after the first list.
pub(crate) const FIRST_NAMES_EXTRA: &str = include_str!("data/first_names_extra.txt");
/// Common surnames.
pub(crate) const SURNAMES: &str = include_str!("data/surnames.txt");
/// Ordinary lower-case English words.
pub(crate) const COMMON_WORDS: &str = include_str!("data/common_words.txt");
/// Alias table: `surface<TAB>canonical name` per line.
pub(crate) const ALIASES: &str = include_str!("data/aliases.txt");

/// Non-comment, non-empty lines of an embedded list, trimmed.
pub(crate) fn lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The entries of a list: the first tab-separated field of each line.
pub(crate) fn entries(data: &str) -> impl Iterator<Item = &str> {
    lines(data).map(|l| l.split('\t').next().unwrap_or(l))
}

/// The label the shipped lists give a name: organisations (`data/orgs.txt`)
/// first, then MISC names and demonyms ("Chelsea" → ORG, "Oscar" → MISC).
/// Used to correct a tagger that takes a club or an award for a person.
pub(crate) fn listed_label(name: &str) -> Option<EntityLabel> {
    static LISTED: LazyLock<HashMap<&'static str, EntityLabel>> = LazyLock::new(|| {
        let mut map = HashMap::new();
        for entry in lines(ORGS) {
            map.entry(entry).or_insert(EntityLabel::Org);
        }
        for entry in lines(MISC).chain(lines(DEMONYMS)) {
            map.entry(entry).or_insert(EntityLabel::Misc);
        }
        map
    });
    LISTED.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_comments_and_blanks() {
        let text = "# header\n\n  Paris \nNew York\t2\n#x\n";
        assert_eq!(lines(text).collect::<Vec<_>>(), ["Paris", "New York\t2"]);
        assert_eq!(entries(text).collect::<Vec<_>>(), ["Paris", "New York"]);
    }

    #[test]
    fn listed_labels_prefer_organisations() {
        assert_eq!(listed_label("Chelsea"), Some(EntityLabel::Org));
        assert_eq!(listed_label("Oscar"), Some(EntityLabel::Misc));
        assert_eq!(listed_label("American"), Some(EntityLabel::Misc));
        assert_eq!(listed_label("Tony Blair"), None);
        // Comment lines are not names.
        assert!(ORGS.lines().next().is_some_and(|l| l.starts_with('#')));
        assert_eq!(listed_label(ORGS.lines().next().unwrap()), None);
    }
}
