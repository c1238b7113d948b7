//! The tables: each defined once, in a file of its own, with `table!`: its
//! name, its columns (name, type, doc line) and how a document becomes rows.
//! [`TABLES`] lists them; everything else — registration, store segments and
//! row counts, the schema fingerprint, the README check — walks that list.
//!
//! Offsets in every table are 0-based character (Unicode scalar) positions into
//! `articles.body`, end exclusive, so SQL's
//! `substr(body, char_start + 1, char_end - char_start)` gives the mention.
//!
//! To add a column: add it to the table's `columns { }` and to the row its
//! `push_rows` makes (the compiler points there), then to the README's table.

pub mod articles;
mod column;
pub mod entities;
pub mod figures;
pub mod paragraphs;
pub mod quotes;
mod table;

use datafusion::arrow::record_batch::RecordBatch;

pub use column::{Boolean, ColumnType, Date32, Float32, Float64, Int32, Nullable, Scalar, Utf8};
pub(crate) use table::table;
pub use table::{Column, RowBuilder, Table, finish_batch};

use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

/// Every table, in the order they are documented. Every table's first column
/// is `article_id` (stores rely on it to copy and order rows).
pub const TABLES: [&Table; 5] =
    [&articles::ARTICLES, &paragraphs::PARAGRAPHS, &entities::ENTITIES, &figures::FIGURES, &quotes::QUOTES];

/// The number of tables.
pub const TABLE_COUNT: usize = TABLES.len();

/// The names of the tables, in [`TABLES`] order.
pub const TABLE_NAMES: [&str; TABLE_COUNT] = {
    let mut names = [""; TABLE_COUNT];
    let mut index = 0;
    while index < TABLE_COUNT {
        names[index] = TABLES[index].name;
        index += 1;
    }
    names
};

/// The position of table `name` in [`TABLES`].
pub fn table_index(name: &str) -> Option<usize> {
    TABLE_NAMES.iter().position(|n| *n == name)
}

/// One batch of each table, built from the same documents, in [`TABLES`] order.
#[derive(Debug, Clone)]
pub struct TableBatches([RecordBatch; TABLE_COUNT]);

impl TableBatches {
    /// The batch of each table, in [`TABLES`] order.
    pub fn iter(&self) -> impl Iterator<Item = &RecordBatch> {
        self.0.iter()
    }

    /// The batch of the `index`-th table of [`TABLES`].
    pub fn get(&self, index: usize) -> &RecordBatch {
        &self.0[index]
    }
}

/// Builds one batch of each table from analysed documents (same order, same length).
pub fn build_batches(documents: &[Document], analyses: &[Analysis]) -> TableBatches {
    let mut builders: [Box<dyn RowBuilder>; TABLE_COUNT] = TABLES.map(Table::builder);
    for (doc, analysis) in documents.iter().zip(analyses) {
        let offsets = CharOffsets::new(&doc.body);
        for builder in &mut builders {
            builder.push(doc, analysis, &offsets);
        }
    }
    TableBatches(builders.map(|b| b.finish()))
}

/// Converts a count to the Int32 the schema uses (saturating: no corpus has 2^31
/// words in one article, but a hostile one must not wrap).
fn int32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's `### `table`` sections: each table's rows of
    /// `| column[, column...] | type | meaning |`, as (column, type) pairs.
    fn readme_tables() -> Vec<(String, Vec<(String, String)>)> {
        let readme = include_str!("../../README.md");
        let mut tables: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut in_tables = false;
        for line in readme.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                in_tables = heading == "Tables";
            } else if let Some(heading) = line.strip_prefix("### `").filter(|_| in_tables) {
                let name = heading.split('`').next().unwrap_or_default();
                tables.push((name.to_string(), Vec::new()));
            } else if let (true, Some(row), Some((_, columns))) = (in_tables, line.strip_prefix('|'), tables.last_mut())
            {
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                if cells.len() < 2 || cells[0] == "column" || cells[0].starts_with("---") {
                    continue;
                }
                for name in cells[0].split(',') {
                    columns.push((name.trim().to_string(), cells[1].to_string()));
                }
            }
        }
        tables
    }

    #[test]
    fn readme_documents_every_table_and_column() {
        let readme = readme_tables();
        let names: Vec<&str> = readme.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, TABLE_NAMES, "README.md's table sections");
        for ((_, documented), table) in readme.iter().zip(TABLES) {
            let columns: Vec<&str> = documented.iter().map(|(column, _)| column.as_str()).collect();
            let defined: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            assert_eq!(columns, defined, "README.md's columns of `{}`, in order", table.name);
            for ((name, type_label), column) in documented.iter().zip(table.columns) {
                // A blank type is a column every table shares (`article_id`...),
                // typed where first documented.
                if !type_label.is_empty() {
                    assert_eq!(*type_label, column.type_label(), "README.md's type of {}.{name}", table.name);
                }
            }
        }
    }

    #[test]
    fn every_table_starts_with_article_id_and_builds_its_schema() {
        for table in TABLES {
            assert_eq!(table.columns[0].name, "article_id", "{}", table.name);
            assert_eq!(table.columns[0].type_name, "Utf8");
            assert_eq!(table.schema(), table.build_schema());
            assert_eq!(table.schema().fields().len(), table.columns.len());
            assert!(
                table.columns.iter().all(|c| !c.doc.trim().is_empty()),
                "{}: every column has a doc line",
                table.name
            );
        }
        let empty = build_batches(&[], &[]);
        for (batch, table) in empty.iter().zip(TABLES) {
            assert_eq!((batch.num_rows(), batch.schema()), (0, table.schema()));
        }
    }
}
