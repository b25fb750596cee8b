//! What makes an agent's OpenTelemetry export to `dev`: the environment the runtime sets for
//! the AWS distro, pointed at the emulator's own OTLP receiver (the endpoint variables, and the
//! per-signal ones older distros read), each only where the user has not set it; and the
//! agent started under `opentelemetry-instrument` when that is installed where it runs, as the
//! generated Dockerfile starts it.

use std::path::Path;

use crate::config::AgentConfig;

/// The variables, for an agent whose observability is on; `base` is the emulator's URL.
pub fn env(a: &AgentConfig, base: &str, set: &[(String, String)]) -> Vec<(String, String)> {
    if !a.aws.observability.enabled {
        return vec![];
    }
    let arn = format!(
        "arn:aws:bedrock-agentcore:local:000000000000:runtime/{}",
        a.name
    );
    let wanted = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", base.to_string()),
        (
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            format!("{base}/v1/traces"),
        ),
        (
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
            format!("{base}/v1/logs"),
        ),
        (
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
            format!("{base}/v1/metrics"),
        ),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf".into()),
        ("OTEL_TRACES_EXPORTER", "otlp".into()),
        ("OTEL_LOGS_EXPORTER", "otlp".into()),
        ("OTEL_METRICS_EXPORTER", "otlp".into()),
        ("OTEL_TRACES_SAMPLER", "parentbased_always_on".into()),
        ("OTEL_PROPAGATORS", "tracecontext,baggage".into()),
        ("OTEL_PYTHON_EXCLUDED_URLS", "/ping".into()),
        // Node's auto-instrumentation: no cloud metadata probes (each a request to a machine
        // that is not there, and spans of their own), no socket- and DNS-level spans.
        (
            "OTEL_NODE_RESOURCE_DETECTORS",
            "env,host,os,process,serviceinstance".into(),
        ),
        ("OTEL_NODE_DISABLED_INSTRUMENTATIONS", "dns,net,fs".into()),
        (
            "OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED",
            "true".into(),
        ),
        (
            "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",
            "true".into(),
        ),
        // Locally, spans should show up while the developer looks, not five seconds later.
        ("OTEL_BSP_SCHEDULE_DELAY", "200".into()),
        ("OTEL_BLRP_SCHEDULE_DELAY", "200".into()),
        ("OTEL_METRIC_EXPORT_INTERVAL", "2000".into()),
        (
            "OTEL_RESOURCE_ATTRIBUTES",
            format!(
                "service.name={}.DEFAULT,aws.service.type=gen_ai_agent,cloud.provider=aws,cloud.platform=aws_bedrock_agentcore,cloud.resource_id={arn}/runtime-endpoint/DEFAULT:DEFAULT",
                a.name
            ),
        ),
        ("AGENT_OBSERVABILITY_ENABLED", "true".into()),
    ];
    let user_set = |k: &str| {
        set.iter().any(|(n, _)| n == k)
            || a.environment_variables.contains_key(k)
            || std::env::var_os(k).is_some()
    };
    wanted
        .into_iter()
        .filter(|(k, _)| !user_set(k))
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// `command` under `opentelemetry-instrument` when observability is on and the instrument
/// script sits beside the agent's Python (its virtual environment has the distro or
/// `opentelemetry-instrumentation`).
pub fn instrumented(a: &AgentConfig, command: Vec<String>) -> Vec<String> {
    // A Node agent's registration is a `--require` of its own (`nodeenv`).
    if !a.aws.observability.enabled || a.language == "typescript" {
        return command;
    }
    let Some(python) = command.first() else {
        return command;
    };
    let beside = Path::new(python)
        .parent()
        .map(|d| d.join("opentelemetry-instrument"));
    let found = beside.filter(|p| p.is_file()).or_else(|| {
        // A bare `python3` runs from PATH: so does its instrument script.
        (!python.contains('/'))
            .then(|| which::which("opentelemetry-instrument").ok())
            .flatten()
    });
    match found {
        Some(inst) => std::iter::once(inst.to_string_lossy().into_owned())
            .chain(command)
            .collect(),
        None => command,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_own_settings_win() {
        let mut a = AgentConfig::new("a", "agent.py");
        a.environment_variables
            .insert("OTEL_TRACES_EXPORTER".into(), "console".into());
        let set = vec![(
            "OTEL_EXPORTER_OTLP_PROTOCOL".to_string(),
            "grpc".to_string(),
        )];
        let env = env(&a, "http://127.0.0.1:9", &set);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
            Some("http://127.0.0.1:9/v1/traces")
        );
        assert_eq!(get("OTEL_TRACES_EXPORTER"), None);
        assert_eq!(get("OTEL_EXPORTER_OTLP_PROTOCOL"), None);
        a.aws.observability.enabled = false;
        assert!(super::env(&a, "http://x", &[]).is_empty());
    }
}
