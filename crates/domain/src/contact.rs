//! How a driver is reached: email, mobile phone, postal address, and how a person is named.

use serde::{Deserialize, Serialize};
use std::str::FromStr;
use ts_rs::TS;

/// An email address, stored in lower case so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let trimmed = input.trim().to_lowercase();
        let parsed = email_address::EmailAddress::from_str(&trimmed).map_err(|_| InvalidEmail)?;
        // A mailbox that mail can reach has a dotted domain; `a@b` is accepted by the RFC only.
        // A quoted local part (`"a b"@x.fr`) is the RFC's too: mail servers refuse it.
        // `.invalid` never reaches a mailbox (RFC 6761); the service marks closed accounts with it.
        let domain = parsed.domain();
        if !domain.contains('.') || domain.ends_with(".invalid") || trimmed.len() > 254 || trimmed.contains('"') {
            return Err(InvalidEmail);
        }
        Ok(Self(trimmed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mobile phone number in international form (`+33612345678`). French numbers may be typed
/// the usual way (`06 12 34 56 78`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MobilePhone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a mobile phone number")]
pub struct InvalidPhone;

impl MobilePhone {
    pub fn parse(input: &str) -> Result<Self, InvalidPhone> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let international = if let Some(rest) = compact.strip_prefix("+33") {
            format!("+33{}", rest.strip_prefix('0').unwrap_or(rest))
        } else if let Some(rest) = compact.strip_prefix("0033") {
            format!("+33{rest}")
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("+33{rest}")
        } else {
            compact
        };
        let digits = international.strip_prefix('+').ok_or(InvalidPhone)?;
        if !all_digits(digits) {
            return Err(InvalidPhone);
        }
        if let Some(national) = digits.strip_prefix("33") {
            // French mobiles start with 6 or 7 and have 9 digits after the country code.
            if national.len() != 9 || !matches!(&national[..1], "6" | "7") {
                return Err(InvalidPhone);
            }
        } else if !(8..=15).contains(&digits.len()) {
            return Err(InvalidPhone);
        }
        Ok(Self(international))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The raw address fields of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct AddressInput {
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub line1: String,
    pub line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the street line is missing")]
    MissingLine1,
    #[error("the postcode is missing")]
    MissingPostcode,
    #[error("a French postcode has 5 digits")]
    InvalidFrenchPostcode,
    #[error("the city is missing")]
    MissingCity,
    #[error("the country is missing")]
    MissingCountry,
    #[error("a field is longer than {max} characters")]
    TooLong { max: usize },
    #[error("a field holds control or text-direction characters")]
    InvalidCharacters,
}

/// Characters no typed text needs and that change how it prints: control characters (NUL…),
/// text-direction overrides and isolates (which can make « SA INTRUS » read backwards on an
/// invoice), zero-width characters. Refused in every free-text field.
pub fn has_hidden_characters(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
    })
}

pub const ADDRESS_LINE_MAX: usize = 100;

impl PostalAddress {
    /// Checks every field; returns each field's error, so the form can show them all at once.
    pub fn parse(input: &AddressInput) -> Result<Self, Vec<(AddressField, AddressError)>> {
        let clean = folded;
        let address = Self {
            line1: clean(&input.line1),
            line2: clean(&input.line2),
            postcode: clean(&input.postcode).to_uppercase(),
            city: clean(&input.city),
            country: match clean(&input.country) {
                c if c.is_empty() => String::new(),
                c if is_france(&c) => "France".to_owned(),
                c => c,
            },
        };
        let mut errors = Vec::new();
        let mut check = |field, value: &str, missing: Option<AddressError>| {
            if value.is_empty() {
                errors.extend(missing.map(|missing| (field, missing)));
            } else if value.chars().count() > ADDRESS_LINE_MAX {
                errors.push((field, AddressError::TooLong { max: ADDRESS_LINE_MAX }));
            } else if has_hidden_characters(value) {
                errors.push((field, AddressError::InvalidCharacters));
            }
        };
        check(AddressField::Line1, &address.line1, Some(AddressError::MissingLine1));
        check(AddressField::Line2, &address.line2, None);
        check(AddressField::Postcode, &address.postcode, Some(AddressError::MissingPostcode));
        check(AddressField::City, &address.city, Some(AddressError::MissingCity));
        check(AddressField::Country, &address.country, Some(AddressError::MissingCountry));
        let french_postcode = address.postcode.len() == 5
            && address.postcode.chars().all(|c| c.is_ascii_digit())
            && !address.postcode.starts_with("00");
        if address.country == "France" && !address.postcode.is_empty() && !french_postcode {
            errors.push((AddressField::Postcode, AddressError::InvalidFrenchPostcode));
        }
        if errors.is_empty() {
            Ok(address)
        } else {
            Err(errors)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressField {
    Line1,
    Line2,
    Postcode,
    City,
    Country,
}

fn is_france(country: &str) -> bool {
    matches!(country.to_lowercase().as_str(), "france" | "fr")
}

pub const NAME_MAX: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is missing")]
    Missing,
    #[error("the name is longer than {NAME_MAX} characters")]
    TooLong,
    #[error("a name has letters, spaces, hyphens and apostrophes only")]
    InvalidCharacters,
}

/// Typed text as it is compared and kept: composed (NFC: `e` + U+0301 becomes `é`, as text
/// pasted from some documents or typed on some systems comes), its spaces folded to one.
pub fn folded(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name (or place name): letters, spaces, hyphens, apostrophes; spaces folded.
pub fn clean_name(input: &str) -> Result<String, NameError> {
    let name = folded(input);
    if name.is_empty() {
        return Err(NameError::Missing);
    }
    if name.chars().count() > NAME_MAX {
        return Err(NameError::TooLong);
    }
    if !name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.')) {
        return Err(NameError::InvalidCharacters);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_line_with_a_nul_or_a_direction_override_is_refused_beside_its_field() {
        let mut input = address("69003", "France");
        input.line1 = "Bât\u{0} B".into();
        input.line2 = "Société \u{202E}TIURTSNI\u{202C} SA".into();
        let errors = PostalAddress::parse(&input).unwrap_err();
        assert!(errors.contains(&(AddressField::Line1, AddressError::InvalidCharacters)));
        assert!(errors.contains(&(AddressField::Line2, AddressError::InvalidCharacters)));
        assert!(!has_hidden_characters("12 rue de l'Église, bât. B – 2ᵉ étage"));
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Jean.Dupont@Exemple.FR ").unwrap().as_str(), "jean.dupont@exemple.fr");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "jean",
            "jean@",
            "@exemple.fr",
            "jean@exemple",
            "jean dupont@exemple.fr",
            "\"a' or '1'='1\"@example.fr",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn no_one_registers_the_address_a_closed_account_is_marked_with() {
        for closed in ["compte-clos-0b0e1c2a@cqc.invalid", "X@Quelque.Part.INVALID"] {
            assert_eq!(Email::parse(closed), Err(InvalidEmail), "{closed}");
        }
    }

    #[test]
    fn french_mobiles_are_accepted_in_every_usual_form() {
        for typed in
            ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "+33612345678", "0033712345678", "07.12.34.56.78"]
        {
            let phone = MobilePhone::parse(typed).unwrap();
            assert!(phone.as_str().starts_with("+33"), "{typed}");
            assert_eq!(phone.as_str().len(), 12, "{typed}");
        }
        assert_eq!(MobilePhone::parse("+32 470 12 34 56").unwrap().as_str(), "+32470123456");
    }

    #[test]
    fn landlines_and_garbage_are_not_mobiles() {
        for bad in ["01 23 45 67 89", "0612", "06123456789", "phone", "", "+12", "+33 6 12 34 56 7a"] {
            assert_eq!(MobilePhone::parse(bad), Err(InvalidPhone), "{bad}");
        }
    }

    fn address(postcode: &str, country: &str) -> AddressInput {
        AddressInput {
            line1: "12 rue de la Gare".into(),
            line2: String::new(),
            postcode: postcode.into(),
            city: "Lyon".into(),
            country: country.into(),
        }
    }

    #[test]
    fn a_french_postcode_has_five_digits() {
        assert!(PostalAddress::parse(&address("69001", "France")).is_ok());
        assert!(PostalAddress::parse(&address("20000", "fr")).is_ok());
        assert_eq!(
            PostalAddress::parse(&address("6900", "France")).unwrap_err(),
            vec![(AddressField::Postcode, AddressError::InvalidFrenchPostcode)]
        );
        assert!(PostalAddress::parse(&address("B-1000", "Belgique")).is_ok());
    }

    #[test]
    fn an_address_typed_with_decomposed_accents_is_kept_composed() {
        let mut input = address("69001", "France");
        input.line1 = "3 alle\u{301}e des Ce\u{300}dres".into();
        input.city = "Saint-E\u{301}tienne".into();
        let parsed = PostalAddress::parse(&input).unwrap();
        assert_eq!((parsed.line1.as_str(), parsed.city.as_str()), ("3 allée des Cèdres", "Saint-Étienne"));
    }

    #[test]
    fn every_missing_address_field_is_reported_at_once() {
        let errors = PostalAddress::parse(&AddressInput::default()).unwrap_err();
        assert_eq!(errors.len(), 4);
    }

    #[test]
    fn names_allow_accents_hyphens_and_apostrophes() {
        assert_eq!(clean_name("  Marie-Hélène   d’Aubigné ").unwrap(), "Marie-Hélène d’Aubigné");
        assert_eq!(clean_name("O'Neil").unwrap(), "O'Neil");
        assert_eq!(clean_name("Rene\u{301}e Lefe\u{300}vre").unwrap(), "Renée Lefèvre", "decomposed accents compose");
        assert_eq!(clean_name("R2D2"), Err(NameError::InvalidCharacters));
        assert_eq!(clean_name(" "), Err(NameError::Missing));
        assert_eq!(clean_name(&"a".repeat(101)), Err(NameError::TooLong));
    }
}
