//! The card application's files on this machine, and the server's views kept for offline reading.

use crate::{LocalStore, Result};
use cqc_domain::application::DocumentKind;
use cqc_domain::upload::FileFormat;
use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A document kept locally, and whether the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub kind: DocumentKind,
    pub format: FileFormat,
    pub bytes: Vec<u8>,
    pub uploaded: bool,
}

impl LocalStore {
    /// Keeps a checked document, replacing the previous one of its kind; not yet uploaded.
    pub fn save_application_file(
        &self,
        application_id: &str,
        kind: DocumentKind,
        format: FileFormat,
        bytes: &[u8],
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO application_files (application_id, kind, bytes, format, uploaded) VALUES (?1, ?2, ?3, ?4, 0)
             ON CONFLICT (application_id, kind) DO UPDATE SET bytes = ?3, format = ?4, uploaded = 0,
             saved_at = CURRENT_TIMESTAMP",
            params![application_id, kind.as_str(), bytes, format.extension()],
        )?;
        Ok(())
    }

    pub fn mark_uploaded(&self, application_id: &str, kind: DocumentKind) -> Result<()> {
        self.conn.execute(
            "UPDATE application_files SET uploaded = 1 WHERE application_id = ?1 AND kind = ?2",
            params![application_id, kind.as_str()],
        )?;
        Ok(())
    }

    pub fn application_files(&self, application_id: &str) -> Result<Vec<LocalFile>> {
        let mut statement = self.conn.prepare(
            "SELECT kind, format, bytes, uploaded FROM application_files WHERE application_id = ?1 ORDER BY kind",
        )?;
        let rows = statement.query_map([application_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Vec<u8>>(2)?, row.get::<_, bool>(3)?))
        })?;
        let mut files = Vec::new();
        for row in rows {
            let (kind, format, bytes, uploaded) = row?;
            let (Some(kind), Some(format)) = (
                DocumentKind::parse(&kind),
                [FileFormat::Jpeg, FileFormat::Png, FileFormat::Pdf].into_iter().find(|f| f.extension() == format),
            ) else {
                continue;
            };
            files.push(LocalFile { kind, format, bytes, uploaded });
        }
        Ok(files)
    }

    /// The applications with a document the server does not have yet.
    pub fn applications_with_unsent_files(&self) -> Result<Vec<String>> {
        let mut statement =
            self.conn.prepare("SELECT DISTINCT application_id FROM application_files WHERE uploaded = 0")?;
        let ids = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// « Annuler », or an application the server no longer has: its files leave this machine.
    pub fn forget_application_files(&self, application_id: &str) -> Result<()> {
        self.conn.execute("DELETE FROM application_files WHERE application_id = ?1", [application_id])?;
        Ok(())
    }

    /// Keeps the last answer of the server under `name`, to show it offline.
    pub fn save_server_copy<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        self.conn.execute(
            "INSERT INTO server_copies (name, json) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET json = ?2",
            params![name, serde_json::to_string(value)?],
        )?;
        Ok(())
    }

    pub fn server_copy<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM server_copies WHERE name = ?1", [name], |row| row.get(0))
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DatabaseKey;

    #[test]
    fn a_document_survives_a_restart_until_the_server_has_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate();
        let path = dir.path().join("local.sqlite3");
        {
            let store = LocalStore::open(&path, &key).unwrap();
            store.save_application_file("a1", DocumentKind::Photo, FileFormat::Jpeg, b"jpeg").unwrap();
        }
        let store = LocalStore::open(&path, &key).unwrap();
        let files = store.application_files("a1").unwrap();
        assert_eq!(
            files,
            vec![LocalFile {
                kind: DocumentKind::Photo,
                format: FileFormat::Jpeg,
                bytes: b"jpeg".to_vec(),
                uploaded: false
            }]
        );
        assert_eq!(store.applications_with_unsent_files().unwrap(), vec!["a1".to_owned()]);
        store.mark_uploaded("a1", DocumentKind::Photo).unwrap();
        assert!(store.applications_with_unsent_files().unwrap().is_empty());
        assert!(store.application_files("a1").unwrap()[0].uploaded);
        // A new photo must be sent again.
        store.save_application_file("a1", DocumentKind::Photo, FileFormat::Jpeg, b"new").unwrap();
        assert!(!store.application_files("a1").unwrap()[0].uploaded);
        store.forget_application_files("a1").unwrap();
        assert!(store.application_files("a1").unwrap().is_empty());
    }

    #[test]
    fn logging_out_removes_the_documents_the_server_holds_and_keeps_the_unsent_ones() {
        let store = LocalStore::open_in_memory().unwrap();
        store.save_application_file("a1", DocumentKind::Photo, FileFormat::Jpeg, b"sent").unwrap();
        store.mark_uploaded("a1", DocumentKind::Photo).unwrap();
        store.save_application_file("a1", DocumentKind::Signature, FileFormat::Png, b"not yet").unwrap();
        store.save_server_copy("cards", &vec!["c1".to_owned()]).unwrap();
        store.forget_server_copies().unwrap();
        let kept: Vec<DocumentKind> = store.application_files("a1").unwrap().iter().map(|f| f.kind).collect();
        assert_eq!(kept, vec![DocumentKind::Signature]);
        assert_eq!(store.server_copy::<Vec<String>>("cards").unwrap(), None);
    }

    #[test]
    fn server_copies_read_back() {
        let store = LocalStore::open_in_memory().unwrap();
        assert_eq!(store.server_copy::<Vec<String>>("cards").unwrap(), None);
        store.save_server_copy("cards", &vec!["c1".to_owned()]).unwrap();
        assert_eq!(store.server_copy::<Vec<String>>("cards").unwrap(), Some(vec!["c1".to_owned()]));
    }
}
