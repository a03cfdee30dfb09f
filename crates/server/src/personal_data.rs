//! « Mes données » (GDPR access and portability): everything the service holds about a driver,
//! in one archive: `resume.txt`, a summary a person reads; `donnees.json`, the same for a
//! machine; `documents/`, the files the driver sent and the photo printed on each card.

use crate::applications::{application_views, card_views};
use crate::db::{
    self, applications as stored_applications, cards as stored_cards, replacements as stored_replacements,
};
use crate::error::{AppError, AppResult};
use crate::replacements::replacement_views;
use crate::AppState;
use cqc_domain::billing::Invoice;
use cqc_domain::calendar::french_day;
use cqc_sync::api::{Notification, Profile};
use cqc_sync::applications::{ApplicationView, CardView, TimelineEntry};
use cqc_sync::protocol::{Certificate, Recap};
use cqc_sync::replacements::ReplacementView;
use serde::Serialize;
use std::io::Write;
use zip::write::SimpleFileOptions;

/// What `donnees.json` holds.
#[derive(Serialize)]
pub struct PersonalData {
    pub extracted_on: String,
    pub account: Profile,
    pub notifications: Vec<Notification>,
    pub applications: Vec<ApplicationView>,
    pub cards: Vec<CardView>,
    pub replacements: Vec<ReplacementView>,
    pub training_recaps: Vec<Recap>,
    pub certificates: Vec<Certificate>,
    pub invoices: Vec<Invoice>,
    /// The files of `documents/`, by their path in the archive.
    pub files: Vec<String>,
}

/// The archive of everything held about `driver_id`.
pub async fn archive(state: &AppState, driver_id: &str) -> AppResult<Vec<u8>> {
    let mut conn = state.db.snapshot().await?;
    let account = db::find_account(&mut conn, driver_id).await?;
    let notifications = db::notifications(&mut conn, driver_id).await?.into_iter().map(Notification::from).collect();
    let applications = stored_applications::applications_of(&mut conn, driver_id).await?;
    let applications = application_views(&mut conn, applications).await?;
    let held_cards = stored_cards::cards_of(&mut conn, driver_id).await?;
    let photos: Vec<(String, String)> = held_cards
        .iter()
        .map(|card| (format!("documents/carte-{}-photo", card.face.card_number), card.photo_key.clone()))
        .collect();
    let cards = card_views(&mut conn, held_cards).await?;
    let replacements = stored_replacements::replacements_of(&mut conn, driver_id).await?;
    let replacements = replacement_views(&mut conn, replacements).await?;
    let recaps =
        db::trainings::driver_documents(&mut conn, db::trainings::DriverDocument::Recap, driver_id, 0, i64::MAX)
            .await?
            .into_iter()
            .map(|(_, recap)| recap)
            .collect();
    let certificates =
        db::trainings::driver_documents(&mut conn, db::trainings::DriverDocument::Certificate, driver_id, 0, i64::MAX)
            .await?
            .into_iter()
            .map(|(_, certificate)| certificate)
            .collect();
    let invoices = stored_replacements::invoices_of(&mut conn, driver_id).await?;
    let ids: Vec<String> = applications.iter().map(|a: &ApplicationView| a.id.clone()).collect();
    let mut sent: Vec<(String, String)> = stored_applications::documents_of_many(&mut conn, &ids)
        .await?
        .into_iter()
        .flat_map(|(id, documents)| {
            documents.into_iter().map(move |d| (format!("documents/demande-{id}/{}", d.kind.as_str()), d.object_key))
        })
        .collect();
    sent.sort();
    drop(conn);

    let mut files = Vec::new();
    for (name, key) in sent.into_iter().chain(photos) {
        let bytes = state.documents.get(&key).await?;
        let name = match cqc_domain::upload::FileFormat::sniff(&bytes) {
            Some(format) => format!("{name}.{}", format.extension()),
            None => name,
        };
        files.push((name, bytes));
    }
    let data = PersonalData {
        extracted_on: french_day(state.clock.now()).to_string(),
        account: Profile::from(account),
        notifications,
        applications,
        cards,
        replacements,
        training_recaps: recaps,
        certificates,
        invoices,
        files: files.iter().map(|(name, _)| name.clone()).collect(),
    };
    zipped(&data, &files).map_err(AppError::internal)
}

fn zipped(data: &PersonalData, files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    archive.start_file("resume.txt", options)?;
    archive.write_all(summary(data).as_bytes())?;
    archive.start_file("donnees.json", options)?;
    archive.write_all(&serde_json::to_vec_pretty(data).map_err(std::io::Error::other)?)?;
    for (name, bytes) in files {
        // Images and PDFs are compressed already.
        archive.start_file(name, SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored))?;
        archive.write_all(bytes)?;
    }
    Ok(archive.finish()?.into_inner())
}

/// `2026-11-27T18:16:52Z` → `27/11/2026 19:16`, at Paris time; anything else as it is.
fn french_moment(rfc3339: &str) -> String {
    match time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) {
        Ok(at) => {
            let local = at.to_offset(cqc_domain::calendar::french_offset(at));
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                local.day(),
                u8::from(local.month()),
                local.year(),
                local.hour(),
                local.minute()
            )
        }
        Err(_) => rfc3339.to_owned(),
    }
}

/// The summary a person reads: what is held, in French, with the history of each request.
pub fn summary(data: &PersonalData) -> String {
    let day = cqc_documents::french_date;
    let mut text = format!(
        "Vos données au service de la carte de qualification de conducteur (CQC)\nExtraites le {}\n\n",
        day(&data.extracted_on)
    );
    let account = &data.account;
    text += &format!("COMPTE\n  {}\n  Adresse de messagerie : {}\n", account.display_name, account.email);
    if let Some(r) = &account.registration {
        text += &format!(
            "  Né(e) le {} à {} ({})\n  Téléphone mobile : {}\n  Adresse : {}, {} {}, {}\n  Permis de conduire : {}\n",
            day(&r.birth_date),
            r.birth_city,
            r.birth_country,
            r.mobile_phone,
            [r.address.line1.as_str(), r.address.line2.as_str()]
                .iter()
                .filter(|l| !l.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            r.address.postcode,
            r.address.city,
            r.address.country,
            r.licence_number
        );
    }
    let history = |timeline: &[TimelineEntry]| -> String {
        timeline.iter().map(|e| format!("      {} — {}\n", french_moment(&e.at), e.detail)).collect()
    };
    text += &format!("\nDEMANDES DE CARTE ({})\n", data.applications.len());
    for application in &data.applications {
        text += &format!("  Demande {}\n{}", application.id, history(&application.timeline));
    }
    text += &format!("\nCARTES ({})\n", data.cards.len());
    for card in &data.cards {
        text += &format!(
            "  Carte n° {}, délivrée le {}, code 95 valable jusqu'au {}\n{}",
            card.face.card_number,
            day(&card.face.issued_on),
            day(&card.face.code95_expiry),
            history(&card.timeline)
        );
    }
    text += &format!("\nDEMANDES DE REMPLACEMENT ({})\n", data.replacements.len());
    for replacement in &data.replacements {
        text += &format!("  Carte n° {}\n{}", replacement.card_number, history(&replacement.timeline));
    }
    text += &format!("\nFORMATIONS ({})\n", data.training_recaps.len());
    for recap in &data.training_recaps {
        text += &format!(
            "  {} du {} au {}, {} ({})\n",
            recap.kind.title_fr(),
            day(&recap.start_date),
            day(&recap.end_date),
            recap.centre_name,
            recap.centre_approval_number
        );
    }
    text += &format!("\nATTESTATIONS DE QUALIFICATION ({})\n", data.certificates.len());
    for certificate in &data.certificates {
        let claims = &certificate.claims;
        text += &format!("  Valable du {} au {}\n", day(&claims.valid_from), day(&claims.valid_until));
    }
    text += &format!("\nFACTURES ({})\n", data.invoices.len());
    for invoice in &data.invoices {
        text += &format!(
            "  {} du {} : {}\n",
            invoice.number.as_str(),
            day(&invoice.issued_on),
            invoice.totals().gross.french()
        );
    }
    text += &format!("\nNOTIFICATIONS ({})\n", data.notifications.len());
    for notification in &data.notifications {
        text += &format!("  {} — {}\n", french_moment(&notification.created_at), notification.title);
    }
    text += &format!("\nFICHIERS ({}), dans le dossier « documents »\n", data.files.len());
    for file in &data.files {
        text += &format!("  {file}\n");
    }
    text += "\nLe fichier donnees.json contient les mêmes données, lisibles par un programme.\n";
    text
}
