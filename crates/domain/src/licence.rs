//! French driving-licence numbers, and the entry help the registration form shows.
//!
//! Two formats exist. The card licence (issued since 16 September 2013) prints the number in field
//! 5, « numéro de titre »: 2 digits, 2 letters, 5 digits (`13AA00002`). The old pink paper licence
//! prints a 12-character number: year and month of issue (YYMM), the département (2 digits, or
//! 2A/2B for Corsica) and 6 digits. The card licence also prints, on its back, the 12-digit NEPH:
//! it is *not* the licence number, and typing it is the most common mistake.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which licence the driver holds; it decides the expected format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LicenceKind {
    /// The credit-card-sized licence, issued since 16 September 2013.
    Card,
    /// The old three-fold pink paper licence.
    PinkPaper,
}

/// A licence number that has the format of its kind. Stored normalised: no spaces, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LicenceNumber {
    kind: LicenceKind,
    value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum LicenceNumberError {
    #[error("the licence number is missing")]
    Empty,
    #[error("the licence number is not complete yet")]
    Incomplete,
    #[error("these 12 digits are the NEPH from the back of the card licence, not its number")]
    NephInsteadOfNumber,
    #[error("this number has the card-licence format, but the pink paper licence was chosen")]
    CardNumberOnPinkLicence,
    #[error("a card licence number is 2 digits, 2 letters and 5 digits")]
    CardFormat,
    #[error("a pink licence number is 12 characters: YYMM, the département and 6 digits")]
    PinkFormat,
    #[error("month {month} does not exist")]
    PinkMonth { month: String },
    #[error("département {departement} does not exist")]
    PinkDepartement { departement: String },
}

/// One meaningful part of a licence number, for the entry help (« ce que signifie chaque partie »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct LicencePart {
    pub meaning: LicencePartMeaning,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LicencePartMeaning {
    YearOfIssue,
    MonthOfIssue,
    Series,
    Departement,
    SerialNumber,
}

/// What the entry help shows while the driver types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct LicenceAnalysis {
    pub normalized: String,
    pub parts: Vec<LicencePart>,
    pub error: Option<LicenceNumberError>,
}

impl LicenceNumber {
    pub fn parse(kind: LicenceKind, input: &str) -> Result<Self, LicenceNumberError> {
        let value = normalize(input);
        check(kind, &value)?;
        Ok(Self { kind, value })
    }

    pub fn kind(&self) -> LicenceKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl std::fmt::Display for LicenceNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.value)
    }
}

/// The live help: the normalised input cut into its meaningful parts, and what is wrong, if any.
/// A valid prefix of the expected format is reported as `Incomplete`, not as a format error.
pub fn analyse(kind: LicenceKind, input: &str) -> LicenceAnalysis {
    let normalized = normalize(input);
    let error = check(kind, &normalized).err();
    // Naming the parts of a wrong number would explain a mistake as if it were right.
    let parts = match error {
        None | Some(LicenceNumberError::Incomplete) => parts_of(kind, &normalized),
        Some(_) => Vec::new(),
    };
    LicenceAnalysis { normalized, parts, error }
}

/// The one spelling of a licence number, stored and compared everywhere: without spaces (of any
/// kind), dashes or dots, in capitals. `13-AA-00002`, `13 aa 00002` and `13AA00002` are one number.
pub fn normalize(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '.').flat_map(char::to_uppercase).collect()
}

const CARD_PATTERN: [CharClass; 9] = {
    use CharClass::{Digit as D, Letter as L};
    [D, D, L, L, D, D, D, D, D]
};

#[derive(Clone, Copy)]
enum CharClass {
    Digit,
    Letter,
}

impl CharClass {
    fn accepts(self, c: char) -> bool {
        match self {
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Letter => c.is_ascii_uppercase(),
        }
    }
}

fn matches_prefix(pattern: &[CharClass], value: &str) -> bool {
    value.chars().count() <= pattern.len() && value.chars().zip(pattern).all(|(c, class)| class.accepts(c))
}

fn is_card_number(value: &str) -> bool {
    value.len() == CARD_PATTERN.len() && matches_prefix(&CARD_PATTERN, value)
}

fn check(kind: LicenceKind, value: &str) -> Result<(), LicenceNumberError> {
    if value.is_empty() {
        return Err(LicenceNumberError::Empty);
    }
    match kind {
        LicenceKind::Card => check_card(value),
        LicenceKind::PinkPaper => check_pink(value),
    }
}

fn check_card(value: &str) -> Result<(), LicenceNumberError> {
    if is_card_number(value) {
        return Ok(());
    }
    if value.chars().all(|c| c.is_ascii_digit()) && value.len() >= 10 {
        // Ten or more digits in a row can only come from the NEPH on the back of the card.
        return Err(LicenceNumberError::NephInsteadOfNumber);
    }
    if matches_prefix(&CARD_PATTERN, value) {
        return Err(LicenceNumberError::Incomplete);
    }
    Err(LicenceNumberError::CardFormat)
}

fn check_pink(value: &str) -> Result<(), LicenceNumberError> {
    if is_card_number(value) {
        return Err(LicenceNumberError::CardNumberOnPinkLicence);
    }
    let chars: Vec<char> = value.chars().collect();
    let digits = |range: std::ops::Range<usize>| chars[range].iter().all(char::is_ascii_digit);
    let shape_ok_up_to = |len: usize| -> bool {
        (0..len).all(|i| match i {
            4 => chars[i].is_ascii_digit() || chars[i] == '2',
            5 => chars[i].is_ascii_digit() || (chars[4] == '2' && matches!(chars[i], 'A' | 'B')),
            _ => chars[i].is_ascii_digit(),
        })
    };
    if chars.len() > 12 || !shape_ok_up_to(chars.len()) {
        return Err(LicenceNumberError::PinkFormat);
    }
    if chars.len() >= 4 {
        let month: String = chars[2..4].iter().collect();
        if !(1..=12).contains(&month.parse::<u8>().unwrap_or(0)) {
            return Err(LicenceNumberError::PinkMonth { month });
        }
    }
    if chars.len() >= 6 {
        let departement: String = chars[4..6].iter().collect();
        if digits(4..6) && !(1..=95).contains(&departement.parse::<u8>().unwrap_or(0)) {
            return Err(LicenceNumberError::PinkDepartement { departement });
        }
    }
    if chars.len() < 12 {
        return Err(LicenceNumberError::Incomplete);
    }
    Ok(())
}

fn parts_of(kind: LicenceKind, value: &str) -> Vec<LicencePart> {
    use LicencePartMeaning::*;
    let layout: &[(usize, usize, LicencePartMeaning)] = match kind {
        LicenceKind::Card => &[(0, 2, YearOfIssue), (2, 4, Series), (4, 9, SerialNumber)],
        LicenceKind::PinkPaper => {
            &[(0, 2, YearOfIssue), (2, 4, MonthOfIssue), (4, 6, Departement), (6, 12, SerialNumber)]
        }
    };
    let chars: Vec<char> = value.chars().collect();
    layout
        .iter()
        .filter(|(start, _, _)| *start < chars.len())
        .map(|&(start, end, meaning)| LicencePart {
            meaning,
            value: chars[start..end.min(chars.len())].iter().collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card(input: &str) -> Result<LicenceNumber, LicenceNumberError> {
        LicenceNumber::parse(LicenceKind::Card, input)
    }

    fn pink(input: &str) -> Result<LicenceNumber, LicenceNumberError> {
        LicenceNumber::parse(LicenceKind::PinkPaper, input)
    }

    #[test]
    fn the_guide_example_of_a_card_licence_number_is_accepted() {
        assert_eq!(card("13AA00002").unwrap().as_str(), "13AA00002");
    }

    #[test]
    fn lowercase_and_spaces_are_normalised() {
        assert_eq!(card(" 13 aa 00002 ").unwrap().as_str(), "13AA00002");
        assert_eq!(pink("8501 75 123456").unwrap().as_str(), "850175123456");
    }

    #[test]
    fn the_neph_from_the_back_of_the_card_licence_is_refused_with_its_own_reason() {
        assert_eq!(card("120575100123"), Err(LicenceNumberError::NephInsteadOfNumber));
        assert_eq!(card("1205 7510 0123"), Err(LicenceNumberError::NephInsteadOfNumber));
    }

    #[test]
    fn corsican_departements_are_accepted_on_pink_licences() {
        assert!(pink("98052A123456").is_ok());
        assert!(pink("98052b123456").is_ok());
        assert_eq!(pink("98052C123456"), Err(LicenceNumberError::PinkFormat));
    }

    #[test]
    fn a_pink_licence_needs_a_real_month_and_departement() {
        assert_eq!(pink("851375123456"), Err(LicenceNumberError::PinkMonth { month: "13".into() }));
        assert_eq!(pink("850100123456").unwrap_err(), LicenceNumberError::PinkDepartement { departement: "00".into() });
        assert_eq!(pink("850196123456").unwrap_err(), LicenceNumberError::PinkDepartement { departement: "96".into() });
        assert_eq!(pink("850000123456"), Err(LicenceNumberError::PinkMonth { month: "00".into() }));
    }

    #[test]
    fn a_card_number_typed_as_a_pink_licence_says_which_kind_to_choose() {
        assert_eq!(pink("13AA00002"), Err(LicenceNumberError::CardNumberOnPinkLicence));
    }

    #[test]
    fn empty_incomplete_and_malformed_numbers_are_told_apart() {
        assert_eq!(card("  "), Err(LicenceNumberError::Empty));
        assert_eq!(card("13A"), Err(LicenceNumberError::Incomplete));
        assert_eq!(card("13AA0000"), Err(LicenceNumberError::Incomplete));
        assert_eq!(card("1AA00002"), Err(LicenceNumberError::CardFormat));
        assert_eq!(card("13AA000021"), Err(LicenceNumberError::CardFormat));
        assert_eq!(pink("8501"), Err(LicenceNumberError::Incomplete));
        assert_eq!(pink("8501751234567"), Err(LicenceNumberError::PinkFormat));
    }

    #[test]
    fn the_entry_help_names_each_part() {
        let help = analyse(LicenceKind::PinkPaper, "850175123456");
        let meanings: Vec<_> = help.parts.iter().map(|p| (p.meaning, p.value.as_str())).collect();
        assert_eq!(
            meanings,
            vec![
                (LicencePartMeaning::YearOfIssue, "85"),
                (LicencePartMeaning::MonthOfIssue, "01"),
                (LicencePartMeaning::Departement, "75"),
                (LicencePartMeaning::SerialNumber, "123456"),
            ]
        );
        assert_eq!(help.error, None);
        let partial = analyse(LicenceKind::Card, "13a");
        assert_eq!(partial.parts.len(), 2);
        assert_eq!(partial.error, Some(LicenceNumberError::Incomplete));
        let neph = analyse(LicenceKind::Card, "120575100123");
        assert_eq!(neph.error, Some(LicenceNumberError::NephInsteadOfNumber));
        assert!(neph.parts.is_empty());
    }

    fn card_number() -> impl Strategy<Value = String> {
        "[0-9]{2}[A-Z]{2}[0-9]{5}"
    }

    fn pink_number() -> impl Strategy<Value = String> {
        (
            "[0-9]{2}",
            1u8..=12,
            prop_oneof![(1u8..=95).prop_map(|d| format!("{d:02}")), Just("2A".to_string()), Just("2B".to_string())],
            "[0-9]{6}",
        )
            .prop_map(|(yy, mm, dep, serial)| format!("{yy}{mm:02}{dep}{serial}"))
    }

    /// Spaces inserted anywhere and any letter case.
    fn as_typed(value: String) -> impl Strategy<Value = String> {
        let len = value.len();
        (proptest::collection::vec(any::<bool>(), len), proptest::collection::vec(any::<bool>(), len)).prop_map(
            move |(spaces, lower)| {
                value
                    .chars()
                    .zip(spaces.iter().zip(&lower))
                    .map(|(c, (&space, &low))| {
                        let c = if low { c.to_ascii_lowercase() } else { c };
                        if space {
                            format!(" {c}")
                        } else {
                            c.to_string()
                        }
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn every_card_number_is_accepted_however_it_is_typed(typed in card_number().prop_flat_map(as_typed)) {
            let parsed = card(&typed).unwrap();
            prop_assert_eq!(parsed.as_str(), normalize(&typed));
        }

        #[test]
        fn every_pink_number_is_accepted_however_it_is_typed(typed in pink_number().prop_flat_map(as_typed)) {
            prop_assert!(pink(&typed).is_ok());
        }

        #[test]
        fn any_twelve_digits_on_a_card_licence_is_the_neph_mistake(digits in "[0-9]{12}") {
            prop_assert_eq!(card(&digits), Err(LicenceNumberError::NephInsteadOfNumber));
        }

        #[test]
        fn every_valid_prefix_of_a_card_number_is_incomplete(number in card_number(), cut in 1usize..9) {
            prop_assert_eq!(card(&number[..cut]), Err(LicenceNumberError::Incomplete));
        }

        #[test]
        fn parsing_never_panics_and_accepted_values_are_normalised(input in "\\PC{0,20}", pink_kind in any::<bool>()) {
            let kind = if pink_kind { LicenceKind::PinkPaper } else { LicenceKind::Card };
            let _ = analyse(kind, &input);
            if let Ok(n) = LicenceNumber::parse(kind, &input) {
                prop_assert!(n.as_str().chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
            }
        }
    }
}
