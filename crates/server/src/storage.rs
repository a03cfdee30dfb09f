//! Where documents and photos are kept: a folder by default, S3-compatible object storage in
//! production, both through `object_store`. Keys are opaque; no name a user typed reaches a path.

use bytes::Bytes;
use futures::stream::BoxStream;
use object_store::path::Path as Key;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;

#[derive(Clone)]
pub struct Documents(Arc<dyn ObjectStore>);

#[derive(Debug, thiserror::Error)]
#[error("document storage: {0}")]
pub struct StorageError(#[from] object_store::Error);

impl Documents {
    /// Files under `dir` (created if missing).
    pub fn folder(dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir).map_err(|e| object_store::Error::Generic { store: "folder", source: e.into() })?;
        Ok(Self(Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)))
    }

    /// An S3 bucket; the endpoint, region and credentials come from the usual `AWS_*` variables.
    pub fn s3(bucket: &str) -> Result<Self, StorageError> {
        let store = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
        Ok(Self(Arc::new(store)))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        self.0.put(&Key::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Stores a document that a database change is about to name: unless [`Uncommitted::keep`] is
    /// called once that change is committed, it is deleted again, even when the request is
    /// dropped half-way (a timeout, a client gone): no file is left that no row names.
    pub async fn put_uncommitted(&self, key: &str, bytes: Vec<u8>) -> Result<Uncommitted, StorageError> {
        let pending = Uncommitted { documents: self.clone(), key: Some(key.to_owned()) };
        self.put(key, bytes).await?;
        Ok(pending)
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        Ok(self.0.get(&Key::from(key)).await?.bytes().await?.to_vec())
    }

    /// A large file read as it is sent, never whole in memory: its size and its bytes, or `None`
    /// when nothing is stored under `key`.
    pub async fn open(
        &self,
        key: &str,
    ) -> Result<Option<(u64, BoxStream<'static, object_store::Result<Bytes>>)>, StorageError> {
        match self.0.get(&Key::from(key)).await {
            Ok(found) => Ok(Some((found.meta.size, found.into_stream()))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Deleting what is already gone is fine: a retried cancellation must succeed.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.0.delete(&Key::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

/// A stored document not yet named by a committed row (see [`Documents::put_uncommitted`]).
pub struct Uncommitted {
    documents: Documents,
    key: Option<String>,
}

impl Uncommitted {
    /// The row that names the document is committed: it stays.
    pub fn keep(mut self) {
        self.key = None;
    }
}

impl Drop for Uncommitted {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            let documents = self.documents.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Err(error) = documents.delete(&key).await {
                        tracing::warn!(%error, %key, "an uncommitted document could not be removed");
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_keeps_and_forgets_documents() {
        let dir = tempfile::tempdir().unwrap();
        let documents = Documents::folder(&dir.path().join("documents")).unwrap();
        documents.put("applications/a/photo", b"jpeg".to_vec()).await.unwrap();
        assert_eq!(documents.get("applications/a/photo").await.unwrap(), b"jpeg");
        documents.delete("applications/a/photo").await.unwrap();
        documents.delete("applications/a/photo").await.unwrap();
        assert!(documents.get("applications/a/photo").await.is_err());
    }

    #[tokio::test]
    async fn a_document_whose_row_was_never_committed_does_not_stay() {
        let dir = tempfile::tempdir().unwrap();
        let documents = Documents::folder(&dir.path().join("documents")).unwrap();
        let kept = documents.put_uncommitted("applications/a/photo-1", b"jpeg".to_vec()).await.unwrap();
        kept.keep();
        drop(documents.put_uncommitted("applications/a/photo-2", b"jpeg".to_vec()).await.unwrap());
        for _ in 0..100 {
            if documents.get("applications/a/photo-2").await.is_err() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(documents.get("applications/a/photo-2").await.is_err());
        assert_eq!(documents.get("applications/a/photo-1").await.unwrap(), b"jpeg");
    }
}
