//! What an approved centre records (guide steps 04 and 08, the centre's side): a trainee and one
//! training, checked against the rules before it is queued, and again by the server.
//!
//! Like the registration, the record travels as plain strings ([`TrainingRecordInput`]) so that
//! each wrong field gets its own error; [`validate_record`] turns it into a [`TrainingRecord`].

use crate::contact::{clean_name, Email};
use crate::form::{name_error, FieldError};
use crate::licence::{LicenceKind, LicenceNumber, LicenceNumberError};
use crate::registration::{check_birth_date, parse_iso_date};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use ts_rs::TS;

/// FCO: each sequence lasts at least this many hours.
pub const FCO_MIN_SEQUENCE_HOURS: u32 = 7;
/// FCO without sequences: this many consecutive days.
pub const FCO_CONSECUTIVE_DAYS: i64 = 5;
/// FIMO: within 4 consecutive weeks.
pub const FIMO_MAX_DAYS: i64 = 28;
/// No training of the regulation lasts longer; more is a typing mistake.
pub const MAX_HOURS: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrainingKind {
    /// Long initial qualification, 280 hours, with an exam.
    LongInitial,
    /// Fast initial qualification (FIMO), 140 hours over 4 weeks.
    Fimo,
    /// Continuing training (FCO), 35 hours every 5 years.
    Fco,
    /// Bridge from goods to passengers or back, 35 hours.
    Passerelle,
}

impl TrainingKind {
    pub const ALL: [TrainingKind; 4] = [Self::LongInitial, Self::Fimo, Self::Fco, Self::Passerelle];

    pub fn min_hours(self) -> u32 {
        match self {
            Self::LongInitial => 280,
            Self::Fimo => 140,
            Self::Fco | Self::Passerelle => 35,
        }
    }

    /// Continuing training, as opposed to the initial qualification (its recaps expire).
    pub fn is_continuing(self) -> bool {
        self == Self::Fco
    }

    /// The name printed on recaps and certificates.
    pub fn title_fr(self) -> &'static str {
        match self {
            Self::LongInitial => "Qualification initiale longue",
            Self::Fimo => "Formation initiale minimale obligatoire (FIMO)",
            Self::Fco => "Formation continue obligatoire (FCO)",
            Self::Passerelle => "Formation passerelle",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Qualification {
    /// Marchandises: licences C1, C1E, C, CE.
    Goods,
    /// Voyageurs: licences D1, D1E, D, DE.
    Passengers,
}

impl Qualification {
    pub fn title_fr(self) -> &'static str {
        match self {
            Self::Goods => "Marchandises",
            Self::Passengers => "Voyageurs",
        }
    }
}

/// The licence categories a qualification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub enum LicenceCategory {
    C1,
    C1E,
    C,
    CE,
    D1,
    D1E,
    D,
    DE,
}

impl LicenceCategory {
    pub fn qualification(self) -> Qualification {
        match self {
            Self::C1 | Self::C1E | Self::C | Self::CE => Qualification::Goods,
            Self::D1 | Self::D1E | Self::D | Self::DE => Qualification::Passengers,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrainingOutcome {
    Passed,
    Failed,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct SequenceInput {
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    pub hours: String,
}

/// A trainee and one training, as the centre's form or CSV row gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct TrainingRecordInput {
    pub last_name: String,
    pub first_names: String,
    pub birth_date: String,
    pub licence_kind: Option<LicenceKind>,
    pub licence_number: String,
    pub email: String,
    pub kind: Option<TrainingKind>,
    pub qualification: Option<Qualification>,
    pub start_date: String,
    pub end_date: String,
    pub hours: String,
    #[serde(default)]
    pub sequences: Vec<SequenceInput>,
    pub outcome: Option<TrainingOutcome>,
    /// A passerelle's target licence category, held by the trainee.
    #[serde(default)]
    pub target_category: Option<LicenceCategory>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrainingField {
    LastName,
    FirstNames,
    BirthDate,
    LicenceKind,
    LicenceNumber,
    Email,
    Kind,
    Qualification,
    StartDate,
    EndDate,
    Hours,
    Sequences,
    Outcome,
    TargetCategory,
}

pub type TrainingFieldErrors = BTreeMap<TrainingField, FieldError>;

// ts-rs exports types, not aliases: this names the map for TypeScript (the commands' contract).
/// The errors of a training's record, by field.
#[derive(TS)]
#[ts(export, rename = "TrainingFieldErrors")]
#[allow(dead_code)]
struct TrainingFieldErrorsExport(TrainingFieldErrors);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub date: Date,
    pub hours: u32,
}

/// A trainee and a training whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    pub last_name: String,
    pub first_names: String,
    pub birth_date: Date,
    pub licence: LicenceNumber,
    pub email: Email,
    pub kind: TrainingKind,
    pub qualification: Qualification,
    pub start: Date,
    pub end: Date,
    pub hours: u32,
    pub sequences: Vec<Sequence>,
    pub outcome: TrainingOutcome,
    pub target_category: Option<LicenceCategory>,
}

impl TrainingRecord {
    /// A passed training entitles the trainee to a (new) card and so to a certificate.
    pub fn entitles_to_card(&self) -> bool {
        self.outcome == TrainingOutcome::Passed
    }

    pub fn trainee_name(&self) -> String {
        format!("{} {}", self.first_names, self.last_name)
    }

    /// The record as a form again: what a rejected record is corrected from.
    pub fn to_input(&self) -> TrainingRecordInput {
        TrainingRecordInput {
            last_name: self.last_name.clone(),
            first_names: self.first_names.clone(),
            birth_date: self.birth_date.to_string(),
            licence_kind: Some(self.licence.kind()),
            licence_number: self.licence.as_str().to_owned(),
            email: self.email.to_string(),
            kind: Some(self.kind),
            qualification: Some(self.qualification),
            start_date: self.start.to_string(),
            end_date: self.end.to_string(),
            hours: self.hours.to_string(),
            sequences: self
                .sequences
                .iter()
                .map(|s| SequenceInput { date: s.date.to_string(), hours: s.hours.to_string() })
                .collect(),
            outcome: Some(self.outcome),
            target_category: self.target_category,
        }
    }
}

/// Checks a trainee and a training against the rules, as of `today`, reporting every wrong field.
pub fn validate_record(input: &TrainingRecordInput, today: Date) -> Result<TrainingRecord, TrainingFieldErrors> {
    let mut errors = TrainingFieldErrors::new();

    let last_name = note(&mut errors, TrainingField::LastName, clean_name(&input.last_name).map_err(name_error));
    let first_names = note(&mut errors, TrainingField::FirstNames, clean_name(&input.first_names).map_err(name_error));
    let birth_date = note(&mut errors, TrainingField::BirthDate, check_birth_date(&input.birth_date, today));
    let licence = match input.licence_kind {
        None => note(&mut errors, TrainingField::LicenceKind, Err(FieldError::Required)),
        Some(kind) => note(
            &mut errors,
            TrainingField::LicenceNumber,
            LicenceNumber::parse(kind, &input.licence_number).map_err(|error| match error {
                LicenceNumberError::Empty => FieldError::Required,
                error => FieldError::Licence { error },
            }),
        ),
    };
    let email = note(
        &mut errors,
        TrainingField::Email,
        match input.email.trim() {
            "" => Err(FieldError::Required),
            typed => Email::parse(typed).map_err(|_| FieldError::InvalidEmail),
        },
    );
    let kind = note(&mut errors, TrainingField::Kind, input.kind.ok_or(FieldError::Required));
    let qualification =
        note(&mut errors, TrainingField::Qualification, input.qualification.ok_or(FieldError::Required));
    let outcome = note(&mut errors, TrainingField::Outcome, input.outcome.ok_or(FieldError::Required));
    let start = note(&mut errors, TrainingField::StartDate, past_date(&input.start_date, today));
    let end = note(&mut errors, TrainingField::EndDate, past_date(&input.end_date, today));
    let hours = note(&mut errors, TrainingField::Hours, whole_hours(&input.hours));
    let sequences = note(
        &mut errors,
        TrainingField::Sequences,
        input
            .sequences
            .iter()
            .map(|s| {
                let date = parse_iso_date(&s.date).ok_or(FieldError::InvalidDate)?;
                Ok(Sequence { date, hours: whole_hours(&s.hours)? })
            })
            .collect::<Result<Vec<_>, _>>(),
    );

    // The rules that tie fields together, each reported on the field to change.
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            note(&mut errors, TrainingField::EndDate, Err::<(), _>(FieldError::EndBeforeStart));
        } else if let Some(kind) = kind {
            if let Err((name, error)) = check_kind_rules(kind, start, end, hours, sequences.as_deref()) {
                note(&mut errors, name, Err::<(), _>(error));
            }
        }
    }
    match (kind, input.target_category, qualification) {
        (Some(TrainingKind::Passerelle), None, _) => {
            note(&mut errors, TrainingField::TargetCategory, Err::<(), _>(FieldError::Required));
        }
        (Some(TrainingKind::Passerelle), Some(category), Some(q)) if category.qualification() != q => {
            note(&mut errors, TrainingField::TargetCategory, Err::<(), _>(FieldError::CategoryNotOfQualification));
        }
        (Some(kind), Some(_), _) if kind != TrainingKind::Passerelle => {
            note(&mut errors, TrainingField::TargetCategory, Err::<(), _>(FieldError::CategoryOnlyForPasserelle));
        }
        _ => {}
    }

    let record = || {
        Some(TrainingRecord {
            last_name: last_name?,
            first_names: first_names?,
            birth_date: birth_date?,
            licence: licence?,
            email: email?,
            kind: kind?,
            qualification: qualification?,
            start: start?,
            end: end?,
            hours: hours?,
            sequences: sequences?,
            outcome: outcome?,
            target_category: input.target_category,
        })
    };
    match record() {
        Some(record) if errors.is_empty() => Ok(record),
        _ => Err(errors),
    }
}

/// Keeps a field's value, or records its error.
fn note<T>(errors: &mut TrainingFieldErrors, field: TrainingField, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|error| errors.insert(field, error)).ok()
}

fn past_date(input: &str, today: Date) -> Result<Date, FieldError> {
    if input.trim().is_empty() {
        return Err(FieldError::Required);
    }
    let date = parse_iso_date(input).ok_or(FieldError::InvalidDate)?;
    // A training is recorded once it has happened.
    if date > today {
        return Err(FieldError::DateInFuture);
    }
    Ok(date)
}

fn whole_hours(input: &str) -> Result<u32, FieldError> {
    match input.trim() {
        "" => Err(FieldError::Required),
        typed => typed.parse::<u32>().map_err(|_| FieldError::InvalidNumber),
    }
}

/// Hours, duration and sequences for each kind of training.
fn check_kind_rules(
    kind: TrainingKind,
    start: Date,
    end: Date,
    hours: Option<u32>,
    sequences: Option<&[Sequence]>,
) -> Result<(), (TrainingField, FieldError)> {
    if let Some(hours) = hours {
        if hours < kind.min_hours() {
            return Err((TrainingField::Hours, FieldError::TooFewHours { min: kind.min_hours() }));
        }
        if hours > MAX_HOURS {
            return Err((TrainingField::Hours, FieldError::TooManyHours { max: MAX_HOURS }));
        }
    }
    let sequences = sequences.unwrap_or_default();
    if !sequences.is_empty() && kind != TrainingKind::Fco {
        return Err((TrainingField::Sequences, FieldError::SequencesOnlyForFco));
    }
    let days = (end - start).whole_days() + 1;
    match kind {
        TrainingKind::Fimo if days > FIMO_MAX_DAYS => Err((TrainingField::EndDate, FieldError::LongerThanFourWeeks)),
        TrainingKind::Fco if sequences.is_empty() && days != FCO_CONSECUTIVE_DAYS => {
            Err((TrainingField::EndDate, FieldError::NotFiveConsecutiveDays))
        }
        TrainingKind::Fco if !sequences.is_empty() => check_sequences(start, end, hours, sequences),
        _ => Ok(()),
    }
}

fn check_sequences(
    start: Date,
    end: Date,
    hours: Option<u32>,
    sequences: &[Sequence],
) -> Result<(), (TrainingField, FieldError)> {
    let fail = |error| Err((TrainingField::Sequences, error));
    if sequences.iter().any(|s| s.hours < FCO_MIN_SEQUENCE_HOURS) {
        return fail(FieldError::SequenceTooShort { min_hours: FCO_MIN_SEQUENCE_HOURS });
    }
    let in_order = sequences.windows(2).all(|pair| pair[0].date < pair[1].date);
    let first_and_last =
        sequences.first().map(|s| s.date) == Some(start) && sequences.last().map(|s| s.date) == Some(end);
    if !in_order || !first_and_last {
        return fail(FieldError::SequencesOutsideDates);
    }
    if hours.is_some_and(|hours| sequences.iter().map(|s| s.hours).sum::<u32>() != hours) {
        return fail(FieldError::SequencesDoNotAddUp);
    }
    Ok(())
}

/// Valid records for tests here and in other crates (feature `fixtures`).
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures {
    use super::*;

    /// A passed FCO for goods over 5 consecutive days, ended on 20 November 2026, of the driver
    /// of [`crate::registration::fixtures::valid_input`].
    pub fn valid_fco() -> TrainingRecordInput {
        TrainingRecordInput {
            last_name: "Dupont".into(),
            first_names: "Jean Pierre".into(),
            birth_date: "1985-03-14".into(),
            licence_kind: Some(LicenceKind::Card),
            licence_number: "13AA00002".into(),
            email: "jean.dupont@exemple.fr".into(),
            kind: Some(TrainingKind::Fco),
            qualification: Some(Qualification::Goods),
            start_date: "2026-11-16".into(),
            end_date: "2026-11-20".into(),
            hours: "35".into(),
            sequences: Vec::new(),
            outcome: Some(TrainingOutcome::Passed),
            target_category: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::valid_fco;
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn errors_of(input: &TrainingRecordInput) -> TrainingFieldErrors {
        validate_record(input, TODAY).unwrap_err()
    }

    fn with(change: impl FnOnce(&mut TrainingRecordInput)) -> TrainingRecordInput {
        let mut input = valid_fco();
        change(&mut input);
        input
    }

    fn seq(date: &str, hours: u32) -> SequenceInput {
        SequenceInput { date: date.into(), hours: hours.to_string() }
    }

    #[test]
    fn a_complete_fco_over_five_consecutive_days_is_accepted() {
        let record = validate_record(&valid_fco(), TODAY).unwrap();
        assert_eq!(record.hours, 35);
        assert!(record.entitles_to_card());
        assert_eq!(validate_record(&record.to_input(), TODAY).unwrap(), record);
    }

    #[test]
    fn an_empty_record_names_every_required_field() {
        let errors = errors_of(&TrainingRecordInput::default());
        for field in [
            TrainingField::LastName,
            TrainingField::FirstNames,
            TrainingField::BirthDate,
            TrainingField::LicenceKind,
            TrainingField::Email,
            TrainingField::Kind,
            TrainingField::Qualification,
            TrainingField::StartDate,
            TrainingField::EndDate,
            TrainingField::Hours,
            TrainingField::Outcome,
        ] {
            assert_eq!(errors.get(&field), Some(&FieldError::Required), "{field:?}");
        }
    }

    #[test]
    fn hours_below_the_minimum_of_each_kind_are_refused() {
        // (kind, start, end, hours, accepted)
        let table = [
            (TrainingKind::LongInitial, "2026-01-05", "2026-06-30", 280, true),
            (TrainingKind::LongInitial, "2026-01-05", "2026-06-30", 279, false),
            (TrainingKind::Fimo, "2026-10-05", "2026-10-30", 140, true),
            (TrainingKind::Fimo, "2026-10-05", "2026-10-30", 139, false),
            (TrainingKind::Fco, "2026-11-16", "2026-11-20", 35, true),
            (TrainingKind::Fco, "2026-11-16", "2026-11-20", 34, false),
            (TrainingKind::Passerelle, "2026-11-16", "2026-11-20", 35, true),
            (TrainingKind::Passerelle, "2026-11-16", "2026-11-20", 34, false),
        ];
        for (kind, start, end, hours, accepted) in table {
            let input = with(|i| {
                i.kind = Some(kind);
                i.start_date = start.into();
                i.end_date = end.into();
                i.hours = hours.to_string();
                if kind == TrainingKind::Passerelle {
                    i.target_category = Some(LicenceCategory::C);
                }
            });
            let result = validate_record(&input, TODAY);
            assert_eq!(result.is_ok(), accepted, "{kind:?} {hours} h: {result:?}");
            if !accepted {
                assert_eq!(
                    result.unwrap_err()[&TrainingField::Hours],
                    FieldError::TooFewHours { min: kind.min_hours() }
                );
            }
        }
    }

    #[test]
    fn hours_must_be_a_whole_number_and_sensible() {
        assert_eq!(errors_of(&with(|i| i.hours = "35,5".into()))[&TrainingField::Hours], FieldError::InvalidNumber);
        assert_eq!(
            errors_of(&with(|i| i.hours = "3500".into()))[&TrainingField::Hours],
            FieldError::TooManyHours { max: MAX_HOURS }
        );
    }

    #[test]
    fn fimo_lasts_four_consecutive_weeks_at_most() {
        let fimo = |end: &str| {
            with(|i| {
                i.kind = Some(TrainingKind::Fimo);
                i.hours = "140".into();
                i.start_date = "2026-10-01".into();
                i.end_date = end.into();
            })
        };
        assert!(validate_record(&fimo("2026-10-28"), TODAY).is_ok(), "28 days");
        assert_eq!(errors_of(&fimo("2026-10-29"))[&TrainingField::EndDate], FieldError::LongerThanFourWeeks);
    }

    #[test]
    fn fco_without_sequences_takes_exactly_five_consecutive_days() {
        for (end, ok) in [("2026-11-19", false), ("2026-11-20", true), ("2026-11-21", false)] {
            let result = validate_record(&with(|i| i.end_date = end.into()), TODAY);
            assert_eq!(result.is_ok(), ok, "{end}");
            if !ok {
                assert_eq!(result.unwrap_err()[&TrainingField::EndDate], FieldError::NotFiveConsecutiveDays);
            }
        }
    }

    #[test]
    fn fco_in_sequences_of_at_least_seven_hours_is_accepted() {
        let input = with(|i| {
            i.start_date = "2026-09-07".into();
            i.end_date = "2026-11-02".into();
            i.sequences = vec![
                seq("2026-09-07", 7),
                seq("2026-09-21", 7),
                seq("2026-10-05", 7),
                seq("2026-10-19", 7),
                seq("2026-11-02", 7),
            ];
        });
        assert_eq!(validate_record(&input, TODAY).unwrap().sequences.len(), 5);
    }

    #[test]
    fn fco_sequences_that_break_a_rule_are_refused_with_the_rule() {
        let base = |sequences: Vec<SequenceInput>, hours: u32| {
            with(|i| {
                i.start_date = "2026-09-07".into();
                i.end_date = "2026-09-28".into();
                i.hours = hours.to_string();
                i.sequences = sequences;
            })
        };
        let cases = [
            (
                base(vec![seq("2026-09-07", 6), seq("2026-09-14", 8), seq("2026-09-21", 14), seq("2026-09-28", 7)], 35),
                FieldError::SequenceTooShort { min_hours: 7 },
            ),
            (
                base(vec![seq("2026-09-07", 14), seq("2026-09-21", 14), seq("2026-09-14", 7)], 35),
                FieldError::SequencesOutsideDates,
            ),
            (base(vec![seq("2026-09-08", 21), seq("2026-09-28", 14)], 35), FieldError::SequencesOutsideDates),
            (base(vec![seq("2026-09-07", 14), seq("2026-09-28", 14)], 35), FieldError::SequencesDoNotAddUp),
        ];
        for (input, expected) in cases {
            assert_eq!(errors_of(&input)[&TrainingField::Sequences], expected, "{:?}", input.sequences);
        }
        let fimo_with_sequences = with(|i| {
            i.kind = Some(TrainingKind::Fimo);
            i.hours = "140".into();
            i.sequences = vec![seq("2026-11-16", 140)];
        });
        assert_eq!(errors_of(&fimo_with_sequences)[&TrainingField::Sequences], FieldError::SequencesOnlyForFco);
    }

    #[test]
    fn dates_must_be_in_order_and_not_in_the_future() {
        let reversed = with(|i| {
            i.start_date = "2026-11-20".into();
            i.end_date = "2026-11-16".into();
        });
        assert_eq!(errors_of(&reversed)[&TrainingField::EndDate], FieldError::EndBeforeStart);
        let future = with(|i| i.end_date = "2026-11-26".into());
        assert_eq!(errors_of(&future)[&TrainingField::EndDate], FieldError::DateInFuture);
        let garbled = with(|i| i.start_date = "16/11/2026".into());
        assert_eq!(errors_of(&garbled)[&TrainingField::StartDate], FieldError::InvalidDate);
    }

    #[test]
    fn passerelle_needs_the_target_licence_category_of_its_qualification() {
        let passerelle = |category| {
            with(|i| {
                i.kind = Some(TrainingKind::Passerelle);
                i.qualification = Some(Qualification::Passengers);
                i.target_category = category;
            })
        };
        assert_eq!(errors_of(&passerelle(None))[&TrainingField::TargetCategory], FieldError::Required);
        assert_eq!(
            errors_of(&passerelle(Some(LicenceCategory::CE)))[&TrainingField::TargetCategory],
            FieldError::CategoryNotOfQualification
        );
        assert!(validate_record(&passerelle(Some(LicenceCategory::D)), TODAY).is_ok());
        let fco_with_category = with(|i| i.target_category = Some(LicenceCategory::C));
        assert_eq!(
            errors_of(&fco_with_category)[&TrainingField::TargetCategory],
            FieldError::CategoryOnlyForPasserelle
        );
    }

    #[test]
    fn the_trainee_licence_number_is_checked_like_at_registration() {
        let neph = with(|i| i.licence_number = "123456789012".into());
        assert_eq!(
            errors_of(&neph)[&TrainingField::LicenceNumber],
            FieldError::Licence { error: LicenceNumberError::NephInsteadOfNumber }
        );
        let minor = with(|i| i.birth_date = "2012-01-01".into());
        assert!(matches!(errors_of(&minor)[&TrainingField::BirthDate], FieldError::TooYoung { .. }));
    }

    #[test]
    fn a_failed_training_gives_a_recap_but_no_card() {
        let failed = validate_record(&with(|i| i.outcome = Some(TrainingOutcome::Failed)), TODAY).unwrap();
        assert!(!failed.entitles_to_card());
    }

    #[test]
    fn categories_belong_to_their_qualification() {
        for c in [LicenceCategory::C1, LicenceCategory::C1E, LicenceCategory::C, LicenceCategory::CE] {
            assert_eq!(c.qualification(), Qualification::Goods);
        }
        for c in [LicenceCategory::D1, LicenceCategory::D1E, LicenceCategory::D, LicenceCategory::DE] {
            assert_eq!(c.qualification(), Qualification::Passengers);
        }
    }
}
