//! The PDFs as a person sees them: rendered to PNG with pdftoppm (kept under
//! `test-artifacts/pdf/` to look at), their text extracted with pdftotext, and the certificate's
//! QR read back from the picture and verified.
//! Linux only: poppler and zbar are Linux programs, which the Windows check (the test programs
//! under Wine, scripts/windows-check.sh) has not; the PDFs are made the same way there, from
//! the embedded fonts.
#![cfg(not(windows))]

use cqc_documents::{certificate_pdf, invoice_duplicate_pdf, invoice_pdf, recap_pdf, return_coupon_pdf};
use cqc_domain::billing::{BillableItem, FeeTable, Invoice, InvoiceNumber, Party};
use cqc_domain::replacement::ReturnCoupon;
use cqc_domain::training::TrainingKind;
use cqc_sync::certificate_code::fixtures::{certificate, claims, recap};
use cqc_sync::certificate_code::{verify, CodeError};
use cqc_sync::protocol::Recap;
use ed25519_dalek::SigningKey;
use std::path::{Path, PathBuf};
use std::process::Command;

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the PDF, renders its page to PNG and returns (text, PNG path).
fn look_at(name: &str, pdf: &[u8]) -> (String, PathBuf) {
    let dir = artifacts();
    let pdf_path = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(status.success(), "pdftoppm failed on {name}");
    let text = Command::new("pdftotext").arg("-layout").arg(&pdf_path).arg("-").output().unwrap();
    assert!(text.status.success());
    (String::from_utf8(text.stdout).unwrap(), dir.join(format!("{name}.png")))
}

#[test]
fn the_certificate_reads_in_french_and_its_qr_verifies() {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pdf = certificate_pdf(&certificate(&key));
    assert!(pdf.len() < 150_000, "the font is subset: {} bytes", pdf.len());
    let (text, png) = look_at("attestation-de-qualification", &pdf);
    for expected in [
        "Attestation de qualification",
        "Éléonore Dupré-Gaëlle",
        "14/03/1985",
        "13AA00002",
        "Marchandises",
        "Formation continue obligatoire (FCO)",
        "du 25/11/2026 au 24/03/2027 inclus",
        "Expiration du code 95 sur la carte",
        "20/11/2031",
        "Lyon-Vénissieux",
        "AGR-69-0042",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }

    let picture = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("the QR code reads");
    assert_eq!(verify(&content, &[key.verifying_key()]), Ok(claims()));
    let other_key = SigningKey::generate(&mut rand::rngs::OsRng);
    assert_eq!(verify(&content, &[other_key.verifying_key()]), Err(CodeError::BadSignature));
}

/// A roadside check reads the code with whatever it has: zbar (the decoder of most Linux and
/// phone scanning apps) on the page rendered at 150 dpi, as a mediocre print or a photo of it.
#[test]
fn the_certificates_code_reads_with_a_standard_decoder_on_a_poor_print() {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pdf = certificate_pdf(&certificate(&key));
    let dir = artifacts();
    let pdf_path = dir.join("attestation-150-dpi.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join("attestation-150-dpi"))
        .status()
        .unwrap();
    assert!(status.success());
    let read = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(dir.join("attestation-150-dpi.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/install-deps.sh");
    assert!(read.status.success(), "zbar finds no QR code at 150 dpi");
    let content = String::from_utf8(read.stdout).unwrap();
    assert_eq!(verify(content.trim(), &[key.verifying_key()]), Ok(claims()));
    assert!(content.trim().len() <= 240, "a compact code: {} characters", content.trim().len());
}

#[test]
fn the_recap_reads_in_french_with_its_availability() {
    let (text, _) = look_at("recapitulatif-de-formation", &recap_pdf(&recap()));
    for expected in [
        "Récapitulatif de formation",
        "Éléonore Dupré-Gaëlle",
        "16/11/2026",
        "35 heures",
        "Formation validée",
        "3 allée des Forgerons, 69200 Vénissieux",
        "jusqu'au 24/11/2032 inclus",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let initial = Recap { kind: TrainingKind::Fimo, available_until: None, ..recap() };
    let (text, _) = look_at("recapitulatif-fimo", &recap_pdf(&initial));
    assert!(text.contains("sans limite de durée"), "{text}");
}

#[test]
fn the_invoice_names_seller_buyer_lines_vat_and_total() {
    let table = FeeTable::default();
    let invoice = Invoice {
        number: InvoiceNumber::new(2026, 7),
        issued_on: "2026-11-25".into(),
        seller: Party {
            name: "Service de la carte de qualification de conducteur".into(),
            address_lines: vec!["104 avenue du Président Kennedy".into(), "75016 Paris".into()],
            identifiers: vec!["SIRET 000 000 000 00000".into(), "TVA FR00000000000".into()],
        },
        buyer: Party {
            name: "Éléonore Dupré-Gaëlle".into(),
            address_lines: vec!["12 rue des Lilas".into(), "69003 Lyon".into()],
            identifiers: vec![],
        },
        lines: vec![table.price(BillableItem::ReplacementCard, None).unwrap()],
        vat_basis_points: table.vat_basis_points,
        payment_reference: "sbx_pay_42".into(),
    };
    let pdf = invoice_pdf(&invoice);
    let (text, png) = look_at("facture", &pdf);
    for expected in [
        "Facture n° FAC-2026-000007",
        "Du 25/11/2026",
        "Éléonore Dupré-Gaëlle",
        "69003 Lyon",
        "SIRET 000 000 000 00000",
        "duplicata (perte ou vol)",
        "25,00 €",
        "TVA (20,00 %)",
        "5,00 €",
        "30,00 €",
        "sbx_pay_42",
    ] {
        assert!(text.contains(expected), "« {expected} » missing from:\n{text}");
    }
    assert!(std::fs::metadata(png).unwrap().len() > 10_000);
    assert!(!text.contains("DUPLICATA"), "the emailed original");
    let (duplicate, _) = look_at("facture-duplicata", &invoice_duplicate_pdf(&invoice));
    assert!(duplicate.contains("Facture n° FAC-2026-000007 — DUPLICATA"), "{duplicate}");
}

#[test]
fn the_return_coupon_says_what_is_wrong_and_where_to_post_the_card() {
    let coupon = ReturnCoupon {
        replacement_id: "b8f0c1de-0000-4000-8000-000000000001".into(),
        card_number: "FR2600000018".into(),
        holder: "Éléonore Dupré-Gaëlle".into(),
        defect_description: "La date de naissance imprimée est erronée (1958 au lieu de 1985).".into(),
        defective_elements: 1,
        return_address_lines: vec!["Service CQC — Retours".into(), "TSA 12345".into(), "75000 Paris".into()],
        declared_on: "2026-11-25".into(),
    };
    let (text, png) = look_at("coupon-de-retour", &return_coupon_pdf(&coupon));
    for expected in ["Coupon de retour", "FR2600000018", "1958 au lieu de 1985", "TSA 12345", "Éléments défectueux"]
    {
        assert!(text.contains(expected), "« {expected} » missing from:\n{text}");
    }
    let picture = image::open(png).unwrap().to_luma8();
    let code = rqrr::PreparedImage::prepare(picture).detect_grids()[0].decode().unwrap().1;
    assert_eq!(code, coupon.replacement_id);
}
