//! Short names the generated tables use, so that one property fits on one line.

use super::{PropSpec, PropType};

/// A string (numbers and booleans are coerced to it).
pub(super) const S: PropType = PropType::String;
/// An integer (numeric strings are coerced to it).
pub(super) const I: PropType = PropType::Integer;
/// A number (numeric strings are coerced to it).
pub(super) const N: PropType = PropType::Number;
/// A boolean (`"true"`/`"false"` strings are coerced to it).
pub(super) const B: PropType = PropType::Boolean;
/// A free-form JSON object.
pub(super) const J: PropType = PropType::Json;
/// Anything at all: the schema does not constrain the value.
pub(super) const ANY: PropType = PropType::Any;

/// An optional property.
pub(super) const fn opt(name: &'static str, ty: PropType) -> PropSpec {
    PropSpec { name, ty, required: false }
}

/// A required property.
pub(super) const fn req(name: &'static str, ty: PropType) -> PropSpec {
    PropSpec { name, ty, required: true }
}
