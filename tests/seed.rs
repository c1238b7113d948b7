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
