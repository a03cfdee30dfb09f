//! The account-creation form (guide step 01, profile « Particulier ») and its checks.
//!
//! The form travels as a [`RegistrationInput`] of plain strings, so that a half-filled or wrong
//! form still reaches the checks and each wrong field gets its own error; [`validate`] turns it
//! into a [`Registration`] whose every field is known good.

use crate::contact::{clean_name, AddressError, AddressField, AddressInput, Email, MobilePhone, PostalAddress};
use crate::form::name_error;
pub use crate::form::FieldError;
use crate::licence::{LicenceKind, LicenceNumber, LicenceNumberError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Month};
use ts_rs::TS;

/// The youngest age at which an account can be opened: initial training may start before 18
/// (apprentices), and a minor's certificate is valid from their 18th birthday.
pub const MIN_AGE_YEARS: i32 = 16;
pub const MAX_AGE_YEARS: i32 = 99;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Civility {
    Madame,
    Monsieur,
}

/// The four boxes at the bottom of the form; all four must be ticked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct Consents {
    pub privacy_policy: bool,
    pub terms_of_use: bool,
    pub data_accuracy: bool,
    pub data_processing: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct RegistrationInput {
    /// Empty while the form is being typed; required to register.
    #[schema(required = true)]
    pub civility: Option<Civility>,
    pub last_name: String,
    #[serde(default)]
    pub usage_name: String,
    pub first_names: String,
    /// ISO date, `YYYY-MM-DD`.
    pub birth_date: String,
    pub birth_city: String,
    pub birth_country: String,
    pub email: String,
    pub mobile_phone: String,
    pub address: AddressInput,
    /// Empty while the form is being typed; required to register.
    #[schema(required = true)]
    pub licence_kind: Option<LicenceKind>,
    pub licence_number: String,
    pub consents: Consents,
}

/// Every field of the form, as named in field errors and in an agent's analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RegistrationField {
    Civility,
    LastName,
    UsageName,
    FirstNames,
    BirthDate,
    BirthCity,
    BirthCountry,
    Email,
    MobilePhone,
    AddressLine1,
    AddressLine2,
    Postcode,
    City,
    Country,
    LicenceKind,
    LicenceNumber,
    ConsentPrivacyPolicy,
    ConsentTermsOfUse,
    ConsentDataAccuracy,
    ConsentDataProcessing,
}

impl RegistrationField {
    /// The fields an agent can mark as wrong: the data, not the consents.
    pub const REVIEWABLE: [RegistrationField; 15] = [
        Self::Civility,
        Self::LastName,
        Self::UsageName,
        Self::FirstNames,
        Self::BirthDate,
        Self::BirthCity,
        Self::BirthCountry,
        Self::Email,
        Self::MobilePhone,
        Self::AddressLine1,
        Self::AddressLine2,
        Self::Postcode,
        Self::City,
        Self::Country,
        Self::LicenceNumber,
    ];
}

pub type FieldErrors = BTreeMap<RegistrationField, FieldError>;

// ts-rs exports types, not aliases: this names the map for TypeScript (the commands' contract).
/// The errors of a person's details, by field.
#[derive(TS)]
#[ts(export, rename = "FieldErrors")]
#[allow(dead_code)]
struct FieldErrorsExport(FieldErrors);

/// A registration whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub civility: Civility,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub first_names: String,
    pub birth_date: Date,
    pub birth_city: String,
    pub birth_country: String,
    pub email: Email,
    pub mobile_phone: MobilePhone,
    pub address: PostalAddress,
    pub licence: LicenceNumber,
}

impl Registration {
    /// The name an agent and the emails address the driver by: first names and usage name, or
    /// birth name.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_names, self.usage_name.as_deref().unwrap_or(&self.last_name))
    }

    /// The registration as a form again, cleaned: what a correction starts from.
    pub fn to_input(&self) -> RegistrationInput {
        RegistrationInput {
            civility: Some(self.civility),
            last_name: self.last_name.clone(),
            usage_name: self.usage_name.clone().unwrap_or_default(),
            first_names: self.first_names.clone(),
            birth_date: self.birth_date.to_string(),
            birth_city: self.birth_city.clone(),
            birth_country: self.birth_country.clone(),
            email: self.email.to_string(),
            mobile_phone: self.mobile_phone.as_str().to_owned(),
            address: AddressInput {
                line1: self.address.line1.clone(),
                line2: self.address.line2.clone(),
                postcode: self.address.postcode.clone(),
                city: self.address.city.clone(),
                country: self.address.country.clone(),
            },
            licence_kind: Some(self.licence.kind()),
            licence_number: self.licence.as_str().to_owned(),
            consents: Consents { privacy_policy: true, terms_of_use: true, data_accuracy: true, data_processing: true },
        }
    }
}

/// Checks the whole form against `today` and reports every wrong field at once.
pub fn validate(input: &RegistrationInput, today: Date) -> Result<Registration, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut name = |field, value: &str| match clean_name(value) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(field, name_error(e));
            None
        }
    };
    let last_name = name(RegistrationField::LastName, &input.last_name);
    let usage_name = if input.usage_name.trim().is_empty() {
        Some(None)
    } else {
        name(RegistrationField::UsageName, &input.usage_name).map(Some)
    };
    let first_names = name(RegistrationField::FirstNames, &input.first_names);
    let birth_city = name(RegistrationField::BirthCity, &input.birth_city);
    let birth_country = name(RegistrationField::BirthCountry, &input.birth_country);

    let civility = input.civility.or_else(|| {
        errors.insert(RegistrationField::Civility, FieldError::Required);
        None
    });
    let birth_date =
        check_birth_date(&input.birth_date, today).map_err(|e| errors.insert(RegistrationField::BirthDate, e)).ok();
    let email = match input.email.trim() {
        "" => Err(FieldError::Required),
        typed => Email::parse(typed).map_err(|_| FieldError::InvalidEmail),
    }
    .map_err(|e| errors.insert(RegistrationField::Email, e))
    .ok();
    let mobile_phone = match input.mobile_phone.trim() {
        "" => Err(FieldError::Required),
        typed => MobilePhone::parse(typed).map_err(|_| FieldError::InvalidPhone),
    }
    .map_err(|e| errors.insert(RegistrationField::MobilePhone, e))
    .ok();
    let address = PostalAddress::parse(&input.address)
        .map_err(|list| {
            for (field, error) in list {
                errors.insert(address_field(field), address_error(error));
            }
        })
        .ok();
    let licence = match input.licence_kind {
        None => {
            errors.insert(RegistrationField::LicenceKind, FieldError::Required);
            None
        }
        Some(kind) => LicenceNumber::parse(kind, &input.licence_number)
            .map_err(|error| {
                let error = match error {
                    LicenceNumberError::Empty => FieldError::Required,
                    error => FieldError::Licence { error },
                };
                errors.insert(RegistrationField::LicenceNumber, error)
            })
            .ok(),
    };
    let consents = [
        (RegistrationField::ConsentPrivacyPolicy, input.consents.privacy_policy),
        (RegistrationField::ConsentTermsOfUse, input.consents.terms_of_use),
        (RegistrationField::ConsentDataAccuracy, input.consents.data_accuracy),
        (RegistrationField::ConsentDataProcessing, input.consents.data_processing),
    ];
    for (field, ticked) in consents {
        if !ticked {
            errors.insert(field, FieldError::ConsentRequired);
        }
    }

    // Each field that did not parse has recorded its error, so all parse when `errors` is empty.
    let registration = || {
        Some(Registration {
            civility: civility?,
            last_name: last_name?,
            usage_name: usage_name?,
            first_names: first_names?,
            birth_date: birth_date?,
            birth_city: birth_city?,
            birth_country: birth_country?,
            email: email?,
            mobile_phone: mobile_phone?,
            address: address?,
            licence: licence?,
        })
    };
    match registration() {
        Some(registration) if errors.is_empty() => Ok(registration),
        _ => Err(errors),
    }
}

/// Parses an ISO date (`YYYY-MM-DD`), as an HTML date field sends it.
pub fn parse_iso_date(input: &str) -> Option<Date> {
    let mut parts = input.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Whole years between `birth` and `today` (a birthday on 29 February counts from 1 March).
pub fn age_in_years(birth: Date, today: Date) -> i32 {
    let had_birthday = (today.month() as u8, today.day()) >= (birth.month() as u8, birth.day());
    today.year() - birth.year() - i32::from(!had_birthday)
}

pub(crate) fn check_birth_date(input: &str, today: Date) -> Result<Date, FieldError> {
    if input.trim().is_empty() {
        return Err(FieldError::Required);
    }
    let birth = parse_iso_date(input).ok_or(FieldError::InvalidDate)?;
    if birth > today {
        return Err(FieldError::BirthDateInFuture);
    }
    let age = age_in_years(birth, today);
    if age < MIN_AGE_YEARS {
        return Err(FieldError::TooYoung { min_years: MIN_AGE_YEARS as u32 });
    }
    if age > MAX_AGE_YEARS {
        return Err(FieldError::TooOld);
    }
    Ok(birth)
}

/// A postal address typed alone (the card's delivery address), its errors keyed like the
/// registration's address fields so that forms show them the same way.
pub fn check_address(input: &AddressInput) -> Result<PostalAddress, FieldErrors> {
    PostalAddress::parse(input).map_err(|errors| {
        errors.into_iter().map(|(field, error)| (address_field(field), address_error(error))).collect()
    })
}

fn address_field(field: AddressField) -> RegistrationField {
    match field {
        AddressField::Line1 => RegistrationField::AddressLine1,
        AddressField::Line2 => RegistrationField::AddressLine2,
        AddressField::Postcode => RegistrationField::Postcode,
        AddressField::City => RegistrationField::City,
        AddressField::Country => RegistrationField::Country,
    }
}

fn address_error(error: AddressError) -> FieldError {
    match error {
        AddressError::MissingLine1
        | AddressError::MissingPostcode
        | AddressError::MissingCity
        | AddressError::MissingCountry => FieldError::Required,
        AddressError::InvalidFrenchPostcode => FieldError::InvalidFrenchPostcode,
        AddressError::TooLong { max } => FieldError::TooLong { max: max as u32 },
        AddressError::InvalidCharacters => FieldError::HiddenCharacters,
    }
}

/// Small builders for tests here and in other crates (feature `fixtures`).
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures {
    use super::*;

    /// A complete, valid form of a driver born in 1985 with a card licence.
    pub fn valid_input() -> RegistrationInput {
        RegistrationInput {
            civility: Some(Civility::Monsieur),
            last_name: "Dupont".into(),
            usage_name: String::new(),
            first_names: "Jean Pierre".into(),
            birth_date: "1985-03-14".into(),
            birth_city: "Lyon".into(),
            birth_country: "France".into(),
            email: "jean.dupont@exemple.fr".into(),
            mobile_phone: "06 12 34 56 78".into(),
            address: AddressInput {
                line1: "12 rue de la Gare".into(),
                line2: String::new(),
                postcode: "69001".into(),
                city: "Lyon".into(),
                country: "France".into(),
            },
            licence_kind: Some(LicenceKind::Card),
            licence_number: "13AA00002".into(),
            consents: Consents { privacy_policy: true, terms_of_use: true, data_accuracy: true, data_processing: true },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::valid_input;
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn errors_of(input: &RegistrationInput) -> FieldErrors {
        validate(input, TODAY).unwrap_err()
    }

    #[test]
    fn a_complete_form_creates_a_registration() {
        let registration = validate(&valid_input(), TODAY).unwrap();
        assert_eq!(registration.email.as_str(), "jean.dupont@exemple.fr");
        assert_eq!(registration.mobile_phone.as_str(), "+33612345678");
        assert_eq!(registration.licence.as_str(), "13AA00002");
        assert_eq!(registration.usage_name, None);
    }

    #[test]
    fn an_empty_form_reports_every_required_field() {
        let errors = errors_of(&RegistrationInput::default());
        for field in [
            RegistrationField::Civility,
            RegistrationField::LastName,
            RegistrationField::FirstNames,
            RegistrationField::BirthDate,
            RegistrationField::Email,
            RegistrationField::MobilePhone,
            RegistrationField::AddressLine1,
            RegistrationField::LicenceKind,
        ] {
            assert_eq!(errors.get(&field), Some(&FieldError::Required), "{field:?}");
        }
        assert!(!errors.contains_key(&RegistrationField::UsageName));
    }

    #[test]
    fn each_of_the_four_consent_boxes_must_be_ticked() {
        let mut input = valid_input();
        input.consents.data_accuracy = false;
        assert_eq!(
            errors_of(&input),
            FieldErrors::from([(RegistrationField::ConsentDataAccuracy, FieldError::ConsentRequired)])
        );
    }

    #[test]
    fn the_neph_typed_as_licence_number_is_reported_on_the_licence_field() {
        let mut input = valid_input();
        input.licence_number = "1205 7510 0123".into();
        assert_eq!(
            errors_of(&input)[&RegistrationField::LicenceNumber],
            FieldError::Licence { error: LicenceNumberError::NephInsteadOfNumber }
        );
    }

    #[test]
    fn birth_dates_in_the_future_or_too_recent_are_refused() {
        let mut input = valid_input();
        for (typed, expected) in [
            ("2027-01-01", FieldError::BirthDateInFuture),
            ("2010-11-26", FieldError::TooYoung { min_years: 16 }),
            ("1925-01-01", FieldError::TooOld),
            ("1985-02-30", FieldError::InvalidDate),
            ("14/03/1985", FieldError::InvalidDate),
        ] {
            input.birth_date = typed.into();
            assert_eq!(errors_of(&input)[&RegistrationField::BirthDate], expected, "{typed}");
        }
        input.birth_date = "2010-11-25".into();
        assert!(validate(&input, TODAY).is_ok(), "16 today is old enough");
    }

    #[test]
    fn age_counts_whole_years_around_the_birthday() {
        assert_eq!(age_in_years(date!(2000 - 11 - 25), TODAY), 26);
        assert_eq!(age_in_years(date!(2000 - 11 - 26), TODAY), 25);
        assert_eq!(age_in_years(date!(2008 - 02 - 29), date!(2026 - 02 - 28)), 17);
        assert_eq!(age_in_years(date!(2008 - 02 - 29), date!(2026 - 03 - 01)), 18);
    }

    #[test]
    fn wrong_contact_fields_are_each_reported() {
        let mut input = valid_input();
        input.email = "jean@".into();
        input.mobile_phone = "01 23 45 67 89".into();
        input.address.postcode = "690".into();
        input.first_names = "J3an".into();
        let errors = errors_of(&input);
        assert_eq!(errors[&RegistrationField::Email], FieldError::InvalidEmail);
        assert_eq!(errors[&RegistrationField::MobilePhone], FieldError::InvalidPhone);
        assert_eq!(errors[&RegistrationField::Postcode], FieldError::InvalidFrenchPostcode);
        assert_eq!(errors[&RegistrationField::FirstNames], FieldError::InvalidCharacters);
        assert_eq!(errors.len(), 4);
    }

    #[test]
    fn a_cleaned_registration_is_valid_again_as_a_form() {
        let mut input = valid_input();
        input.last_name = "  Dupont ".into();
        let registration = validate(&input, TODAY).unwrap();
        let again = registration.to_input();
        assert_eq!(again.last_name, "Dupont");
        assert_eq!(again.birth_date, "1985-03-14");
        assert_eq!(validate(&again, TODAY).unwrap(), registration);
        assert_eq!(registration.display_name(), "Jean Pierre Dupont");
    }

    #[test]
    fn field_errors_serialise_with_a_stable_code() {
        let json =
            serde_json::to_value(FieldError::Licence { error: LicenceNumberError::NephInsteadOfNumber }).unwrap();
        assert_eq!(json, serde_json::json!({"code": "licence", "error": {"code": "neph_instead_of_number"}}));
    }
}
