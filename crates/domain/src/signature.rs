//! The signature drawn on the pad: what makes it one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The ink must run at least this far (pad pixels): a dot or a dash is not a signature.
pub const MIN_INK_LENGTH: f32 = 120.0;

/// Why what was drawn is not taken as a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignatureProblem {
    #[error("the signature is empty")]
    Empty,
    #[error("the signature is too short to be a signature")]
    TooShort,
}

/// Judges the ink: how many points were drawn, how far the ink ran.
pub fn judge_signature(points: usize, ink_length: f32) -> Result<(), SignatureProblem> {
    match (points, ink_length) {
        (0, _) => Err(SignatureProblem::Empty),
        (_, length) if length < MIN_INK_LENGTH => Err(SignatureProblem::TooShort),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_pad_or_a_dash_is_no_signature() {
        assert_eq!(judge_signature(0, 0.0), Err(SignatureProblem::Empty));
        assert_eq!(judge_signature(2, MIN_INK_LENGTH - 1.0), Err(SignatureProblem::TooShort));
        assert_eq!(judge_signature(40, MIN_INK_LENGTH), Ok(()));
    }
}
