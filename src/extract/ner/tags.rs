//! The tag set: BILOU tags over the four CoNLL types, the transitions the
//! BILOU rules allow, and conversions between tag sequences and entity chunks.
//!
//! Tag `0` is `O`; tag `1 + 4 * type + pos` is position `pos` (0 = Begin,
//! 1 = Inside, 2 = Last, 3 = Unit) of type `type` in [`TYPES`] order.

use super::super::mention::EntityLabel;

/// Number of tags: O plus B/I/L/U for each of the four entity types.
pub(crate) const NT: usize = 17;

/// Entity types in tag order.
pub(crate) const TYPES: [EntityLabel; 4] = [EntityLabel::Person, EntityLabel::Org, EntityLabel::Loc, EntityLabel::Misc];
/// CoNLL names of [`TYPES`].
pub(crate) const TYPE_NAMES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// An entity chunk: start token, end token (exclusive), type index in [`TYPES`].
pub(crate) type Chunk = (usize, usize, usize);

/// The type index of a tag, `None` for `O`.
#[inline]
pub(crate) fn tag_type(t: u8) -> Option<usize> {
    if t == 0 { None } else { Some(((t - 1) / 4) as usize) }
}
/// 0 = B, 1 = I, 2 = L, 3 = U.
#[inline]
pub(crate) fn tag_pos(t: u8) -> u8 {
    (t - 1) % 4
}
/// Whether `cur` may follow `prev` (`None`: at the start of a sentence).
pub(crate) fn allowed(prev: Option<u8>, cur: u8) -> bool {
    let open = matches!(prev, Some(p) if p != 0 && tag_pos(p) <= 1);
    if open {
        let p = prev.unwrap();
        cur != 0 && tag_type(cur) == tag_type(p) && (tag_pos(cur) == 1 || tag_pos(cur) == 2)
    } else {
        cur == 0 || tag_pos(cur) == 0 || tag_pos(cur) == 3
    }
}
/// Whether a sentence may end with tag `t`.
pub(crate) fn allowed_end(t: u8) -> bool {
    t == 0 || tag_pos(t) >= 2
}

/// Tags after which a mention is closed: O, and L or U of any type.
pub(crate) const CLOSED: [u8; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];
/// Tags that may follow a closed tag: O, and B or U of any type.
pub(crate) const OPENING: [u8; 9] = [0, 1, 4, 5, 8, 9, 12, 13, 16];

/// The tags that may precede `tag` (ascending), by the BILOU rules of
/// [`allowed`]: the pairs the Viterbi decoder visits, 97 of the 289.
#[cfg(test)]
pub(crate) fn predecessors(tag: usize) -> &'static [u8] {
    const OPEN: [[u8; 2]; 4] = [[1, 2], [5, 6], [9, 10], [13, 14]];
    if tag == 0 || matches!((tag - 1) % 4, 0 | 3) { &CLOSED } else { &OPEN[(tag - 1) / 4] }
}

/// The tags that may follow `tag` (ascending), by the rules of [`allowed`].
#[inline]
pub(crate) fn successors(tag: usize) -> &'static [u8] {
    const CONTINUE: [[u8; 2]; 4] = [[2, 3], [6, 7], [10, 11], [14, 15]];
    if tag == 0 || matches!((tag - 1) % 4, 2 | 3) { &OPENING } else { &CONTINUE[(tag - 1) / 4] }
}

/// Entity spans (start, end excl, type index) of a BILOU tag sequence.
pub(crate) fn spans_of(tags: &[u8]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        if t == 0 {
            start = None;
            continue;
        }
        let ty = tag_type(t).unwrap();
        match tag_pos(t) {
            0 => start = Some((i, ty)),
            1 => {
                if start.map(|s| s.1) != Some(ty) {
                    start = Some((i, ty));
                }
            }
            2 => {
                let s = match start {
                    Some((s, st)) if st == ty => s,
                    _ => i,
                };
                out.push((s, i + 1, ty));
                start = None;
            }
            _ => {
                out.push((i, i + 1, ty));
                start = None;
            }
        }
    }
    out
}

/// BILOU tags from chunks.
pub(crate) fn bilou(n: usize, chunks: &[Chunk]) -> Vec<u8> {
    let mut tags = vec![0u8; n];
    for &(s, e, ty) in chunks {
        let base = 1 + 4 * ty as u8;
        if e - s == 1 {
            tags[s] = base + 3;
        } else {
            tags[s] = base;
            for t in &mut tags[s + 1..e - 1] {
                *t = base + 1;
            }
            tags[e - 1] = base + 2;
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_roundtrip() {
        let chunks = vec![(0, 1, 0), (1, 4, 2), (5, 7, 3)];
        assert_eq!(spans_of(&bilou(8, &chunks)), chunks);
    }

    #[test]
    fn sparse_transitions_are_exactly_the_allowed_ones() {
        for cur in 0..NT as u8 {
            let expected: Vec<u8> = (0..NT as u8).filter(|&p| allowed(Some(p), cur)).collect();
            assert_eq!(predecessors(cur as usize), expected.as_slice(), "predecessors of {cur}");
            let expected: Vec<u8> = (0..NT as u8).filter(|&n| allowed(Some(cur), n)).collect();
            assert_eq!(successors(cur as usize), expected.as_slice(), "successors of {cur}");
        }
    }
}
