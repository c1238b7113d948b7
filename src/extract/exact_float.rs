//! Serde adapters that write floats as their bit patterns, so an [`Analysis`]
//! sent through JSON (a cluster build) comes back bit for bit: JSON readers
//! may round a decimal float by one unit in the last place.
//!
//! [`Analysis`]: super::Analysis

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An `f64` as its `u64` bits.
pub mod f64_bits {
    use super::*;

    /// Writes the bits.
    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        value.to_bits().serialize(serializer)
    }

    /// Reads the bits.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

/// An `Option<f64>` as its `u64` bits.
pub mod option_f64_bits {
    use super::*;

    /// Writes the bits.
    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(f64::to_bits).serialize(serializer)
    }

    /// Reads the bits.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        Option::<u64>::deserialize(deserializer).map(|bits| bits.map(f64::from_bits))
    }
}

/// An `Option<f32>` as its `u32` bits.
pub mod option_f32_bits {
    use super::*;

    /// Writes the bits.
    pub fn serialize<S: Serializer>(value: &Option<f32>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(f32::to_bits).serialize(serializer)
    }

    /// Reads the bits.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f32>, D::Error> {
        Option::<u32>::deserialize(deserializer).map(|bits| bits.map(f32::from_bits))
    }
}
