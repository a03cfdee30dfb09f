//! The PDFs of the service: the training recap and the qualification certificate (guide steps 04
//! and 08), the invoice and the return coupon of a defective card (special cases 01 and 03).
//! Both sides render them from the same data: the server to email a certificate, the desktop to
//! download, save or print one offline. Fonts are embedded (DejaVu Sans, subset), so accents print
//! the same everywhere and the text can be searched and copied.
#![forbid(unsafe_code)]

mod sheet;

use cqc_domain::billing::Invoice;
use cqc_domain::qualification::CERTIFICATE_VALIDITY_MONTHS;
use cqc_domain::replacement::ReturnCoupon;
use cqc_domain::training::TrainingOutcome;
use cqc_sync::protocol::{Certificate, Recap};
pub use sheet::french_date;
use sheet::Sheet;

/// The qualification certificate: who, which qualification, valid when, the card expiry it
/// leads to, and the signed code as a QR.
pub fn certificate_pdf(certificate: &Certificate) -> Vec<u8> {
    let claims = &certificate.claims;
    let mut sheet = Sheet::new();
    sheet.header("Attestation de qualification", "Carte de qualification de conducteur — code 95");
    sheet.person("Titulaire", &claims.holder, &claims.birth_date, &claims.licence_number);
    sheet.section("Qualification");
    sheet.field("Qualification", claims.qualification.title_fr());
    sheet.field("Formation", claims.training_kind.title_fr());
    sheet.field("Fin de la formation", &french_date(&certificate.training_end));
    sheet.field("Centre de formation", &certificate.centre_name);
    sheet.field("Numéro d'agrément", &claims.centre_approval_number);
    sheet.section("Validité");
    sheet.field("Délivrée le", &french_date(&claims.issued_on));
    sheet.field(
        "Valable",
        &format!("du {} au {} inclus", french_date(&claims.valid_from), french_date(&claims.valid_until)),
    );
    sheet.field("Expiration du code 95 sur la carte", &french_date(&claims.card_expiry));
    sheet.paragraph(&format!(
        "Cette attestation vaut qualification pendant {CERTIFICATE_VALIDITY_MONTHS} mois, en France uniquement, \
         présentée avec une pièce d'identité. Demandez votre carte avant le {} : passé ce délai, un contrôle \
         routier peut donner lieu à une amende.",
        french_date(&claims.valid_until)
    ));
    sheet.qr(&certificate.code, "Code signé : vérifiable hors ligne dans l'application CQC, ou sans elle sur la page « Vérifier une attestation » du service");
    sheet.footer(&format!("Attestation n° {}", claims.certificate_id));
    sheet.finish("Attestation de qualification")
}

/// The training recap of « Mes formations ».
pub fn recap_pdf(recap: &Recap) -> Vec<u8> {
    let mut sheet = Sheet::new();
    sheet.header("Récapitulatif de formation", recap.kind.title_fr());
    sheet.person("Stagiaire", &recap.holder, &recap.birth_date, &recap.licence_number);
    sheet.section("Formation");
    sheet.field("Qualification", recap.qualification.title_fr());
    sheet.field("Du", &french_date(&recap.start_date));
    sheet.field("Au", &french_date(&recap.end_date));
    sheet.field("Durée", &format!("{} heures", recap.hours));
    sheet.field(
        "Résultat",
        match recap.outcome {
            TrainingOutcome::Passed => "Formation validée",
            TrainingOutcome::Failed => "Formation non validée",
        },
    );
    sheet.section("Centre de formation agréé");
    sheet.field("Centre", &recap.centre_name);
    sheet.field("Numéro d'agrément", &recap.centre_approval_number);
    sheet.field("Adresse", &recap.centre_address);
    sheet.section("Document");
    sheet.field("Délivré le", &french_date(&recap.issued_on));
    sheet.field(
        "Disponible",
        &match &recap.available_until {
            Some(until) => format!("jusqu'au {} inclus (6 ans)", french_date(until)),
            None => "sans limite de durée (qualification initiale)".to_owned(),
        },
    );
    sheet.footer(&format!("Formation n° {}", recap.training_id));
    sheet.finish("Récapitulatif de formation")
}

/// An invoice (original emailed, duplicate in « Mes factures »): number, date, seller, buyer,
/// each line before tax, the VAT and the total.
pub fn invoice_pdf(invoice: &Invoice) -> Vec<u8> {
    invoice_sheet(invoice, "")
}

/// The copy « Mes factures » hands out, marked as such.
pub fn invoice_duplicate_pdf(invoice: &Invoice) -> Vec<u8> {
    invoice_sheet(invoice, " — DUPLICATA")
}

fn invoice_sheet(invoice: &Invoice, mark: &str) -> Vec<u8> {
    let mut sheet = Sheet::new();
    sheet.header(
        &format!("Facture n° {}{mark}", invoice.number.as_str()),
        &format!("Du {}", french_date(&invoice.issued_on)),
    );
    for (title, party) in [("Vendeur", &invoice.seller), ("Client", &invoice.buyer)] {
        sheet.section(title);
        sheet.field("Nom", &party.name);
        for (i, line) in party.address_lines.iter().enumerate() {
            sheet.field(if i == 0 { "Adresse" } else { "" }, line);
        }
        for identifier in &party.identifiers {
            sheet.field("Identifiant", identifier);
        }
    }
    let rate = format!("{},{:02} %", invoice.vat_basis_points / 100, invoice.vat_basis_points % 100);
    for line in &invoice.lines {
        sheet.section("Désignation");
        sheet.paragraph(line.item.title_fr());
        sheet.field("Quantité", "1");
        sheet.field("Prix unitaire hors taxes", &line.net.french());
        sheet.field(&format!("TVA ({rate})"), &line.vat.french());
        sheet.field("Montant toutes taxes comprises", &line.gross.french());
    }
    let cqc_domain::billing::Totals { net, vat, gross } = invoice.totals();
    sheet.section("Total");
    sheet.field("Total hors taxes", &net.french());
    sheet.field(&format!("TVA ({rate})"), &vat.french());
    sheet.field("Total toutes taxes comprises", &gross.french());
    sheet.paragraph(&format!(
        "Payé par carte bancaire le {} (référence {}). Facture acquittée : aucun montant ne reste dû.",
        french_date(&invoice.issued_on),
        invoice.payment_reference
    ));
    sheet.footer(&format!(
        "Facture n° {} — conservez-la : son duplicata reste dans « Mes factures » pendant 10 ans.",
        invoice.number.as_str()
    ));
    sheet.finish(&format!("Facture {}", invoice.number.as_str()))
}

/// The coupon to post with a defective card: what is wrong with it and where to send it.
pub fn return_coupon_pdf(coupon: &ReturnCoupon) -> Vec<u8> {
    let mut sheet = Sheet::new();
    sheet.header("Coupon de retour", "Remplacement de la carte de qualification de conducteur — qualité");
    sheet.section("Carte retournée");
    sheet.field("Titulaire", &coupon.holder);
    sheet.field("Numéro de carte", &coupon.card_number);
    sheet.field("Déclaré le", &french_date(&coupon.declared_on));
    sheet.field("Éléments défectueux", &coupon.defective_elements.to_string());
    sheet.section("Défaut constaté");
    sheet.paragraph(&coupon.defect_description);
    sheet.section("Adresse d'envoi");
    for line in &coupon.return_address_lines {
        sheet.field("", line);
    }
    sheet.paragraph(
        "Découpez ce coupon et joignez-le à la carte dans une enveloppe affranchie. À réception, la carte est \
         analysée : si le défaut vient de sa fabrication, une nouvelle carte vous est envoyée sans frais ; sinon, \
         vous serez invité à corriger l'erreur et à régler le remplacement.",
    );
    sheet.qr(&coupon.replacement_id, "Référence de la demande de remplacement");
    sheet.footer(&format!("Demande de remplacement n° {}", coupon.replacement_id));
    sheet.finish("Coupon de retour")
}
