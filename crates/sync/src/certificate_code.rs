//! The signed code printed as a QR on a qualification certificate. The server signs what the
//! certificate says with its Ed25519 key; the app, or a roadside checker, verifies it offline with
//! the public key. Change one character of the data and the verification fails.
//!
//! Format: `CQC2:<base32 of the claims in fixed binary fields, then the signature>`, compact as
//! France's 2D-Doc is (about 230 characters, all in the QR code's alphanumeric set: a small code
//! that a phone and a poor print read). The signature covers `CQC2` and the fields. Codes of the
//! first format, `CQC1.<claims as base64url JSON>.<signature>`, printed before, still verify.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cqc_domain::training::{Qualification, TrainingKind};
use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The first format, read only.
const PREFIX_V1: &str = "CQC1.";
const PREFIX: &str = "CQC2:";
/// What the signature of a compact code covers before the fields: no signature of another format
/// or use of the key can pass for one.
const SIGNED_TAG: &[u8] = b"CQC2";
const SIGNATURE_BYTES: usize = 64;

/// What the code vouches for: the certificate's holder, qualification and dates (ISO days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct CertificateClaims {
    pub certificate_id: String,
    pub holder: String,
    pub birth_date: String,
    pub licence_number: String,
    pub qualification: Qualification,
    pub training_kind: TrainingKind,
    pub issued_on: String,
    pub valid_from: String,
    pub valid_until: String,
    pub card_expiry: String,
    pub centre_approval_number: String,
}

impl CertificateClaims {
    /// The certificate as the rules read it (eligibility, the home's next step); `None` for days
    /// that are not ISO days.
    pub fn summary(&self) -> Option<cqc_domain::application::CertificateSummary> {
        let day = cqc_domain::registration::parse_iso_date;
        Some(cqc_domain::application::CertificateSummary {
            qualification: self.qualification,
            validity: cqc_domain::qualification::CertificateValidity {
                valid_from: day(&self.valid_from)?,
                valid_until: day(&self.valid_until)?,
            },
            card_expiry: day(&self.card_expiry)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CodeError {
    #[error("this is not a CQC certificate code")]
    NotACertificateCode,
    #[error("the signature does not match: the certificate was changed or forged")]
    BadSignature,
}

impl CodeError {
    /// What a person checking a certificate is told.
    pub fn message_fr(self) -> &'static str {
        match self {
            Self::NotACertificateCode => "Ce texte n'est pas le code d'une attestation CQC.",
            Self::BadSignature => {
                "Attestation NON authentique : ses données ont été modifiées ou elle n'a pas été délivrée par le service."
            }
        }
    }
}

/// The code of these claims, signed. The claims are those of a certificate the service issues
/// (a UUID, ISO days, short texts); others cannot be printed compactly and are refused.
pub fn sign(claims: &CertificateClaims, key: &SigningKey) -> Result<String, CodeError> {
    let fields = compact::encode(claims).ok_or(CodeError::NotACertificateCode)?;
    let signature = key.sign(&[SIGNED_TAG, &fields].concat());
    Ok(format!("{PREFIX}{}", BASE32_NOPAD.encode(&[fields.as_slice(), &signature.to_bytes()].concat())))
}

/// The claims of a code signed by one of `keys`. A scanned or pasted code may have lost its case
/// or gained spaces and line breaks.
pub fn verify(code: &str, keys: &[VerifyingKey]) -> Result<CertificateClaims, CodeError> {
    let code = code.trim();
    if code.starts_with(PREFIX_V1) {
        return verify_v1(code, keys);
    }
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let encoded = compact.strip_prefix(PREFIX).ok_or(CodeError::NotACertificateCode)?;
    let bytes = BASE32_NOPAD.decode(encoded.as_bytes()).map_err(|_| CodeError::NotACertificateCode)?;
    let split = bytes.len().checked_sub(SIGNATURE_BYTES).ok_or(CodeError::NotACertificateCode)?;
    let (fields, signature) = bytes.split_at(split);
    let signature = Signature::from_slice(signature).map_err(|_| CodeError::NotACertificateCode)?;
    let signed = [SIGNED_TAG, fields].concat();
    if !keys.iter().any(|key| key.verify(&signed, &signature).is_ok()) {
        return Err(CodeError::BadSignature);
    }
    compact::decode(fields).ok_or(CodeError::NotACertificateCode)
}

fn verify_v1(code: &str, keys: &[VerifyingKey]) -> Result<CertificateClaims, CodeError> {
    let (signed, signature) = code.rsplit_once('.').ok_or(CodeError::NotACertificateCode)?;
    let payload = signed.strip_prefix(PREFIX_V1).ok_or(CodeError::NotACertificateCode)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(CodeError::NotACertificateCode)?;
    if !keys.iter().any(|key| key.verify(signed.as_bytes(), &signature).is_ok()) {
        return Err(CodeError::BadSignature);
    }
    let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| CodeError::NotACertificateCode)?;
    serde_json::from_slice(&json).map_err(|_| CodeError::NotACertificateCode)
}

/// The claims in fixed binary fields: the certificate's UUID (16 bytes), the qualification and
/// the training kind (one byte), five days (three bytes each, counted from 1 January 1900), then
/// the licence number and the centre's approval number (a length byte, UTF-8), and the holder's
/// name (UTF-8, to the end: a long name is never refused).
mod compact {
    use super::CertificateClaims;
    use cqc_domain::training::{Qualification, TrainingKind};
    use time::{Date, Month};

    const KINDS: [TrainingKind; 4] =
        [TrainingKind::LongInitial, TrainingKind::Fimo, TrainingKind::Fco, TrainingKind::Passerelle];
    const QUALIFICATIONS: [Qualification; 2] = [Qualification::Goods, Qualification::Passengers];

    fn epoch() -> Date {
        Date::from_calendar_date(1900, Month::January, 1).expect("a valid day")
    }

    fn day(iso: &str, out: &mut Vec<u8>) -> Option<()> {
        let date = Date::parse(iso, &time::format_description::well_known::Iso8601::DATE).ok()?;
        let days = u32::try_from((date - epoch()).whole_days()).ok().filter(|d| *d < 1 << 24)?;
        out.extend_from_slice(&days.to_be_bytes()[1..]);
        Some(())
    }

    fn text(value: &str, out: &mut Vec<u8>) -> Option<()> {
        out.push(u8::try_from(value.len()).ok()?);
        out.extend_from_slice(value.as_bytes());
        Some(())
    }

    pub fn encode(claims: &CertificateClaims) -> Option<Vec<u8>> {
        let mut out = uuid::Uuid::parse_str(&claims.certificate_id).ok()?.as_bytes().to_vec();
        let kind = KINDS.iter().position(|k| *k == claims.training_kind)?;
        let qualification = QUALIFICATIONS.iter().position(|q| *q == claims.qualification)?;
        out.push(u8::try_from(qualification << 4 | kind).ok()?);
        for date in
            [&claims.birth_date, &claims.issued_on, &claims.valid_from, &claims.valid_until, &claims.card_expiry]
        {
            day(date, &mut out)?;
        }
        text(&claims.licence_number, &mut out)?;
        text(&claims.centre_approval_number, &mut out)?;
        out.extend_from_slice(claims.holder.as_bytes());
        Some(out)
    }

    /// Reads the fields in order.
    struct Reader<'a>(&'a [u8]);

    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Option<&[u8]> {
            let (taken, rest) = (self.0.get(..n)?, self.0.get(n..)?);
            self.0 = rest;
            Some(taken)
        }

        fn day(&mut self) -> Option<String> {
            let b = self.take(3)?;
            let days = u32::from_be_bytes([0, b[0], b[1], b[2]]);
            Some(epoch().checked_add(time::Duration::days(days.into()))?.to_string())
        }

        fn text(&mut self) -> Option<String> {
            let len = usize::from(*self.take(1)?.first()?);
            String::from_utf8(self.take(len)?.to_vec()).ok()
        }
    }

    pub fn decode(bytes: &[u8]) -> Option<CertificateClaims> {
        let mut r = Reader(bytes);
        let certificate_id = uuid::Uuid::from_slice(r.take(16)?).ok()?.to_string();
        let kinds = *r.take(1)?.first()?;
        let qualification = *QUALIFICATIONS.get(usize::from(kinds >> 4))?;
        let training_kind = *KINDS.get(usize::from(kinds & 0x0f))?;
        let claims = CertificateClaims {
            certificate_id,
            birth_date: r.day()?,
            issued_on: r.day()?,
            valid_from: r.day()?,
            valid_until: r.day()?,
            card_expiry: r.day()?,
            licence_number: r.text()?,
            centre_approval_number: r.text()?,
            holder: String::from_utf8(r.0.to_vec()).ok()?,
            qualification,
            training_kind,
        };
        Some(claims)
    }
}

/// A public key as published by the server and kept by the app.
pub fn encode_public_key(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

pub fn decode_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

pub fn encode_signing_key(key: &SigningKey) -> String {
    URL_SAFE_NO_PAD.encode(key.to_bytes())
}

pub fn decode_signing_key(text: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(text.trim()).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

/// Certificate claims for tests here and in other crates (feature `fixtures`).
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures {
    use super::*;
    use crate::protocol::{Certificate, Recap};
    use cqc_domain::training::TrainingOutcome;

    /// The certificate of an FCO for goods, issued on 25 November 2026.
    pub fn claims() -> CertificateClaims {
        CertificateClaims {
            certificate_id: "8d6f0b8e-5f0c-4d8e-9a43-2f1c7c9b1a20".into(),
            holder: "Éléonore Dupré-Gaëlle".into(),
            birth_date: "1985-03-14".into(),
            licence_number: "13AA00002".into(),
            qualification: Qualification::Goods,
            training_kind: TrainingKind::Fco,
            issued_on: "2026-11-25".into(),
            valid_from: "2026-11-25".into(),
            valid_until: "2027-03-24".into(),
            card_expiry: "2031-11-20".into(),
            centre_approval_number: "AGR-69-0042".into(),
        }
    }

    /// A signed certificate of those claims, as a centre's training issues it.
    pub fn certificate(key: &SigningKey) -> Certificate {
        Certificate {
            code: sign(&claims(), key).expect("the fixture's claims are a certificate's"),
            claims: claims(),
            training_id: "t-1".into(),
            centre_name: "Centre de formation routière de Lyon-Vénissieux".into(),
            training_end: "2026-11-20".into(),
        }
    }

    /// The recap of that training.
    pub fn recap() -> Recap {
        Recap {
            training_id: "t-1".into(),
            holder: "Éléonore Dupré-Gaëlle".into(),
            birth_date: "1985-03-14".into(),
            licence_number: "13AA00002".into(),
            centre_name: "Centre de formation routière de Lyon-Vénissieux".into(),
            centre_approval_number: "AGR-69-0042".into(),
            centre_address: "3 allée des Forgerons, 69200 Vénissieux".into(),
            kind: TrainingKind::Fco,
            qualification: Qualification::Goods,
            start_date: "2026-11-16".into(),
            end_date: "2026-11-20".into(),
            hours: 35,
            outcome: TrainingOutcome::Passed,
            issued_on: "2026-11-25".into(),
            available_until: Some("2032-11-24".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::claims;
    use super::*;

    fn key() -> SigningKey {
        SigningKey::generate(&mut rand::rngs::OsRng)
    }

    fn sign_ok(claims: &CertificateClaims, key: &SigningKey) -> String {
        sign(claims, key).unwrap()
    }

    #[test]
    fn a_signed_certificate_verifies_offline_with_the_public_key() {
        let key = key();
        let code = sign_ok(&claims(), &key);
        assert_eq!(verify(&code, &[key.verifying_key()]), Ok(claims()));
        let published = encode_public_key(&key.verifying_key());
        assert_eq!(verify(&code, &[decode_public_key(&published).unwrap()]), Ok(claims()));
    }

    #[test]
    fn the_code_is_short_and_in_the_qr_codes_alphanumeric_set() {
        let code = sign_ok(&claims(), &key());
        assert!(code.len() <= 240, "{} characters: {code}", code.len());
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ':'), "{code}");
    }

    #[test]
    fn a_code_read_by_a_scanner_or_pasted_with_breaks_still_verifies() {
        let key = key();
        let code = sign_ok(&claims(), &key);
        let (head, tail) = code.split_at(100);
        for read in [code.to_lowercase(), format!("  {head}\n{tail} "), format!("{head} {tail}")] {
            assert_eq!(verify(&read, &[key.verifying_key()]), Ok(claims()), "{read}");
        }
    }

    #[test]
    fn changed_data_fails_the_verification() {
        let key = key();
        let code = sign_ok(&claims(), &key);
        let mut bytes = BASE32_NOPAD.decode(code.strip_prefix(PREFIX).unwrap().as_bytes()).unwrap();
        // One more day of validity: the last byte of `valid_until`.
        bytes[16 + 1 + 3 * 3 + 2] += 1;
        let tampered = format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes));
        assert_eq!(verify(&tampered, &[key.verifying_key()]), Err(CodeError::BadSignature));
    }

    #[test]
    fn a_code_signed_by_another_key_is_a_forgery() {
        let code = sign_ok(&claims(), &key());
        assert_eq!(verify(&code, &[key().verifying_key()]), Err(CodeError::BadSignature));
    }

    #[test]
    fn a_code_of_the_first_format_printed_before_still_verifies() {
        let key = key();
        let signed = format!("{PREFIX_V1}{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap()));
        let code = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(key.sign(signed.as_bytes()).to_bytes()));
        assert_eq!(verify(&code, &[key.verifying_key()]), Ok(claims()));
        let mut forged = claims();
        forged.valid_until = "2028-03-24".into();
        let forged_signed = format!("{PREFIX_V1}{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap()));
        let tampered = format!("{forged_signed}.{}", code.rsplit_once('.').unwrap().1);
        assert_eq!(verify(&tampered, &[key.verifying_key()]), Err(CodeError::BadSignature));
    }

    #[test]
    fn garbage_is_not_a_certificate_code() {
        let key = key();
        let valid = sign_ok(&claims(), &key);
        for text in
            ["", "hello", "CQC1.", "CQC1.abc.def", "XYZ1.abc.AAAA", "CQC2:", "CQC2:AAAA", "CQC2:!!!!", &valid[1..]]
        {
            assert_eq!(verify(text, &[key.verifying_key()]), Err(CodeError::NotACertificateCode), "{text}");
        }
    }

    #[test]
    fn only_the_claims_of_an_issued_certificate_are_signed() {
        let key = key();
        let mut not_a_uuid = claims();
        not_a_uuid.certificate_id = "t-1".into();
        let mut not_a_day = claims();
        not_a_day.valid_until = "24/03/2027".into();
        let mut before_1900 = claims();
        before_1900.birth_date = "1899-12-31".into();
        let mut too_long = claims();
        too_long.licence_number = "9".repeat(256);
        for claims in [not_a_uuid, not_a_day, before_1900, too_long] {
            assert_eq!(sign(&claims, &key), Err(CodeError::NotACertificateCode), "{claims:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_certificate_survives_its_code(
            holder in "\\PC{1,200}",
            licence in "[0-9A-Z]{9,12}",
            days in proptest::array::uniform5(0u32..80_000),
            kind in 0usize..4,
            passengers: bool,
        ) {
            let day = |n: u32| compact_day(n);
            let claims = CertificateClaims {
                certificate_id: uuid::Uuid::new_v4().to_string(),
                holder,
                birth_date: day(days[0]),
                licence_number: licence,
                qualification: if passengers { Qualification::Passengers } else { Qualification::Goods },
                training_kind: [TrainingKind::LongInitial, TrainingKind::Fimo, TrainingKind::Fco, TrainingKind::Passerelle][kind],
                issued_on: day(days[1]),
                valid_from: day(days[2]),
                valid_until: day(days[3]),
                card_expiry: day(days[4]),
                centre_approval_number: "AGR-69-0042".into(),
            };
            let key = SigningKey::from_bytes(&[9; 32]);
            let code = sign_ok(&claims, &key);
            proptest::prop_assert_eq!(verify(&code, &[key.verifying_key()]), Ok(claims));
        }
    }

    fn compact_day(days: u32) -> String {
        (time::Date::from_calendar_date(1900, time::Month::January, 1).unwrap() + time::Duration::days(days.into()))
            .to_string()
    }

    #[test]
    fn keys_survive_their_text_form() {
        let key = key();
        assert_eq!(decode_signing_key(&encode_signing_key(&key)).unwrap().to_bytes(), key.to_bytes());
        assert!(decode_public_key("trop court").is_none());
    }
}
