//! The signed code printed as a QR on a qualification certificate. The server signs what the
//! certificate says with its Ed25519 key; the app, or a roadside checker, verifies it offline with
//! the public key. Change one character of the data and the verification fails.
//!
//! Format: `CQC1.<claims as base64url JSON>.<signature as base64url>`; the signature covers
//! everything before the second dot.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cqc_domain::training::{Qualification, TrainingKind};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const PREFIX: &str = "CQC1.";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CodeError {
    #[error("this is not a CQC certificate code")]
    NotACertificateCode,
    #[error("the signature does not match: the certificate was changed or forged")]
    BadSignature,
}

pub fn sign(claims: &CertificateClaims, key: &SigningKey) -> String {
    let json = serde_json::to_vec(claims).expect("claims serialise");
    let signed = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
    let signature = key.sign(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// The claims of a code signed by one of `keys`.
pub fn verify(code: &str, keys: &[VerifyingKey]) -> Result<CertificateClaims, CodeError> {
    let code = code.trim();
    let (signed, signature) = code.rsplit_once('.').ok_or(CodeError::NotACertificateCode)?;
    let payload = signed.strip_prefix(PREFIX).ok_or(CodeError::NotACertificateCode)?;
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
            code: sign(&claims(), key),
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

    #[test]
    fn a_signed_certificate_verifies_offline_with_the_public_key() {
        let key = key();
        let code = sign(&claims(), &key);
        assert_eq!(verify(&code, &[key.verifying_key()]), Ok(claims()));
        let published = encode_public_key(&key.verifying_key());
        assert_eq!(verify(&code, &[decode_public_key(&published).unwrap()]), Ok(claims()));
    }

    #[test]
    fn changed_data_fails_the_verification() {
        let key = key();
        let code = sign(&claims(), &key);
        let mut forged = claims();
        forged.valid_until = "2028-03-24".into();
        let (_, signature) = code.rsplit_once('.').unwrap();
        let (forged_signed, _) =
            sign(&forged, &key).rsplit_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap();
        let tampered = format!("{forged_signed}.{signature}");
        assert_eq!(verify(&tampered, &[key.verifying_key()]), Err(CodeError::BadSignature));
    }

    #[test]
    fn a_code_signed_by_another_key_is_a_forgery() {
        let code = sign(&claims(), &key());
        assert_eq!(verify(&code, &[key().verifying_key()]), Err(CodeError::BadSignature));
    }

    #[test]
    fn garbage_is_not_a_certificate_code() {
        for text in ["", "hello", "CQC1.", "CQC1.abc.def", "XYZ1.abc.AAAA"] {
            assert_eq!(verify(text, &[key().verifying_key()]), Err(CodeError::NotACertificateCode), "{text}");
        }
    }

    #[test]
    fn keys_survive_their_text_form() {
        let key = key();
        assert_eq!(decode_signing_key(&encode_signing_key(&key)).unwrap().to_bytes(), key.to_bytes());
        assert!(decode_public_key("trop court").is_none());
    }
}
