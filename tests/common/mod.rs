//! Shared helpers for the integration tests: temp projects and the binary under test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `agentcore` binary with a clean, predictable environment (no AWS settings from the
/// machine, no colour, not a terminal).
pub fn agentcore(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("agentcore").expect("binary built");
    c.current_dir(cwd)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env_remove("AGENTCORE_CONFIG")
        .env_remove("AGENTCORE_FAILPOINT")
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env("HOME", cwd);
    c
}

/// A temp directory holding a minimal agent project.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// `agent.py` + `requirements.txt` + `.python-version` (3.12).
    pub fn python() -> Self {
        let p = Self::empty();
        p.write("agent.py", "from bedrock_agentcore import BedrockAgentCoreApp\napp = BedrockAgentCoreApp()\n\n@app.entrypoint\ndef invoke(payload):\n    return {\"echo\": payload}\n");
        p.write("requirements.txt", "bedrock-agentcore\n");
        p.write(".python-version", "3.12\n");
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn cmd(&self) -> Command {
        agentcore(self.path())
    }

    pub fn yaml(&self) -> serde_norway::Value {
        serde_norway::from_str(&self.read(".bedrock_agentcore.yaml")).unwrap()
    }
}

pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}
