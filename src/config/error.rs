//! What can go wrong with the project file, each said with where (the file, a line, a field
//! path) and what to do.

use std::path::PathBuf;

use super::validate::Problem;
use super::{FILE_NAME, node_cli, schema};
use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no {FILE_NAME} found in {0} or any parent directory")]
    NotFound(PathBuf),
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: invalid {format}: {message}")]
    Syntax {
        path: PathBuf,
        /// YAML, or JSON for the Node CLI's project.
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}{}: {field}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Field {
        path: PathBuf,
        /// The value's line, when it is known (a file read from its text).
        line: Option<usize>,
        field: String,
        message: String,
    },
    #[error("{path} is not valid:\n{}", problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("no agent named {name:?} in {path}")]
    UnknownAgent {
        name: String,
        path: PathBuf,
        available: Vec<String>,
    },
    #[error("{path} has no agents")]
    NoAgents { path: PathBuf },
    #[error("{path} has several agents and no default_agent")]
    AmbiguousAgent {
        path: PathBuf,
        available: Vec<String>,
    },
    #[error("cannot save {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{root} is the official Node CLI's project ({}), which agentcore reads but does not change",
        node_cli::PROJECT_JSON
    )]
    ForeignProject { root: PathBuf },
}

impl ConfigError {
    /// The error as it is about `file`: the Node CLI's project is checked in this tool's
    /// form, written nowhere, so its errors name the file the user wrote instead.
    pub(super) fn about(self, file: PathBuf) -> Self {
        match self {
            ConfigError::Field {
                line,
                field,
                message,
                ..
            } => ConfigError::Field {
                path: file,
                line,
                field,
                message,
            },
            ConfigError::Invalid { problems, .. } => ConfigError::Invalid {
                path: file,
                problems,
            },
            other => other,
        }
    }
}

impl Diagnostic for ConfigError {
    fn hint(&self) -> Option<String> {
        match self {
            ConfigError::NotFound(_) => {
                Some("run `agentcore configure` in your project, or pass `--config PATH`".into())
            }
            // `configure` reads the file first, so it cannot rewrite past these.
            ConfigError::Syntax { .. }
            | ConfigError::Field { .. }
            | ConfigError::Invalid { .. } => Some("fix the file by hand where it says".into()),
            ConfigError::UnknownAgent { available, .. }
            | ConfigError::AmbiguousAgent { available, .. } => Some(format!(
                "pass `--agent NAME` with one of: {}",
                available.join(", ")
            )),
            ConfigError::NoAgents { .. } => Some("run `agentcore configure` to add one".into()),
            ConfigError::ForeignProject { .. } => Some(
                "`agentcore configure --import` writes it as .bedrock_agentcore.yaml, which agentcore then keeps; or change it with the Node CLI".into(),
            ),
            _ => None,
        }
    }
}

/// A field error with the line of the value it names. The typed read works on a document
/// already parsed, which has no positions; reading the text again as the same type finds the
/// same field with its line (only on this error path, so loading pays nothing for it).
pub(super) fn with_line(e: ConfigError, text: &str) -> ConfigError {
    let ConfigError::Field {
        path,
        line: None,
        field,
        message,
    } = e
    else {
        return e;
    };
    let again = serde_path_to_error::deserialize::<_, schema::ProjectConfig>(
        serde_norway::Deserializer::from_str(text),
    );
    let line = match &again {
        Err(e2) if e2.path().to_string() == field => e2.inner().location().map(|l| l.line()),
        _ => None,
    };
    ConfigError::Field {
        path,
        line,
        field,
        message,
    }
}
