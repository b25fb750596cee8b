//! Projects made by the official Node CLI (`@aws/agentcore`), read as they are:
//! `agentcore/agentcore.json` (the runtimes: name, build `CodeZip|Container`, entrypoint,
//! codeLocation, runtimeVersion, protocol, …), `agentcore/aws-targets.json` (each target's
//! account and region) and `agentcore/.cli/deployed-state.json` (per target, each runtime's
//! id, ARN and role). They become this tool's form of the project in memory, so `dev`,
//! `invoke`, `status`, `logs`, `traces` and `versions` work on them with no second file;
//! `configure --import` writes that form out as `.bedrock_agentcore.yaml`. Nothing here
//! writes into the Node CLI's own files.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::ConfigError;

/// The project spec, relative to the project's root.
pub const PROJECT_JSON: &str = "agentcore/agentcore.json";
const TARGETS_JSON: &str = "agentcore/aws-targets.json";
const DEPLOYED_JSON: &str = "agentcore/.cli/deployed-state.json";

/// The nearest directory from `cwd` upwards that holds a Node CLI project.
pub fn locate(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .find(|d| d.join(PROJECT_JSON).is_file())
        .map(Path::to_path_buf)
}

/// The project under `root` in the toolkit's form (a document [`super::ConfigFile::parse`]
/// reads), and a notice saying where it came from and which target's deployment it shows.
pub fn convert(root: &Path) -> Result<(serde_norway::Value, Vec<String>), ConfigError> {
    let spec = read_json(&root.join(PROJECT_JSON))?.unwrap_or(Value::Null);
    let targets = read_json(&root.join(TARGETS_JSON))?.unwrap_or(json!([]));
    let deployed = read_json(&root.join(DEPLOYED_JSON))?.unwrap_or(Value::Null);
    let runtimes = spec["runtimes"].as_array().cloned().unwrap_or_default();
    if runtimes.is_empty() {
        return Err(ConfigError::Field {
            path: root.join(PROJECT_JSON),
            line: None,
            field: "runtimes".into(),
            message: "the project has no runtimes (agentcore add agent makes one)".into(),
        });
    }
    // The target deployed to, else the first one named: `default` when the Node CLI made it.
    let deployed_targets = deployed["targets"].as_object();
    let target_name = deployed_targets
        .and_then(|t| {
            t.keys()
                .find(|k| *k == "default")
                .or_else(|| t.keys().next())
        })
        .cloned()
        .or_else(|| targets[0]["name"].as_str().map(str::to_string));
    let target = target_name
        .as_deref()
        .and_then(|n| {
            targets
                .as_array()?
                .iter()
                .find(|t| t["name"].as_str() == Some(n))
        })
        .cloned()
        .unwrap_or(Value::Null);
    let states = target_name
        .as_deref()
        .and_then(|n| deployed_targets?.get(n))
        .map(|t| t["resources"]["runtimes"].clone())
        .unwrap_or(Value::Null);
    let mut agents = Map::new();
    for r in &runtimes {
        let name = r["name"].as_str().unwrap_or_default().to_string();
        agents.insert(name.clone(), agent(r, &target, &states[&name]));
    }
    let first = runtimes[0]["name"].clone();
    let doc = json!({ "default_agent": first, "agents": agents });
    let notice = format!(
        "read as the official Node CLI's project{}; `agentcore configure --import` writes it as .bedrock_agentcore.yaml",
        target_name
            .map(|t| format!(", target {t}"))
            .unwrap_or_default()
    );
    let value = serde_norway::to_value(doc).map_err(|e| ConfigError::Field {
        path: root.join(PROJECT_JSON),
        line: None,
        field: "(top level)".into(),
        message: e.to_string(),
    })?;
    Ok((value, vec![notice]))
}

/// One runtime in the toolkit's form: where its code is, how it is built and run, and what
/// the target's deploy made of it.
fn agent(r: &Value, target: &Value, state: &Value) -> Value {
    let s = |v: &Value| v.as_str().map(str::to_string);
    let code = s(&r["codeLocation"]).unwrap_or_else(|| ".".into());
    let code = code.trim_end_matches('/');
    let entry = s(&r["entrypoint"]).unwrap_or_default();
    let container = r["build"].as_str() == Some("Container");
    let runtime = s(&r["runtimeVersion"]);
    let language = match runtime.as_deref() {
        Some(v) if v.starts_with("NODE_") => "typescript",
        _ => "python",
    };
    let env: Map<String, Value> = r["envVars"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((s(&e["name"])?, e["value"].clone())))
        .collect();
    let lifecycle = &r["lifecycleConfiguration"];
    let mut a = json!({
        "name": r["name"],
        "language": language,
        "entrypoint": format!("{code}/{entry}"),
        "source_path": code,
        "deployment_type": if container { "container" } else { "direct_code_deploy" },
        "runtime_type": if container { Value::Null } else { json!(runtime) },
        "platform": "linux/arm64",
        "aws": {
            "account": target["account"],
            "region": target["region"],
            "execution_role": state["roleArn"].as_str().or(r["executionRoleArn"].as_str()),
            "network_configuration": { "network_mode": r["networkMode"].as_str().unwrap_or("PUBLIC") },
            "protocol_configuration": { "server_protocol": r["protocol"].as_str().unwrap_or("HTTP") },
            "observability": { "enabled": r["instrumentation"]["enableOtel"].as_bool().unwrap_or(true) },
            "lifecycle_configuration": {
                "idle_runtime_session_timeout": lifecycle["idleRuntimeSessionTimeout"],
                "max_lifetime": lifecycle["maxLifetime"],
            },
        },
        "bedrock_agentcore": { "agent_id": state["runtimeId"], "agent_arn": state["runtimeArn"] },
        "memory": { "mode": "NO_MEMORY" },
        "environment_variables": env,
    });
    if let Some(list) = r["requestHeaderAllowlist"].as_array() {
        a["request_header_configuration"] = json!({ "requestHeaderAllowlist": list });
    }
    if r["authorizerType"].as_str() == Some("CUSTOM_JWT") {
        a["authorizer_configuration"] = r["authorizerConfiguration"].clone();
    }
    a
}

fn read_json(path: &Path) -> Result<Option<Value>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
}
