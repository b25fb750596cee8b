//! The deploy history beside the project file, `.bedrock_agentcore/<agent>/deployments.json`:
//! one record per deploy, appended when its artifact is pushed (so an interrupted deploy is
//! still on record) and completed when the runtime answers. `destroy` deletes only the images
//! recorded here, never the rest of a repository; rollbacks can find a version's artifact.
//!
//! Written atomically; fields this version does not know are kept.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An image `deploy` pushed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PushedImage {
    /// `registry/repository`, as in the project file's `ecr_repository`.
    pub repository: String,
    pub tag: String,
    /// The manifest digest the registry reported, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Set once `destroy` deleted it from ECR.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PushedImage {
    pub fn uri(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }
}

/// One deploy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Record {
    /// RFC 3339, UTC.
    pub deployed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PushedImage>,
    /// The direct-code package this deploy uses (uploaded now or by an earlier deploy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<StoredObject>,
    /// The source a remote build was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<StoredObject>,
    pub cli_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// sha256 of the runtime request as printed (environment values masked): two deploys of
    /// the same configuration have the same hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_hash: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Record {
    /// What this deploy ran from: its image's URI, else its package's `s3://` URI.
    pub fn artifact_uri(&self) -> Option<String> {
        match (&self.image, &self.code) {
            (Some(i), _) => Some(i.uri()),
            (None, Some(c)) => Some(c.uri()),
            (None, None) => None,
        }
    }
}

/// An S3 object agentcore uploaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObject {
    pub bucket: String,
    pub key: String,
    pub sha256: String,
    #[serde(default)]
    pub deleted: bool,
    /// A direct-code package's managed runtime (`PYTHON_3_13`), for a rollback to apply it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// A direct-code package's entry point, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoredObject {
    pub fn new(bucket: &str, key: &str, sha256: &str) -> Self {
        StoredObject {
            bucket: bucket.into(),
            key: key.into(),
            sha256: sha256.into(),
            deleted: false,
            runtime: None,
            entry_point: None,
            extra: Map::new(),
        }
    }

    pub fn uri(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot read the deploy history {0}")]
    Read(PathBuf, #[source] std::io::Error),
    #[error("the deploy history {0} is not valid JSON: {1}")]
    Invalid(PathBuf, String),
    #[error("cannot write the deploy history {0}")]
    Write(PathBuf, #[source] std::io::Error),
}

impl crate::error::Diagnostic for HistoryError {
    fn hint(&self) -> Option<String> {
        match self {
            HistoryError::Invalid(p, _) => Some(format!(
                "fix or move {} (agentcore only appends to it)",
                p.display()
            )),
            _ => None,
        }
    }
}

pub struct History {
    path: PathBuf,
    pub records: Vec<Record>,
}

/// Where an agent's history lives, for a project file at `config`.
pub fn path_for(config: &Path, agent: &str) -> PathBuf {
    config
        .parent()
        .unwrap_or(Path::new("."))
        .join(".bedrock_agentcore")
        .join(agent)
        .join("deployments.json")
}

impl History {
    /// The agent's history; empty when there is none yet.
    pub fn load(config: &Path, agent: &str) -> Result<Self, HistoryError> {
        let path = path_for(config, agent);
        let records = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| HistoryError::Invalid(path.clone(), e.to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(HistoryError::Read(path, e)),
        };
        Ok(History { path, records })
    }

    pub fn save(&self) -> Result<(), HistoryError> {
        let err = |e| HistoryError::Write(self.path.clone(), e);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut text = serde_json::to_string_pretty(&self.records).expect("records serialize");
        text.push('\n');
        crate::config::atomic::write_atomic(&self.path, text.as_bytes()).map_err(err)
    }

    /// Appends a record for a deploy that has just pushed `image`, and saves.
    pub fn record_push(
        &mut self,
        image: PushedImage,
        git_commit: Option<String>,
    ) -> Result<(), HistoryError> {
        self.records.push(Record {
            deployed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            image: Some(image),
            cli_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit,
            ..Record::default()
        });
        self.save()
    }

    /// Appends a record for a deploy whose artifact is in S3 (a direct-code package or a
    /// remote build's source), and saves.
    pub fn record_objects(
        &mut self,
        code: Option<StoredObject>,
        source: Option<StoredObject>,
        image: Option<PushedImage>,
        git_commit: Option<String>,
    ) -> Result<(), HistoryError> {
        self.records.push(Record {
            deployed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            image,
            code,
            source,
            cli_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit,
            ..Record::default()
        });
        self.save()
    }

    /// The S3 objects agentcore uploaded that are not deleted yet, each once.
    pub fn live_objects(&self) -> Vec<&StoredObject> {
        let mut seen = std::collections::BTreeSet::new();
        self.records
            .iter()
            .flat_map(|r| r.code.iter().chain(r.source.iter()))
            .filter(|o| !o.deleted && seen.insert((o.bucket.clone(), o.key.clone())))
            .collect()
    }

    /// Marks every record of the object as deleted.
    pub fn mark_object_deleted(&mut self, bucket: &str, key: &str) {
        for r in &mut self.records {
            for o in r.code.iter_mut().chain(r.source.iter_mut()) {
                if o.bucket == bucket && o.key == key {
                    o.deleted = true;
                }
            }
        }
    }

    /// Completes the last record with what the service answered, and saves.
    pub fn record_runtime(
        &mut self,
        agent_id: &str,
        version: &str,
        config_hash: Option<String>,
    ) -> Result<(), HistoryError> {
        if let Some(last) = self.records.last_mut() {
            last.agent_id = Some(agent_id.to_string());
            last.version = Some(version.to_string());
            last.config_hash = config_hash;
        }
        self.save()
    }

    /// The images agentcore pushed to `repository` that are not deleted yet.
    pub fn live_images(&self, repository: &str) -> Vec<&PushedImage> {
        self.records
            .iter()
            .filter_map(|r| r.image.as_ref())
            .filter(|i| !i.deleted && i.repository == repository)
            .collect()
    }

    /// Marks the image with `tag` in `repository` as deleted.
    pub fn mark_deleted(&mut self, repository: &str, tag: &str) {
        for i in self.records.iter_mut().filter_map(|r| r.image.as_mut()) {
            if i.repository == repository && i.tag == tag {
                i.deleted = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(tag: &str) -> PushedImage {
        PushedImage {
            repository: "1.dkr.ecr.us-west-2.amazonaws.com/r".into(),
            tag: tag.into(),
            digest: Some("sha256:ab".into()),
            deleted: false,
            extra: Map::new(),
        }
    }

    #[test]
    fn records_round_trip_and_keep_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join(".bedrock_agentcore.yaml");
        let mut h = History::load(&cfg, "a").unwrap();
        assert!(h.records.is_empty());
        h.record_push(image("t1"), Some("abc".into())).unwrap();
        h.record_runtime("rt-1", "1", Some("abc".into())).unwrap();
        h.record_push(image("t2"), None).unwrap();
        // A newer agentcore added a field: it survives a save by this one.
        let path = path_for(&cfg, "a");
        let text = std::fs::read_to_string(&path).unwrap().replacen(
            "\"cli_version\"",
            "\"future\": 1, \"cli_version\"",
            1,
        );
        std::fs::write(&path, text).unwrap();
        let mut h = History::load(&cfg, "a").unwrap();
        assert_eq!(h.records[0].version.as_deref(), Some("1"));
        assert_eq!(
            h.live_images("1.dkr.ecr.us-west-2.amazonaws.com/r").len(),
            2
        );
        h.mark_deleted("1.dkr.ecr.us-west-2.amazonaws.com/r", "t1");
        h.save().unwrap();
        let h = History::load(&cfg, "a").unwrap();
        assert_eq!(h.records[0].extra["future"], 1);
        let live = h.live_images("1.dkr.ecr.us-west-2.amazonaws.com/r");
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].tag, "t2");
        assert!(h.live_images("other").is_empty());
    }

    #[test]
    fn a_broken_history_is_an_error_not_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join(".bedrock_agentcore.yaml");
        let path = path_for(&cfg, "a");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{nope").unwrap();
        assert!(matches!(
            History::load(&cfg, "a"),
            Err(HistoryError::Invalid(..))
        ));
    }
}
