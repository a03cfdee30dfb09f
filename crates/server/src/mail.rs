//! Emails: written to the `outgoing_emails` table in the same transaction as the change they
//! announce, then delivered by a background worker, as `.eml` files in an outbox folder by
//! default or through SMTP in production. A crash between the change and the delivery loses
//! nothing: the worker sends what is left at the next start.

use crate::clock::Clock;
use crate::db::outbox::{self, NewEmail, QueuedEmail};
use crate::db::Db;
use crate::db::{Conn, DbResult};
use crate::jobs::{Round, Worker, CLAIM_BATCH};
use crate::secrets::LinkSecret;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cqc_sync::protocol::Certificate;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Gives up on an email after this many failed deliveries (the error stays in the table).
const MAX_ATTEMPTS: i64 = 10;

pub enum Transport {
    /// One `<email id>.eml` file per email in a folder: sent again after a crash, an email
    /// replaces its own file instead of making a second one.
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn outbox(dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self::Outbox(dir))
    }

    /// `smtps://user:password@host:465` or `smtp://host:25?tls=required`.
    pub fn smtp(url: &str) -> Result<Self, lettre::transport::smtp::Error> {
        Ok(Self::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()))
    }

    async fn send(&self, id: &str, message: Message) -> Result<(), String> {
        match self {
            Self::Outbox(dir) => {
                tokio::fs::write(dir.join(format!("{id}.eml")), message.formatted()).await.map_err(|e| e.to_string())
            }
            Self::Smtp(t) => t.send(message).await.map(drop).map_err(|e| e.to_string()),
        }
    }
}

/// Wakes the delivery worker right after a commit that queued an email.
#[derive(Clone, Default)]
pub struct MailWaker(Arc<Notify>);

impl MailWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// What an emailed link's address carries in the stored body instead of its token: the token
/// is put in its place when the email is handed to the transport, from the link's key kept
/// beside the body, so that no database (nor its log, nor a backup) ever holds a live token.
pub const LINK_TOKEN_PLACE: &str = "JETON-AJOUTE-A-L-ENVOI";

/// How emails leave: the transport, the sender, and the secret that gives links their tokens.
pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    pub links: Arc<LinkSecret>,
}

/// A PDF sent with an email (the original of a certificate).
pub struct Attachment {
    pub name: String,
    pub pdf: Vec<u8>,
}

pub async fn enqueue(conn: &mut Conn, email: &Email, now: OffsetDateTime) -> DbResult<()> {
    insert(conn, email, None, None, None, now).await
}

/// An email with what goes with it: a PDF, or the key of the link whose token it carries.
pub async fn enqueue_with(
    conn: &mut Conn,
    email: &Email,
    attachment: Option<&Attachment>,
    link_key: Option<&str>,
    now: OffsetDateTime,
) -> DbResult<()> {
    let drawn = attachment.map(|a| (a.name.as_str(), STANDARD.encode(&a.pdf)));
    insert(conn, email, drawn.as_ref().map(|(name, data)| (*name, data.as_str())), None, link_key, now).await
}

/// An email with the PDF of a certificate, drawn when the email is sent: out of the push that
/// issued it, which holds the one writer.
pub async fn enqueue_with_certificate(
    conn: &mut Conn,
    email: &Email,
    certificate_id: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
    insert(conn, email, None, Some(certificate_id), None, now).await
}

async fn insert(
    conn: &mut Conn,
    email: &Email,
    attachment: Option<(&str, &str)>,
    certificate_id: Option<&str>,
    link_key: Option<&str>,
    now: OffsetDateTime,
) -> DbResult<()> {
    let email = NewEmail {
        to: &email.to,
        subject: &email.subject,
        body: &email.body,
        attachment_name: attachment.map(|(name, _)| name).or(certificate_id.map(|_| CERTIFICATE_PDF_NAME)),
        attachment_base64: attachment.map(|(_, data)| data),
        certificate_id,
        link_key,
    };
    outbox::insert_email(conn, &email, now).await
}

const CERTIFICATE_PDF_NAME: &str = "attestation-de-qualification.pdf";

/// The PDF of an email's attachment: stored with it, or drawn from the certificate it names.
async fn attachment_of(db: &Db, queued: &QueuedEmail) -> Result<Option<Attachment>, String> {
    let (name, data, certificate_id) =
        (queued.attachment_name.clone(), queued.attachment_base64.as_ref(), queued.certificate_id.as_deref());
    let Some(name) = name else { return Ok(None) };
    if let Some(data) = data {
        return Ok(STANDARD.decode(data).ok().map(|pdf| Attachment { name, pdf }));
    }
    let Some(certificate_id) = certificate_id else { return Ok(None) };
    let mut conn = db.readers.acquire().await.map_err(|e| e.to_string())?;
    let certificate: Option<Certificate> =
        crate::db::trainings::certificate(&mut conn, certificate_id).await.map_err(|e| e.to_string())?;
    drop(conn);
    // Withdrawn since (a duplicate merged away): the email is not sent with another's PDF.
    let certificate = certificate.ok_or_else(|| format!("attestation {certificate_id} retirée"))?;
    let pdf = tokio::task::spawn_blocking(move || cqc_documents::certificate_pdf(&certificate))
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(Attachment { name, pdf }))
}

/// Delivers queued emails until the process ends.
pub async fn run_delivery(db: Db, mailer: Mailer, waker: MailWaker, clock: Arc<dyn Clock>, worker: Worker) {
    loop {
        // A full batch sent may leave more behind it: claim again at once. After a failure, wait
        // for the next round rather than hammer a transport that is down.
        while let Some(round) = worker.round().await {
            match deliver_pending(&db, &mailer, clock.as_ref(), &worker, &round).await {
                Ok(sent) if sent == CLAIM_BATCH => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "email delivery round failed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = waker.0.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Sends the emails this instance could claim; answers how many went out. Each carries its row's id as its `Message-ID`: if
/// an instance dies between sending and recording it, the one that takes the email over sends
/// the same message again, which a mail server can recognise.
async fn deliver_pending(
    db: &Db,
    mailer: &Mailer,
    clock: &dyn Clock,
    worker: &Worker,
    round: &Round<'_>,
) -> DbResult<usize> {
    let mut sent = 0;
    for queued in outbox::claim_emails(db, worker.claim(clock.now()), MAX_ATTEMPTS).await? {
        if round.interrupted() {
            break;
        }
        let body = match &queued.link_key {
            Some(key) => queued.body.replace(LINK_TOKEN_PLACE, &mailer.links.token(key)),
            None => queued.body.clone(),
        };
        let email = Email { to: queued.recipient.clone(), subject: queued.subject.clone(), body };
        let message = attachment_of(db, &queued)
            .await
            .and_then(|attachment| build_message(&queued.id, &mailer.from, &email, attachment));
        let outcome = match message {
            Ok(message) => mailer.transport.send(&queued.id, message).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                sent += 1;
                outbox::email_sent(db, &queued.id, clock.now()).await?;
            }
            Err(error) => {
                tracing::warn!(%error, "email not delivered, will retry");
                outbox::email_failed(db, &queued.id, &error).await?;
            }
        }
    }
    Ok(sent)
}

fn build_message(id: &str, from: &Mailbox, email: &Email, attachment: Option<Attachment>) -> Result<Message, String> {
    let to: Mailbox = email.to.parse().map_err(|e: lettre::address::AddressError| e.to_string())?;
    // lettre picks the transfer encoding (quoted-printable for French text with long link lines).
    let body = Body::new(email.body.clone());
    let domain = from.email.domain();
    let builder = Message::builder()
        .message_id(Some(format!("<{id}@{domain}>")))
        .from(from.clone())
        .to(to)
        .subject(&email.subject);
    match attachment {
        None => builder.header(ContentType::TEXT_PLAIN).body(body),
        Some(attachment) => {
            let pdf = ContentType::parse("application/pdf").expect("a valid content type");
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
                    .singlepart(LettreAttachment::new(attachment.name).body(attachment.pdf, pdf)),
            )
        }
    }
    .map_err(|e| e.to_string())
}

/// The French texts of the emails.
pub mod templates {
    use super::Email;

    /// The same link for the app installed on the computer (`cqc://mot-de-passe?jeton=…`): it
    /// opens the app on the right screen; the web page stays for a computer without the app.
    fn in_the_app(web_link: &str) -> String {
        let page = web_link.split_once("://").map_or(web_link, |(_, rest)| rest);
        let page = page.split_once('/').map_or(page, |(_, path)| path);
        format!("Avec l'application CQC installée sur cet ordinateur : {}://{page}\n", cqc_sync::api::APP_LINK_SCHEME)
    }

    fn signed(body: String) -> String {
        format!("{body}\n\nCordialement,\nLe service de délivrance de la carte de qualification de conducteur (CQC)\n")
    }

    pub fn registration_received(to: &str, name: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre demande de création de compte a bien été reçue".into(),
            body: signed(format!(
                "Bonjour {name},\n\nVotre demande de création de compte a bien été reçue. Elle est en cours d'analyse : \
                 vous recevrez une réponse par courrier électronique sous 24 heures au maximum."
            )),
        }
    }

    /// What of an account a registration tried to take.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TakenBy {
        Email,
        LicenceNumber,
    }

    pub fn registration_attempted(to: &str, name: &str, taken_by: TakenBy) -> Email {
        let (subject, what) = match taken_by {
            TakenBy::Email => {
                ("Quelqu'un a essayé de créer un compte avec votre adresse", "votre adresse de messagerie")
            }
            TakenBy::LicenceNumber => (
                "Quelqu'un a essayé de créer un compte avec votre numéro de permis",
                "votre numéro de permis de conduire",
            ),
        };
        Email {
            to: to.to_owned(),
            subject: subject.into(),
            body: signed(format!(
                "Bonjour {name},\n\nUne demande de création de compte CQC vient d'être faite avec {what}, qui est déjà \
                 celui de votre compte : aucun autre compte n'a été créé.\n\nSi c'était vous, connectez-vous à votre \
                 compte ; si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié ». Si ce n'était pas \
                 vous, vous n'avez rien à faire."
            )),
        }
    }

    pub fn set_password(to: &str, name: &str, link: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre compte est validé : créez votre mot de passe".into(),
            body: signed(format!(
                "Bonjour {name},\n\nL'analyse de votre demande est conforme. Pour accéder à votre espace personnel, \
                 cliquez sur « Créer mon mot de passe » :\n\nCréer mon mot de passe : {link}\n{}\n\
                 Vous pouvez aussi copier ce lien dans l'application (« J'ai reçu un lien »). \
                 Il ne sert qu'une fois et expire dans 7 jours.",
                in_the_app(link)
            )),
        }
    }

    /// An administrator opened a staff account: the person sets their password.
    pub fn staff_invitation(to: &str, name: &str, space: &str, link: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre compte CQC est ouvert : créez votre mot de passe".into(),
            body: signed(format!(
                "Bonjour {name},\n\nUn administrateur du service CQC vous a ouvert un compte ({space}). \
                 Pour y accéder, cliquez sur « Créer mon mot de passe » :\n\nCréer mon mot de passe : {link}\n{}\n\
                 Vous pouvez aussi copier ce lien dans l'application (« J'ai reçu un lien »). \
                 Il ne sert qu'une fois et expire dans 7 jours.",
                in_the_app(link)
            )),
        }
    }

    pub fn correction_requested(to: &str, name: &str, items: &str, link: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre demande de création de compte est à compléter".into(),
            body: signed(format!(
                "Bonjour {name},\n\nL'analyse de votre demande a révélé au moins une erreur :\n\n{items}\n\
                 Mettez à jour vos informations pour une nouvelle analyse :\n\nCorriger ma demande : {link}\n{}\n\
                 Vous pouvez aussi copier ce lien dans l'application (« J'ai reçu un lien »).",
                in_the_app(link)
            )),
        }
    }

    pub fn reset_password(to: &str, link: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Réinitialisation de votre mot de passe".into(),
            body: signed(format!(
                "Bonjour,\n\nVous avez demandé à redéfinir votre mot de passe. Cliquez sur le lien ci-dessous \
                 (valable 1 heure, utilisable une seule fois) :\n\nRedéfinir mon mot de passe : {link}\n{}\n\
                 Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.",
                in_the_app(link)
            )),
        }
    }

    pub fn account_locked(to: &str, link: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre compte est bloqué pendant 15 minutes".into(),
            body: signed(format!(
                "Bonjour,\n\nCinq mots de passe erronés ont été saisis à la suite pour votre compte : il est bloqué \
                 pendant 15 minutes. Si ce n'était pas vous, ou pour le débloquer aussitôt, choisissez un nouveau \
                 mot de passe (lien valable 1 heure, utilisable une seule fois) :\n\n\
                 Débloquer et redéfinir mon mot de passe : {link}\n{}",
                in_the_app(link)
            )),
        }
    }

    pub fn certificate_issued(to: &str, name: &str, certificate: &cqc_sync::protocol::Certificate) -> Email {
        let claims = &certificate.claims;
        Email {
            to: to.to_owned(),
            subject: "Votre attestation de qualification".into(),
            body: signed(format!(
                "Bonjour {name},\n\nVotre formation « {} » ({}) a été enregistrée par {}. Vous trouverez en pièce \
                 jointe votre attestation de qualification, valable du {} au {} inclus, en France, avec une pièce \
                 d'identité.\n\nDemandez votre carte avant la fin de sa validité : passé ce délai, un contrôle \
                 routier peut donner lieu à une amende. L'attestation est aussi dans « Mes certificats ».",
                claims.training_kind.title_fr(),
                claims.qualification.title_fr(),
                certificate.centre_name,
                cqc_documents::french_date(&claims.valid_from),
                cqc_documents::french_date(&claims.valid_until),
            )),
        }
    }

    pub fn password_changed(to: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre mot de passe a été enregistré".into(),
            body: signed(
                "Bonjour,\n\nVotre mot de passe a été enregistré. Si vous n'êtes pas à l'origine de ce changement, \
                 utilisez « Mot de passe oublié » sans attendre."
                    .into(),
            ),
        }
    }

    pub fn account_closed(to: &str, name: &str) -> Email {
        let kept: String = cqc_domain::closure::KEPT_ON_CLOSURE.iter().map(|item| format!("- {item}\n")).collect();
        Email {
            to: to.to_owned(),
            subject: "Votre compte CQC est clôturé".into(),
            body: signed(format!(
                "Bonjour {name},\n\nVotre compte a été clôturé à votre demande. Vos coordonnées, votre mot de passe, \
                 vos notifications, vos brouillons et les pièces envoyées avec vos demandes (pièce d'identité, \
                 permis, signature) ont été supprimés ; vous ne pouvez plus vous connecter et ne recevrez plus de \
                 message du service.\n\nCe que la loi impose de conserver l'est encore :\n{kept}\n\
                 Vous pourrez créer un nouveau compte à tout moment. Si vous n'êtes pas à l'origine de cette \
                 clôture, répondez à ce message sans attendre."
            )),
        }
    }

    pub fn application_received(to: &str, name: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre demande de carte de qualification a bien été reçue".into(),
            body: signed(format!(
                "Bonjour {name},\n\nVotre demande de carte de qualification de conducteur est envoyée au service \
                 de traitement. Suivez-la dans « Mes demandes en cours »."
            )),
        }
    }

    pub fn application_correction_requested(to: &str, name: &str, items: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre demande de carte : des informations complémentaires sont demandées".into(),
            body: signed(format!(
                "Bonjour {name},\n\nPour traiter votre demande de carte, le service a besoin des éléments suivants :\n\n\
                 {items}\nOuvrez l'application, « Mes demandes en cours », puis « Répondre » : seuls ces éléments \
                 sont à fournir de nouveau."
            )),
        }
    }

    pub fn application_decided(to: &str, name: &str, approved: bool, reason: Option<&str>) -> Email {
        let (subject, text) = if approved {
            (
                "Votre demande de carte est acceptée",
                "Votre demande est acceptée : votre carte est en fabrication. Elle vous sera envoyée à l'adresse de \
                 livraison indiquée. À sa réception, vérifiez-la puis activez-la dans « Mes cartes »."
                    .to_owned(),
            )
        } else {
            (
                "Votre demande de carte est refusée",
                format!(
                    "Votre demande de carte est refusée pour le motif suivant : {}\n\nVous pouvez faire une nouvelle \
                     demande depuis « Mes demandes ».",
                    reason.unwrap_or_default()
                ),
            )
        };
        Email { to: to.to_owned(), subject: subject.into(), body: signed(format!("Bonjour {name},\n\n{text}")) }
    }

    /// The original of an invoice, attached.
    pub fn invoice_issued(to: &str, name: &str, number: &str, title: &str, total: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: format!("Votre facture {number}"),
            body: signed(format!(
                "Bonjour {name},\n\nVotre paiement de {total} pour « {title} » est enregistré. Vous trouverez en \
                 pièce jointe l'original de la facture {number}.\n\nUn nouveau duplicata de facture est disponible \
                 dans « Mes factures », où il reste téléchargeable pendant 10 ans."
            )),
        }
    }

    pub fn replacement_analysed(to: &str, name: &str, issuers_fault: bool, note: &str) -> Email {
        let text = if issuers_fault {
            "L'analyse de la carte que vous nous avez retournée montre un défaut de fabrication : une nouvelle carte \
             est en fabrication, sans frais. Elle vous sera envoyée à l'adresse de livraison indiquée."
                .to_owned()
        } else {
            format!(
                "L'analyse de la carte que vous nous avez retournée montre une erreur qui vous est imputée : {note}\n\n\
                 Ouvrez l'application, « Mes demandes en cours », pour corriger l'erreur puis régler le remplacement."
            )
        };
        Email {
            to: to.to_owned(),
            subject: "Votre demande de remplacement : résultat de l'analyse".into(),
            body: signed(format!("Bonjour {name},\n\n{text}")),
        }
    }

    /// A draft left alone for a month: it will be purged on `purge_on` unless resumed.
    pub fn code95_expiry_reminder(to: &str, name: &str, expiry: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: format!("Votre code 95 expire le {expiry}"),
            body: signed(format!(
                "Bonjour {name},\n\nLa qualification de conducteur (code 95) inscrite sur votre carte expire le \
                 {expiry}. Pour continuer à conduire à titre professionnel après cette date, suivez une formation \
                 continue obligatoire (FCO) dans un centre agréé avant l'expiration : le centre l'enregistre, \
                 vous recevez votre attestation dans l'application (« Mes certificats ») et vous pouvez demander \
                 votre nouvelle carte."
            )),
        }
    }

    pub fn certificate_window_reminder(to: &str, name: &str, last_day: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: format!("Demandez votre carte avant le {last_day}"),
            body: signed(format!(
                "Bonjour {name},\n\nVotre attestation de qualification vous permet de demander votre carte de \
                 qualification de conducteur jusqu'au {last_day} inclus, et aucune demande n'est commencée. \
                 Dans l'application, « Mes certificats », puis « Commencer » : pièces d'identité, permis, photo \
                 et signature. Passé cette date, une nouvelle formation sera nécessaire."
            )),
        }
    }

    pub fn draft_reminder(to: &str, name: &str, what: &str, purge_on: &str) -> Email {
        Email {
            to: to.to_owned(),
            subject: "Votre demande n'est pas terminée".into(),
            body: signed(format!(
                "Bonjour {name},\n\nVotre {what} est commencée mais n'a pas été validée, et rien n'y a changé depuis \
                 un mois. Reprenez-la dans l'application, « Mes demandes en cours », « Reprendre ».\n\nSans \
                 modification de votre part, elle sera supprimée le {purge_on}, avec les documents déjà versés."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_emailed_link_comes_with_its_twin_that_opens_the_app() {
        let email = super::templates::set_password(
            "jean@exemple.fr",
            "Jean",
            "http://cqc.example:8737/mot-de-passe?jeton=AbC-12_z9",
        );
        assert!(email.body.contains("Créer mon mot de passe : http://cqc.example:8737/mot-de-passe?jeton=AbC-12_z9"));
        assert!(
            email.body.contains("installée sur cet ordinateur : cqc://mot-de-passe?jeton=AbC-12_z9"),
            "{}",
            email.body
        );
    }
}
