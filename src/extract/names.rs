//! Article-level canonical names for entity mentions ([`canonical_names`]):
//! the full name for a surname or a lone first name, the expansion of an
//! acronym the article defines, one name for the short forms of the alias
//! table (`data/aliases.txt`).

use std::collections::{HashMap, HashSet};

use super::lists;
use super::mention::{EntityLabel, Mention};

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
        lists::lines(lists::ALIASES)
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

/// Appends `word` with curly apostrophes straightened.
fn push_token(key: &mut String, word: &str) {
    for c in word.chars() {
        key.push(if c == '’' { '\'' } else { c });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mention of the `nth` (0-based) occurrence of `surface` in `text`.
    fn at(text: &str, surface: &str, nth: usize, label: EntityLabel) -> Mention {
        let start = text.match_indices(surface).nth(nth).unwrap_or_else(|| panic!("{surface:?} #{nth}")).0;
        Mention { start, end: start + surface.len(), label, value: None, confidence: None }
    }

    fn person(text: &str, surface: &str, nth: usize) -> Mention {
        at(text, surface, nth, EntityLabel::Person)
    }

    #[test]
    fn surnames_map_to_the_one_full_name_before_or_after() {
        let text = "Iravani spoke. Amir Saeid Iravani left. Iravani smiled.";
        let mentions = [person(text, "Iravani", 0), person(text, "Amir Saeid Iravani", 0), person(text, "Iravani", 2)];
        assert_eq!(canonical_names(text, &mentions), vec!["Amir Saeid Iravani"; 3]);
    }

    #[test]
    fn longer_names_count_as_different_candidates() {
        // "Saeid Iravani" is itself the end of "Amir Saeid Iravani"; for a bare
        // "Iravani" the two are two candidates, so the nearest one before it
        // wins, as written, and with none before it the surname stays.
        let text = "Iravani spoke. Amir Saeid Iravani left. Saeid Iravani returned. Iravani smiled.";
        let mentions = [
            person(text, "Iravani", 0),
            person(text, "Amir Saeid Iravani", 0),
            person(text, "Saeid Iravani", 1),
            person(text, "Iravani", 3),
        ];
        assert_eq!(
            canonical_names(text, &mentions),
            ["Iravani", "Amir Saeid Iravani", "Amir Saeid Iravani", "Saeid Iravani"]
        );
    }

    #[test]
    fn a_lone_first_name_maps_to_the_full_name_it_starts() {
        let text = "Paula Radcliffe ran. Later Paula said she was happy.";
        let mentions = [person(text, "Paula Radcliffe", 0), person(text, "Paula", 1)];
        assert_eq!(canonical_names(text, &mentions), ["Paula Radcliffe", "Paula Radcliffe"]);
    }

    #[test]
    fn an_ambiguous_surname_takes_the_nearest_full_name_before_it() {
        let text = "Brown arrived. Gordon Brown spoke. Brown left. James Brown sang. Brown danced.";
        let mentions = [
            person(text, "Brown", 0),
            person(text, "Gordon Brown", 0),
            person(text, "Brown", 2),
            person(text, "James Brown", 0),
            person(text, "Brown", 4),
        ];
        assert_eq!(
            canonical_names(text, &mentions),
            ["Brown", "Gordon Brown", "Gordon Brown", "James Brown", "James Brown"]
        );
    }

    #[test]
    fn people_keep_their_names_and_skip_the_alias_table() {
        // "US" is an alias of "United States", but not for a person; a name
        // with no longer form stays as written.
        let text = "US met Smith.";
        let mentions = [person(text, "US", 0), person(text, "Smith", 0)];
        assert_eq!(canonical_names(text, &mentions), ["US", "Smith"]);
    }

    #[test]
    fn acronyms_defined_in_the_article_map_to_their_expansion_then_the_alias_table() {
        let text = "The Organisation of Petroleum Exporting Countries (OPEC) met the World Trade Organisation (WTO). \
                    OPEC and the WTO talked.";
        let org = |s: &str, nth| at(text, s, nth, EntityLabel::Org);
        let mentions = [
            org("Organisation of Petroleum Exporting Countries", 0),
            org("OPEC", 1),
            org("World Trade Organisation", 0),
            org("WTO", 1),
        ];
        assert_eq!(
            canonical_names(text, &mentions),
            [
                "Organisation of Petroleum Exporting Countries",
                "Organisation of Petroleum Exporting Countries",
                "World Trade Organization",
                "World Trade Organization",
            ]
        );
    }

    #[test]
    fn the_alias_table_unifies_short_forms() {
        let text = "Britain, the U.S. and the UN.";
        let mentions = [
            at(text, "Britain", 0, EntityLabel::Loc),
            at(text, "U.S.", 0, EntityLabel::Loc),
            at(text, "UN", 0, EntityLabel::Org),
        ];
        assert_eq!(canonical_names(text, &mentions), ["United Kingdom", "United States", "United Nations"]);
    }

    #[test]
    fn dates_use_their_value_or_their_surface() {
        let text = "On October 7,  2023 and on late   Sunday.";
        let mut resolved = at(text, "October 7,  2023", 0, EntityLabel::Date);
        resolved.value = Some("2023-10-07".into());
        let unresolved = at(text, "late   Sunday", 0, EntityLabel::Date);
        assert_eq!(canonical_names(text, &[resolved, unresolved]), ["2023-10-07", "late Sunday"]);
    }

    #[test]
    fn white_space_collapses_and_curly_apostrophes_straighten() {
        let text = "Gaza \n  Strip and O’Driscoll";
        let mentions = [at(text, "Gaza \n  Strip", 0, EntityLabel::Loc), person(text, "O’Driscoll", 0)];
        assert_eq!(canonical_names(text, &mentions), ["Gaza Strip", "O'Driscoll"]);
    }

    #[test]
    fn acronym_definitions_need_matching_capitalised_initials() {
        let defs = acronym_definitions(
            "the United Nations (UN), a Lot of words (XYZ), (Reuters) report, Bank of England (BoE) and a (U.S.) flag",
        );
        assert_eq!(defs.get("UN").map(String::as_str), Some("United Nations"));
        assert_eq!(defs.len(), 1, "{defs:?}");
        assert!(acronym_definitions("").is_empty());
        assert!(acronym_definitions("((( ) (A)").is_empty());
    }

    #[test]
    fn mentions_outside_the_text_give_empty_names() {
        let text = "É";
        let bad = Mention { start: 0, end: 99, label: EntityLabel::Org, value: None, confidence: None };
        let split = Mention { start: 1, end: 2, label: EntityLabel::Person, value: None, confidence: None };
        assert_eq!(canonical_names(text, &[bad, split]), ["", ""]);
        assert!(canonical_names(text, &[]).is_empty());
    }
}
