//! The desktop app's updates: an operator publishes a signed package (`cqc-server
//! publish-update`), every instance then offers it to the apps that ask. The package is kept with
//! the documents (a folder, or S3 for several instances); its signature is made with the release
//! key the apps carry and checked by them before anything is installed.

use crate::clock::Clock;
use crate::db::{releases, Db, DbError};
use crate::storage::{Documents, StorageError};
use base64::Engine as _;
use cqc_domain::release::{update_for, AppVersion, ReleaseError, ReleaseNotes, UpdateTarget};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("version : {0}")]
    Release(#[from] ReleaseError),
    #[error("le paquet n'est pas un paquet {0}")]
    NotThatKind(&'static str),
    #[error("la signature n'est pas une signature minisign en base64 (le fichier .sig de `tauri signer sign`)")]
    Signature,
    #[error("la signature a été faite pour la version {signed}, pas pour {published}")]
    SignedForAnotherVersion { signed: String, published: String },
    #[error("la signature n'est pas celle de la clé de publication : l'application refuserait ce paquet")]
    NotTheReleaseKey,
    #[error(
        "clé de publication illisible : CQC_UPDATER_PUBKEY attend le contenu du fichier .pub de `tauri signer generate`"
    )]
    ReleaseKey,
    #[error("stockage du paquet : {0}")]
    Storage(#[from] StorageError),
    #[error("base de données : {0}")]
    Database(#[from] DbError),
}

/// The release key's public half, the one the apps carry (`CQC_UPDATER_PUBKEY`: the content of
/// the `.pub` file `tauri signer generate` writes, base64 of minisign's public key file). A
/// package is published only if its signature is that key's: the apps would refuse any other,
/// and must never be offered it.
pub struct ReleaseKey(minisign_verify::PublicKey);

impl ReleaseKey {
    pub fn parse(text: &str) -> Result<Self, PublishError> {
        let text = text.trim();
        let decoded =
            base64::engine::general_purpose::STANDARD.decode(text).ok().and_then(|b| String::from_utf8(b).ok());
        let file = decoded.as_deref().unwrap_or(text);
        minisign_verify::PublicKey::decode(file).map(Self).map_err(|_| PublishError::ReleaseKey)
    }
}

/// Where a release's package of one kind is kept.
pub fn package_key(version: &AppVersion, target: UpdateTarget) -> String {
    format!("mises-a-jour/{version}/{}", target.as_str())
}

/// A package to publish, as the release build made it.
pub struct Package<'a> {
    pub target: &'a str,
    pub bytes: Vec<u8>,
    /// The content of the `.sig` file made beside it.
    pub signature: &'a str,
}

/// Publishes `version` with its notes and this package; apps of the package's kind with an
/// older version are offered it from now on. Publishing again replaces the notes and the package.
pub async fn publish(
    db: &Db,
    documents: &Documents,
    clock: &dyn Clock,
    release_key: &ReleaseKey,
    version: &str,
    notes: &str,
    package: Package<'_>,
) -> Result<AppVersion, PublishError> {
    let version: AppVersion = version.parse()?;
    let notes = ReleaseNotes::parse(notes)?;
    let target = UpdateTarget::parse(package.target)?;
    if !target.accepts(&package.bytes) {
        return Err(PublishError::NotThatKind(target.as_str()));
    }
    let signature = package.signature.trim();
    check_signature(release_key, &package.bytes, signature, &version)?;
    let size = i64::try_from(package.bytes.len()).unwrap_or(i64::MAX);
    // The package first: the release is offered only once its package can be downloaded.
    documents.put(&package_key(&version, target), package.bytes).await?;
    let mut conn = db.pool.acquire().await.map_err(DbError::from)?;
    releases::publish(&mut conn, &version.to_string(), notes.as_str(), target.as_str(), signature, size, clock.now())
        .await?;
    Ok(version)
}

/// The signature must be what the apps check: base64 of a minisign signature of the package by
/// the release key (legacy signatures accepted, as the apps' updater does). When it says which
/// version it was made for (the Tauri CLI writes it in the trusted comment), that version.
fn check_signature(
    key: &ReleaseKey,
    package: &[u8],
    signature: &str,
    version: &AppVersion,
) -> Result<(), PublishError> {
    let text = base64::engine::general_purpose::STANDARD.decode(signature).map_err(|_| PublishError::Signature)?;
    let text = String::from_utf8(text).map_err(|_| PublishError::Signature)?;
    let decoded = minisign_verify::Signature::decode(&text).map_err(|_| PublishError::Signature)?;
    key.0.verify(package, &decoded, true).map_err(|_| PublishError::NotTheReleaseKey)?;
    let signed = decoded.trusted_comment().split('\t').find_map(|field| field.strip_prefix("version:"));
    match signed {
        Some(signed) if signed.parse::<AppVersion>().ok().as_ref() != Some(version) => {
            Err(PublishError::SignedForAnotherVersion { signed: signed.to_owned(), published: version.to_string() })
        }
        _ => Ok(()),
    }
}

/// The release an app of this kind and version is offered, if any.
pub async fn offer(
    conn: &mut crate::db::Conn,
    target: UpdateTarget,
    current: &AppVersion,
) -> Result<Option<(AppVersion, releases::PublishedPackage)>, DbError> {
    let published: Vec<(AppVersion, releases::PublishedPackage)> = releases::packages_for(conn, target.as_str())
        .await?
        .into_iter()
        .filter_map(|package| Some((package.version.parse().ok()?, package)))
        .collect();
    Ok(update_for(current, &published, |(version, _)| version).cloned())
}
