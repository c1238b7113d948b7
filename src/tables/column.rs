//! Column types: for each Arrow type a table uses, the Rust value a row gives
//! and the Arrow builder that accumulates it.
//!
//! A table definition names a column's type once (`Utf8`, `Nullable<Float64>`)
//! and everything follows from it: the field of the row struct, the builder,
//! the Arrow schema, the name shown in the README and hashed into the store's
//! schema fingerprint. Adding a type means one more `scalar!` line here.

use datafusion::arrow::array::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float32Builder, Float64Builder, Int32Builder, StringBuilder,
};
use datafusion::arrow::datatypes::DataType;

/// The type of a column, as written in a table definition.
pub trait ColumnType {
    /// What a row gives for this column.
    type Value<'a>;
    /// Accumulates the column's values.
    type Builder: ArrayBuilder + Default;
    /// The type's name in the README and the schema fingerprint: `Utf8`, `Int32`...
    const NAME: &'static str;
    /// The Arrow type of the column.
    const DATA_TYPE: DataType;
    /// Whether the column may hold nulls.
    const NULLABLE: bool;
    /// Appends one value.
    fn append(builder: &mut Self::Builder, value: Self::Value<'_>);
}

/// A non-null column type, which [`Nullable`] can wrap.
pub trait Scalar: ColumnType {
    /// Appends a null.
    fn append_null(builder: &mut Self::Builder);
}

/// A column of `T` that may hold nulls; rows give an `Option`.
pub struct Nullable<T>(std::marker::PhantomData<T>);

impl<T: Scalar> ColumnType for Nullable<T> {
    type Value<'a> = Option<T::Value<'a>>;
    type Builder = T::Builder;
    const NAME: &'static str = T::NAME;
    const DATA_TYPE: DataType = T::DATA_TYPE;
    const NULLABLE: bool = true;

    #[inline]
    fn append(builder: &mut Self::Builder, value: Self::Value<'_>) {
        match value {
            Some(value) => T::append(builder, value),
            None => T::append_null(builder),
        }
    }
}

/// Declares a non-null column type: its marker, row value, builder and Arrow type.
macro_rules! scalar {
    ($(#[doc = $doc:literal])* $name:ident, $value:ty, $builder:ty) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl ColumnType for $name {
            type Value<'a> = $value;
            type Builder = $builder;
            const NAME: &'static str = stringify!($name);
            const DATA_TYPE: DataType = DataType::$name;
            const NULLABLE: bool = false;

            #[inline]
            fn append(builder: &mut Self::Builder, value: Self::Value<'_>) {
                builder.append_value(value);
            }
        }

        impl Scalar for $name {
            #[inline]
            fn append_null(builder: &mut Self::Builder) {
                builder.append_null();
            }
        }
    };
}

scalar!(
    /// Text (a row gives `&str`).
    Utf8, &'a str, StringBuilder
);
scalar!(
    /// A 32-bit integer: ids, offsets, counts.
    Int32, i32, Int32Builder
);
scalar!(
    /// A 32-bit float.
    Float32, f32, Float32Builder
);
scalar!(
    /// A 64-bit float.
    Float64, f64, Float64Builder
);
scalar!(
    /// True or false.
    Boolean, bool, BooleanBuilder
);
scalar!(
    /// A date, as days since 1970-01-01.
    Date32, i32, Date32Builder
);

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, AsArray};

    #[test]
    fn nullable_columns_append_values_and_nulls() {
        let mut builder = <Nullable<Utf8> as ColumnType>::Builder::default();
        Nullable::<Utf8>::append(&mut builder, Some("a"));
        Nullable::<Utf8>::append(&mut builder, None);
        let array = ArrayBuilder::finish(&mut builder);
        let strings = array.as_string::<i32>();
        assert_eq!((strings.value(0), strings.is_null(1)), ("a", true));
        const { assert!(<Nullable<Float64> as ColumnType>::NULLABLE && !<Float64 as ColumnType>::NULLABLE) };
        assert_eq!(<Nullable<Date32> as ColumnType>::DATA_TYPE, DataType::Date32);
    }
}
