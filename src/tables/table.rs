//! What a table is: a name, columns and a way to turn an analysed document
//! into rows; and `table!`, which defines all of it in
//! one place.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name in SQL.
    pub name: &'static str,
    /// Its type's name (`Utf8`, `Int32`...), as in the README.
    pub type_name: &'static str,
    /// Its Arrow type.
    pub data_type: DataType,
    /// Whether it may hold nulls.
    pub nullable: bool,
    /// What it holds, in a line (the doc comment of its definition).
    pub doc: &'static str,
}

impl Column {
    /// The Arrow field.
    pub fn field(&self) -> Field {
        Field::new(self.name, self.data_type.clone(), self.nullable)
    }

    /// The type as the README's tables write it: `Utf8`, or `Utf8, null` when
    /// nullable.
    pub fn type_label(&self) -> String {
        if self.nullable { format!("{}, null", self.type_name) } else { self.type_name.to_string() }
    }
}

/// A table: everything docsql knows about it, made by the `table!` macro.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The table's name in SQL, and its folder in a store.
    pub name: &'static str,
    /// What a row is, in a line.
    pub doc: &'static str,
    /// The columns, in order.
    pub columns: &'static [Column],
    /// The Arrow schema (built once).
    #[doc(hidden)]
    pub schema: fn() -> SchemaRef,
    /// A fresh builder of rows.
    #[doc(hidden)]
    pub new_builder: fn() -> Box<dyn RowBuilder>,
}

impl Table {
    /// The Arrow schema of the table.
    pub fn schema(&self) -> SchemaRef {
        (self.schema)()
    }

    /// An empty builder of this table's rows.
    pub fn builder(&self) -> Box<dyn RowBuilder> {
        (self.new_builder)()
    }

    /// The Arrow schema, built from the columns (what [`Table::schema`] caches).
    pub fn build_schema(&self) -> SchemaRef {
        Arc::new(Schema::new(self.columns.iter().map(Column::field).collect::<Vec<_>>()))
    }
}

/// Accumulates the rows of one table.
pub trait RowBuilder {
    /// Adds the rows of one analysed document (`offsets` converts its byte
    /// offsets to character offsets).
    fn push(&mut self, doc: &Document, analysis: &Analysis, offsets: &CharOffsets);
    /// The rows added, as one batch.
    fn finish(self: Box<Self>) -> RecordBatch;
}

/// Finishes a batch; the generated builders guarantee that columns match the
/// schema, so a mismatch is a programming error worth a loud failure in tests.
#[doc(hidden)]
pub fn finish_batch(schema: SchemaRef, columns: Vec<ArrayRef>) -> RecordBatch {
    RecordBatch::try_new(schema, columns).expect("table builder columns match their schema")
}

/// Defines a table in one place: its name, its columns (name, type, doc line)
/// and the function that turns a document into rows.
///
/// ```ignore
/// table! {
///     /// one row per numeric fact
///     pub const FIGURES = "figures";
///     row FigureRow, builder FiguresBuilder, rows push_rows;
///     columns {
///         /// upper end of a range
///         value_max: Nullable<Float64>,
///     }
/// }
/// fn push_rows(out: &mut FiguresBuilder, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
///     out.append(FigureRow { value_max: figure.value_max, /* every column */ });
/// }
/// ```
///
/// This makes the [`Table`] constant, a `schema()` function, the row struct
/// (one field per column, of the column type's value: `Option<f64>` for a
/// `Nullable<Float64>`), and the builder with its `append(row)`. A column added
/// to the list and not to the row fails to compile.
macro_rules! table {
    (
        $(#[doc = $table_doc:literal])*
        $vis:vis const $table:ident = $name:literal;
        row $row:ident, builder $builder:ident, rows $rows:path;
        columns {
            $( $(#[doc = $doc:literal])+ $column:ident: $kind:ty, )+
        }
    ) => {
        $(#[doc = $table_doc])*
        $vis const $table: $crate::tables::Table = $crate::tables::Table {
            name: $name,
            doc: concat!($($table_doc),*),
            columns: &[$(
                $crate::tables::Column {
                    name: stringify!($column),
                    type_name: <$kind as $crate::tables::ColumnType>::NAME,
                    data_type: <$kind as $crate::tables::ColumnType>::DATA_TYPE,
                    nullable: <$kind as $crate::tables::ColumnType>::NULLABLE,
                    doc: concat!($($doc),+),
                },
            )+],
            schema,
            new_builder: || -> Box<dyn $crate::tables::RowBuilder> { Box::<$builder>::default() },
        };

        #[doc = concat!("The schema of `", $name, "`.")]
        pub fn schema() -> ::datafusion::arrow::datatypes::SchemaRef {
            static SCHEMA: ::std::sync::LazyLock<::datafusion::arrow::datatypes::SchemaRef> =
                ::std::sync::LazyLock::new(|| $table.build_schema());
            SCHEMA.clone()
        }

        #[doc = concat!("One row of `", $name, "`: a value per column.")]
        pub struct $row<'a> {
            $(
                $(#[doc = $doc])+
                pub $column: <$kind as $crate::tables::ColumnType>::Value<'a>,
            )+
        }

        #[doc = concat!("Accumulates `", $name, "` rows.")]
        #[derive(Default)]
        pub struct $builder {
            $( $column: <$kind as $crate::tables::ColumnType>::Builder, )+
        }

        impl $builder {
            /// Adds one row.
            #[inline]
            pub fn append(&mut self, row: $row<'_>) {
                $( <$kind as $crate::tables::ColumnType>::append(&mut self.$column, row.$column); )+
            }
        }

        impl $crate::tables::RowBuilder for $builder {
            fn push(
                &mut self,
                doc: &$crate::corpus::Document,
                analysis: &$crate::extract::Analysis,
                offsets: &$crate::extract::CharOffsets,
            ) {
                $rows(self, doc, analysis, offsets)
            }

            fn finish(mut self: Box<Self>) -> ::datafusion::arrow::array::RecordBatch {
                let columns = vec![
                    $( ::datafusion::arrow::array::ArrayBuilder::finish(&mut self.$column), )+
                ];
                $crate::tables::finish_batch(schema(), columns)
            }
        }
    };
}

pub(crate) use table;
