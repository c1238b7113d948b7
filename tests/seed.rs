//! The seed article's extraction, asserted exactly through SQL (issue #2).

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Float64Type, Int32Type};
use datafusion::prelude::SessionContext;

fn seed_session() -> SessionContext {
    let corpus = docsql::load::<&str>(&[]);
    assert_eq!(corpus.documents.len(), 1, "one bundled seed article");
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    docsql::session(&corpus).expect("session")
}

async fn rows(ctx: &SessionContext, sql: &str) -> Vec<Vec<String>> {
    let batches: Vec<RecordBatch> = ctx.sql(sql).await.expect("plan").collect().await.expect("run");
    let mut out = Vec::new();
    for batch in &batches {
        let options = datafusion::arrow::util::display::FormatOptions::default().with_null("NULL");
        let formatters: Vec<_> = batch
            .columns()
            .iter()
            .map(|c| datafusion::arrow::util::display::ArrayFormatter::try_new(c.as_ref(), &options).unwrap())
            .collect();
        for row in 0..batch.num_rows() {
            out.push(formatters.iter().map(|f| f.value(row).to_string()).collect());
        }
    }
    out
}

fn strings(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
    rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
}

#[tokio::test]
async fn seed_article_row() {
    let ctx = seed_session();
    let got = rows(
        &ctx,
        "SELECT article_id, path, format, title IS NULL, paragraph_count, char_count = length(body), \
         length(content_hash) FROM articles",
    )
    .await;
    assert_eq!(
        strings(&got),
        vec![vec!["000_def429b1c4d7175a", "seeds/000_def429b1c4d7175a.txt", "txt", "true", "13", "true", "64"]]
    );
}

#[tokio::test]
async fn seed_paragraphs_are_lines_and_offsets_round_trip() {
    let ctx = seed_session();
    let got = rows(
        &ctx,
        "SELECT count(*), sum(CASE WHEN substr(a.body, p.char_start + 1, p.char_end - p.char_start) = p.text \
         THEN 1 ELSE 0 END), min(p.paragraph_id), max(p.paragraph_id), sum(CAST(p.is_title AS INT)) \
         FROM paragraphs p JOIN articles a USING (article_id)",
    )
    .await;
    assert_eq!(strings(&got), vec![vec!["13", "13", "1", "13", "0"]]);
}

#[tokio::test]
async fn seed_entities() {
    let ctx = seed_session();
    let present = |label: &str, mention: &str, name: &str| {
        format!("SELECT count(*) FROM entities WHERE label = '{label}' AND mention = '{mention}' AND name = '{name}'")
    };
    for (label, mention, name) in [
        ("PERSON", "Amir Saeid Iravani", "Amir Saeid Iravani"),
        ("PERSON", "Linda Thomas-Greenfield", "Linda Thomas-Greenfield"),
        ("PERSON", "Iravani", "Amir Saeid Iravani"),
        ("LOC", "Iran", "Iran"),
        ("LOC", "Iraq", "Iraq"),
        ("LOC", "Syria", "Syria"),
        ("LOC", "Jordan", "Jordan"),
        ("LOC", "Gaza Strip", "Gaza Strip"),
        ("ORG", "UN Security Council", "United Nations Security Council"),
        ("LOC", "Iran", "Iran"),
        ("LOC", "US", "United States"),
        ("ORG", "UN", "United Nations"),
    ] {
        let got = rows(&ctx, &present(label, mention, name)).await;
        assert_ne!(got[0][0], "0", "missing {label} {mention:?} named {name:?}");
    }
    let date = rows(&ctx, "SELECT mention, value FROM entities WHERE label = 'DATE' AND value IS NOT NULL").await;
    assert_eq!(strings(&date), vec![vec!["October 7, 2023", "2023-10-07"]]);
    let wrong = rows(
        &ctx,
        "SELECT label, mention FROM entities WHERE (label = 'PERSON' AND mention IN ('Monday', 'Sunday')) \
         OR (label <> 'DATE' AND lower(mention) IN ('the', 'so', 'meanwhile', 'over', 'referring', 'monday'))",
    )
    .await;
    assert!(wrong.is_empty(), "wrong entities: {wrong:?}");
    // Every mention is the exact text at its offsets.
    let misplaced = rows(
        &ctx,
        "SELECT e.mention FROM entities e JOIN articles a USING (article_id) \
         WHERE substr(a.body, e.char_start + 1, e.char_end - e.char_start) <> e.mention",
    )
    .await;
    assert!(misplaced.is_empty(), "{misplaced:?}");
}

#[tokio::test]
async fn seed_figures() {
    let ctx = seed_session();
    let batches = ctx
        .sql("SELECT mention, value, qualifier, unit, kind, paragraph_id FROM figures ORDER BY char_start")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let mut figures = Vec::new();
    for batch in &batches {
        let mention = batch.column(0).as_string::<i32>();
        let value = batch.column(1).as_primitive::<Float64Type>();
        let qualifier = batch.column(2).as_string::<i32>();
        let unit = batch.column(3).as_string::<i32>();
        let kind = batch.column(4).as_string::<i32>();
        let paragraph = batch.column(5).as_primitive::<Int32Type>();
        for i in 0..batch.num_rows() {
            let opt = |a: &datafusion::arrow::array::StringArray| (!a.is_null(i)).then(|| a.value(i).to_string());
            figures.push((
                mention.value(i).to_string(),
                value.value(i),
                opt(qualifier),
                opt(unit),
                kind.value(i).to_string(),
                paragraph.value(i),
            ));
        }
    }
    let find = |v: f64| figures.iter().find(|f| f.1 == v).cloned();
    let civilians = find(26600.0).expect("26,600 civilians");
    assert_eq!(civilians.0, "26,600");
    assert_eq!((civilians.2.as_deref(), civilians.3.as_deref()), (Some("more than"), Some("civilians")));
    let injured = find(65300.0).expect("65,300 others");
    assert_eq!((injured.0.as_str(), injured.2.as_deref()), ("65,300", Some("more than")));
    let servicemen = figures.iter().find(|f| f.3.as_deref() == Some("servicemen")).expect("three servicemen");
    assert_eq!((servicemen.0.as_str(), servicemen.1, servicemen.5), ("three", 3.0, 12));
    assert!(figures.iter().all(|f| f.1 != 7.0 && f.1 != 2023.0), "no figure from the date: {figures:?}");
    // Nothing else: "three days" is the only other numeric fact in the article.
    let mentions: Vec<(&str, i32)> = figures.iter().map(|f| (f.0.as_str(), f.5)).collect();
    assert_eq!(mentions, vec![("three days", 3), ("26,600", 7), ("65,300", 7), ("three", 12)]);
    let days = &figures[0];
    assert_eq!((days.1, days.3.as_deref(), days.4.as_str()), (3.0, Some("day"), "quantity"));
}

/// The seed's body and its `quotes` rows (every column but `article_id`), in
/// `quote_id` order.
async fn seed_quotes(ctx: &SessionContext) -> (String, Vec<Vec<String>>) {
    let body = rows(ctx, "SELECT body FROM articles").await.remove(0).remove(0);
    let quotes = rows(
        ctx,
        "SELECT paragraph_id, sentence_id, quote_id, kind, content, content_start, content_end, cue, cue_start, \
         cue_end, speaker, speaker_start, speaker_end, speaker_name, speaker_label FROM quotes ORDER BY quote_id",
    )
    .await;
    (body, quotes)
}

/// The character range of `needle` in `body`, found inside the unique text
/// `anchor` (so that a common word such as "said" is the right one).
fn char_span(body: &str, anchor: &str, needle: &str) -> (usize, usize) {
    assert_eq!(body.matches(anchor).count(), 1, "{anchor:?} is unique in the seed");
    let start = body.find(anchor).unwrap() + anchor.find(needle).unwrap_or_else(|| panic!("{needle:?} in {anchor:?}"));
    let chars = |byte: usize| body[..byte].chars().count();
    (chars(start), chars(start + needle.len()))
}

/// One of the attributions in the seed, as a careful reader marks it.
struct Attribution<'a> {
    paragraph: i32,
    kind: &'a str,
    /// What was said: for a direct quote, the text inside the marks. For a
    /// mixed one, the reported clause: whether its outer quotation marks and
    /// final full stop belong to it is a convention, not a fact, so they are
    /// left out of the comparison.
    content: &'a str,
    /// Text holding the cue and the speaker, unique in the seed.
    anchor: &'a str,
    cue: &'a str,
    /// The speaker as written, in each form a careful reader may mark (the
    /// whole subject, or the name in apposition); none when empty.
    speakers: &'a [&'a str],
    speaker_name: Option<&'a str>,
    speaker_label: Option<&'a str>,
}

/// `content` without outer quotation marks and final punctuation.
fn loose(content: &str) -> &str {
    content.trim_matches(|c| matches!(c, '"' | '“' | '”' | '.' | ',' | ' '))
}

/// Asserts that the seed's `quotes` hold `expected`'s row (found by its cue).
async fn assert_seed_quote(expected: Attribution<'_>) {
    let (body, quotes) = seed_quotes(&seed_session()).await;
    let (cue_start, cue_end) = char_span(&body, expected.anchor, expected.cue);
    let got = quotes
        .iter()
        .find(|row| row[7] == expected.cue && row[8] == cue_start.to_string())
        .unwrap_or_else(|| panic!("no attribution with the cue {:?} at {cue_start}: {quotes:#?}", expected.cue));
    let text = |s: Option<&str>| s.unwrap_or("NULL").to_string();
    let where_cue_speaker = |speaker: Option<&str>| {
        let span = speaker.map(|s| char_span(&body, expected.anchor, s));
        let number = |n: Option<usize>| n.map_or("NULL".to_string(), |n| n.to_string());
        vec![
            expected.paragraph.to_string(),
            "1".into(),
            expected.kind.into(),
            expected.cue.into(),
            cue_start.to_string(),
            cue_end.to_string(),
            text(speaker),
            number(span.map(|s| s.0)),
            number(span.map(|s| s.1)),
            text(expected.speaker_name),
            text(expected.speaker_label),
        ]
    };
    let got_row: Vec<String> = [0, 1, 3, 7, 8, 9, 10, 11, 12, 13, 14].iter().map(|&i| got[i].clone()).collect();
    let speaker = expected.speakers.iter().copied().find(|s| got[10] == *s).or(expected.speakers.first().copied());
    assert_eq!(got_row, where_cue_speaker(speaker), "paragraph, sentence, kind, cue, speaker, speaker_name, label");
    if expected.kind == "mixed" {
        assert_eq!(loose(&got[4]), loose(expected.content), "the reported clause");
    } else {
        let (start, end) = char_span(&body, expected.content, expected.content);
        assert_eq!(&got[4..7], [expected.content.to_string(), start.to_string(), end.to_string()], "content");
    }
}

#[tokio::test]
async fn seed_quotes_are_consistent() {
    // Whatever the extractor finds: ids in order, offsets that give the text,
    // speaker names that are entities of the article.
    let ctx = seed_session();
    let (body, quotes) = seed_quotes(&ctx).await;
    assert!(!quotes.is_empty());
    let chars: Vec<char> = body.chars().collect();
    let text = |start: &str, end: &str| -> String {
        chars[start.parse::<usize>().unwrap()..end.parse::<usize>().unwrap()].iter().collect()
    };
    for (index, row) in quotes.iter().enumerate() {
        assert_eq!(row[2], (index + 1).to_string(), "quote_id");
        assert!(["direct", "indirect", "mixed"].contains(&row[3].as_str()), "{row:?}");
        let hull = text(&row[5], &row[6]);
        let first_word = row[4].split(' ').next().unwrap();
        let last_word = row[4].rsplit(' ').next().unwrap();
        assert!(hull.starts_with(first_word) && hull.ends_with(last_word), "content {:?} in {hull:?}", row[4]);
        assert_eq!(text(&row[8], &row[9]), row[7], "cue");
        if row[10] == "NULL" {
            assert_eq!(&row[11..], ["NULL", "NULL", "NULL", "NULL"], "no speaker, no name");
        } else {
            assert_eq!(text(&row[11], &row[12]), row[10], "speaker");
        }
        if row[13] != "NULL" {
            let entity = rows(
                &ctx,
                &format!("SELECT count(*) FROM entities WHERE name = '{}' AND label = '{}'", row[13], row[14]),
            )
            .await;
            assert_ne!(entity[0][0], "0", "{row:?}: speaker_name is an entity of the article");
        }
    }
}

#[tokio::test]
#[ignore = "issue 13: the extractor starts this content at \"that\", not at the clause after it"]
async fn seed_quote_thomas_greenfield_letter() {
    // The clause after "alleging that" quotes two phrases of the letter: mixed.
    assert_seed_quote(Attribution {
        paragraph: 3,
        kind: "mixed",
        content: "\"militia groups affiliated with the Islamic Republic of Iran’s Armed Forces\" were involved in \
                  \"actions against US personnel and facilities in Iraq and Syria.\"",
        anchor: "his American counterpart, Linda Thomas-Greenfield, wrote a letter to the Council, alleging",
        cue: "alleging",
        speakers: &["his American counterpart, Linda Thomas-Greenfield", "Linda Thomas-Greenfield"],
        speaker_name: Some("Linda Thomas-Greenfield"),
        speaker_label: Some("PERSON"),
    })
    .await;
}

#[tokio::test]
#[ignore = "issue 13: the extractor starts this content at \"unequivocally that\", not at the clause after it"]
async fn seed_quote_iravani_asserted() {
    // "asserted that" with the whole clause in quotation marks: reported
    // speech quoting its words, mixed as the letter's is.
    assert_seed_quote(Attribution {
        paragraph: 4,
        kind: "mixed",
        content: "there is no group affiliated with the Islamic Republic of Iran’s Armed Forces, whether in Iraq, \
                  Syria, or elsewhere that operates directly or indirectly under the control of the Islamic \
                  Republic of Iran or acts on its behalf.",
        anchor: "Iravani asserted unequivocally",
        cue: "asserted",
        speakers: &["Iravani"],
        speaker_name: Some("Amir Saeid Iravani"),
        speaker_label: Some("PERSON"),
    })
    .await;
}

#[tokio::test]
async fn seed_quote_iravani_added_as_iran_s_un_ambassador() {
    // "Iran" and "UN" only modify "ambassador": the speaker is the ambassador
    // named before, Iravani.
    assert_seed_quote(Attribution {
        paragraph: 5,
        kind: "direct",
        content: "Therefore, the Islamic Republic of Iran is not responsible for the actions of any individual or \
                  group within the region,",
        anchor: "Iran's UN ambassador added",
        cue: "added",
        speakers: &["Iran's UN ambassador"],
        speaker_name: Some("Amir Saeid Iravani"),
        speaker_label: Some("PERSON"),
    })
    .await;
}

#[tokio::test]
async fn seed_quote_iran_s_ambassador_said() {
    assert_seed_quote(Attribution {
        paragraph: 10,
        kind: "direct",
        content: "...the actions undertaken by the United States in Syria and Iraq are illegal and violate both \
                  international law and the UN Charter.... Consequently, the US notification submitted to the \
                  Security Council in the aforementioned letter ... lacks a legal foundation and fails to \
                  legitimize such actions.",
        anchor: "Iran's ambassador said",
        cue: "said",
        speakers: &["Iran's ambassador"],
        speaker_name: Some("Amir Saeid Iravani"),
        speaker_label: Some("PERSON"),
    })
    .await;
}

#[tokio::test]
async fn seed_quote_the_statement_said() {
    // The statement is by "Iran’s permanent mission to the UN", which is no
    // entity of the article: no speaker_name.
    assert_seed_quote(Attribution {
        paragraph: 13,
        kind: "indirect",
        content: "Iran had no link to the attack",
        anchor: "The statement said",
        cue: "said",
        speakers: &["The statement"],
        speaker_name: None,
        speaker_label: None,
    })
    .await;
}

#[tokio::test]
#[ignore = "issue 13: the extractor also reads other phrases as cues (\"has categorically rejected accusations\", \
            \"made the comments in a letter addressed to\", \"has claimed\"...)"]
async fn seed_quotes_are_the_article_s_attributions() {
    // Every attribution of the seed and nothing else, by cue and speaker name.
    let (_, quotes) = seed_quotes(&seed_session()).await;
    let got: Vec<(&str, &str)> = quotes.iter().map(|row| (row[7].as_str(), row[13].as_str())).collect();
    assert_eq!(
        got,
        [
            ("alleging", "Linda Thomas-Greenfield"),
            ("asserted", "Amir Saeid Iravani"),
            ("added", "Amir Saeid Iravani"),
            ("said", "Amir Saeid Iravani"),
            ("said", "NULL"),
            ("adding", "NULL"),
        ]
    );
}
