//! docsql's SQL functions: the extraction as functions of any text column, so
//! users can run it over their own data (`SELECT extract_entities(headline)
//! FROM 'headlines.csv'`) and a cluster can run it on its executors.
//!
//! - `extract_paragraphs(text)`, `extract_entities(text)`,
//!   `extract_figures(text)`, `extract_quotes(text)`: a list of structs per text, with the columns of
//!   that table (all but `article_id`), so `unnest` gives the table's rows.
//!   Derived from the table definitions in [`crate::tables`]: a new column of
//!   `entities` is a new field of `extract_entities` with no change here.
//! - `docsql_analyze(body)`: the whole [`Analysis`] of a body as JSON, which a
//!   cluster build turns into rows where it writes the store.
//!
//! [`all`] lists them for a session, the scheduler and the executors alike.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StringBuilder, StructArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::prelude::SessionContext;

use crate::corpus::{Document, Format};
use crate::extract::{Analysis, Extractors, analyze};
use crate::tables::{self, TABLES, Table};

/// The name of the function a cluster build runs on the executors.
pub const ANALYZE_FUNCTION: &str = "docsql_analyze";

/// The extractors every call shares: the NER model is read once per process.
static EXTRACTORS: LazyLock<Extractors> = LazyLock::new(Extractors::default);

/// Every docsql SQL function.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    let mut functions: Vec<Arc<ScalarUDF>> = TABLES
        .iter()
        .enumerate()
        // `articles` describes documents, not text: nothing to extract.
        .filter(|(_, table)| table.columns.first().is_some_and(|c| c.name == "article_id") && table.name != "articles")
        .map(|(index, table)| Arc::new(ScalarUDF::from(ExtractTable::new(index, table))))
        .collect();
    functions.push(Arc::new(ScalarUDF::from(AnalyzeBody::new())));
    functions
}

/// Registers every function of [`all`] in `ctx`.
pub fn register(ctx: &SessionContext) {
    for function in all() {
        ctx.register_udf(function.as_ref().clone());
    }
}

/// The text argument of a call as a Utf8 array (views and large strings cast).
fn text_argument(args: &ScalarFunctionArgs, name: &str) -> Result<ArrayRef> {
    let [argument] = args.args.as_slice() else {
        return Err(DataFusionError::Plan(format!("{name} takes one argument, the text")));
    };
    let array = argument.clone().into_array(args.number_rows)?;
    Ok(cast(&array, &DataType::Utf8)?)
}

/// A document holding only `body`, as the table builders want it; `id` is its
/// row, so the rows of a batch can be told apart after building.
fn text_document(row: usize, body: &str) -> Document {
    Document { id: row.to_string(), format: Format::Txt, body: body.to_string(), ..Document::default() }
}

/// `extract_<table>(text)`: the rows that table would hold for `text` as an
/// article, as a list of structs.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ExtractTable {
    name: String,
    table_index: usize,
    signature: Signature,
}

impl ExtractTable {
    fn new(table_index: usize, table: &Table) -> Self {
        ExtractTable {
            name: format!("extract_{}", table.name),
            table_index,
            signature: Signature::string(1, Volatility::Immutable),
        }
    }

    /// The struct fields: the table's columns but `article_id`.
    fn row_fields(&self) -> Fields {
        TABLES[self.table_index].schema().fields().iter().skip(1).cloned().collect()
    }

    fn item_field(&self) -> FieldRef {
        Arc::new(Field::new_list_field(DataType::Struct(self.row_fields()), false))
    }
}

impl ScalarUDFImpl for ExtractTable {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(self.item_field()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let texts = text_argument(&args, &self.name)?;
        let texts = texts.as_string::<i32>();
        let mut documents = Vec::new();
        for (row, text) in texts.iter().enumerate() {
            if let Some(text) = text {
                documents.push(text_document(row, text));
            }
        }
        let analyses: Vec<Analysis> = documents.iter().map(|doc| analyze(&doc.body, &EXTRACTORS)).collect();
        let batch = tables::build_batches(&documents, &analyses).get(self.table_index).clone();
        // Rows come out in document order; count each document's.
        let mut counts = vec![0usize; texts.len()];
        for id in batch.column(0).as_string::<i32>().iter().flatten() {
            let row: usize = id.parse().map_err(|_| DataFusionError::Internal(format!("bad row id {id:?}")))?;
            counts[row] += 1;
        }
        let columns = (1..batch.num_columns()).collect::<Vec<_>>();
        let rows = StructArray::from(batch.project(&columns)?);
        let list = ListArray::try_new(
            self.item_field(),
            OffsetBuffer::from_lengths(counts),
            Arc::new(rows),
            texts.nulls().cloned(),
        )?;
        Ok(ColumnarValue::Array(Arc::new(list)))
    }
}

/// `docsql_analyze(body)`: the [`Analysis`] of `body` as JSON.
#[derive(Debug, PartialEq, Eq, Hash)]
struct AnalyzeBody {
    signature: Signature,
}

impl AnalyzeBody {
    fn new() -> Self {
        AnalyzeBody { signature: Signature::string(1, Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for AnalyzeBody {
    fn name(&self) -> &str {
        ANALYZE_FUNCTION
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let bodies = text_argument(&args, ANALYZE_FUNCTION)?;
        let bodies = bodies.as_string::<i32>();
        let mut out = StringBuilder::with_capacity(bodies.len(), bodies.value_data().len() * 2);
        for body in bodies.iter() {
            match body {
                Some(body) => {
                    let json = serde_json::to_string(&analyze(body, &EXTRACTORS))
                        .map_err(|err| DataFusionError::External(Box::new(err)))?;
                    out.append_value(json);
                }
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

/// Reads what `docsql_analyze` wrote.
pub fn analysis_from_json(json: &str) -> Result<Analysis, serde_json::Error> {
    serde_json::from_str(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array, Int32Array, StringArray};

    async fn collect(ctx: &SessionContext, sql: &str) -> Vec<datafusion::arrow::array::RecordBatch> {
        ctx.sql(sql).await.unwrap().collect().await.unwrap()
    }

    #[test]
    fn every_table_with_text_rows_has_a_function() {
        let names: Vec<String> = all().iter().map(|f| f.name().to_string()).collect();
        assert_eq!(
            names,
            ["extract_paragraphs", "extract_entities", "extract_figures", "extract_quotes", "docsql_analyze"]
        );
    }

    #[tokio::test]
    async fn unnest_gives_the_rows_of_the_table() {
        let ctx = SessionContext::new();
        register(&ctx);
        let text = "Angela Merkel met Emmanuel Macron in Paris.\n\nThe deal is worth $2bn, officials said.";
        // The same text as an article gives the same entity rows as the function.
        let doc = text_document(0, text);
        let analysis = analyze(text, &EXTRACTORS);
        let table = tables::build_batches(std::slice::from_ref(&doc), std::slice::from_ref(&analysis));
        let entities = table.get(tables::table_index("entities").unwrap());
        let expected: Vec<&str> = entities.column(4).as_string::<i32>().iter().flatten().collect();
        assert!(expected.contains(&"Angela Merkel"), "{expected:?}");

        let sql = format!(
            "SELECT e.name, e.char_start FROM (SELECT unnest(extract_entities('{}')) AS e) ORDER BY e.char_start",
            text.replace('\'', "''")
        );
        let batches = collect(&ctx, &sql).await;
        let names: Vec<String> = batches
            .iter()
            .flat_map(|b| b.column(0).as_string::<i32>().iter().flatten().map(str::to_string).collect::<Vec<_>>())
            .collect();
        assert_eq!(names, expected);

        let figures = collect(&ctx, &format!("SELECT unnest(extract_figures('{text}'))['value'] AS v")).await;
        let values: Vec<f64> = figures
            .iter()
            .flat_map(|b| b.column(0).as_any().downcast_ref::<Float64Array>().unwrap().values().to_vec())
            .collect();
        assert_eq!(values, [2e9]);
    }

    #[tokio::test]
    async fn lists_line_up_with_their_rows_and_nulls_stay_null() {
        let ctx = SessionContext::new();
        register(&ctx);
        let texts = StringArray::from(vec![Some("One.\n\nTwo."), None, Some(""), Some("Three.")]);
        let batch = datafusion::arrow::array::RecordBatch::try_from_iter([("t", Arc::new(texts) as ArrayRef)]).unwrap();
        ctx.register_batch("texts", batch).unwrap();
        let batches = collect(
            &ctx,
            "SELECT cardinality(extract_paragraphs(t)) AS n, extract_paragraphs(t) IS NULL AS missing FROM texts",
        )
        .await;
        let b = &batches[0];
        let counts: Vec<Option<u64>> =
            b.column(0).as_primitive::<datafusion::arrow::datatypes::UInt64Type>().iter().collect();
        assert_eq!(counts, [Some(2), None, Some(0), Some(1)]);
        let paragraph_ids = collect(&ctx, "SELECT unnest(extract_paragraphs(t))['paragraph_id'] FROM texts").await;
        let ids: Vec<i32> = paragraph_ids
            .iter()
            .flat_map(|b| b.column(0).as_any().downcast_ref::<Int32Array>().unwrap().values().to_vec())
            .collect();
        assert_eq!(ids, [1, 2, 1], "paragraph ids are 1-based");
    }

    #[test]
    fn analyses_survive_json_bit_for_bit() {
        let text = "Prices rose 3.7% to $1.15bn. Angela Merkel said 0.1 of 1/3.";
        let analysis = analyze(text, &EXTRACTORS);
        assert!(!analysis.figures.is_empty() && !analysis.entities.is_empty());
        let json = serde_json::to_string(&analysis).unwrap();
        assert_eq!(analysis_from_json(&json).unwrap(), analysis);
    }
}
