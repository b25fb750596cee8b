//! The kinds of agent AgentCore Runtime hosts (`protocolConfiguration.serverProtocol`), each in
//! its own module: the port the container listens on in the cloud, the path an
//! InvokeAgentRuntime call reaches, how the agent's health is checked, what keys a session, and
//! how the service's errors are shaped for that protocol's clients.
//!
//! The emulator runs every instance on a private loopback port whatever its contract port, so
//! several agents and sessions never collide; the contract port only tells what the cloud
//! expects (the generated Dockerfile's `EXPOSE`, `--container`'s published port).

pub mod a2a;
pub mod agui;
pub mod http;
pub mod mcp;

use axum::response::Response;

use super::errors::ServiceError;

/// An agent's protocol, from its project file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Protocol {
    #[serde(rename = "HTTP")]
    Http,
    #[serde(rename = "MCP")]
    Mcp,
    #[serde(rename = "A2A")]
    A2a,
    #[serde(rename = "AGUI")]
    Agui,
}

/// How an instance's health is checked, at start and in the background.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// `GET /ping`, answering `{"status": "Healthy" | "HealthyBusy"}` (HTTP, A2A, AG-UI).
    Ping,
    /// A JSON-RPC `ping` posted to the MCP endpoint (port 8000 has no `/ping`).
    McpPing,
}

impl Protocol {
    pub fn from_config(s: &str) -> Option<Protocol> {
        match s {
            "HTTP" => Some(Protocol::Http),
            "MCP" => Some(Protocol::Mcp),
            "A2A" => Some(Protocol::A2a),
            "AGUI" => Some(Protocol::Agui),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Mcp => "MCP",
            Protocol::A2a => "A2A",
            Protocol::Agui => "AGUI",
        }
    }

    /// The port the agent's container listens on in the cloud.
    pub fn contract_port(self) -> u16 {
        match self {
            Protocol::Http | Protocol::Agui => 8080,
            Protocol::Mcp => 8000,
            Protocol::A2a => 9000,
        }
    }

    /// Headers of the protocol's own the platform passes to the agent as they are.
    pub fn pass_through(self) -> &'static [axum::http::HeaderName] {
        match self {
            Protocol::Mcp => &mcp::PASS_THROUGH,
            Protocol::A2a => &a2a::PASS_THROUGH,
            _ => &[],
        }
    }

    /// Where an InvokeAgentRuntime call reaches the agent.
    pub fn invoke_path(self) -> &'static str {
        match self {
            Protocol::Http | Protocol::Agui => "/invocations",
            Protocol::Mcp => mcp::PATH,
            Protocol::A2a => "/",
        }
    }

    /// [`Protocol::invoke_path`] as a URI, parsed once: the clone of a static URI copies
    /// nothing, where parsing the path again was about 250 instructions a request.
    pub fn invoke_uri(self) -> axum::http::Uri {
        use Protocol::*;
        static URIS: std::sync::LazyLock<[axum::http::Uri; 4]> = std::sync::LazyLock::new(|| {
            [Http, Mcp, A2a, Agui].map(|p| axum::http::Uri::from_static(p.invoke_path()))
        });
        URIS[self as usize].clone()
    }

    pub fn probe(self) -> Probe {
        match self {
            Protocol::Mcp => Probe::McpPing,
            _ => Probe::Ping,
        }
    }

    /// The service's error as this protocol's clients receive it.
    pub fn error_response(self, e: ServiceError, rpc_id: Option<&serde_json::Value>) -> Response {
        match self {
            Protocol::Mcp => mcp::error_response(e, rpc_id),
            Protocol::A2a => a2a::error_response(e),
            Protocol::Agui => agui::error_response(e),
            _ => http::error_response(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_names_its_contract() {
        for (name, port, path) in [
            ("HTTP", 8080, "/invocations"),
            ("MCP", 8000, "/mcp"),
            ("A2A", 9000, "/"),
            ("AGUI", 8080, "/invocations"),
        ] {
            let p = Protocol::from_config(name).unwrap();
            assert_eq!(p.name(), name);
            assert_eq!((p.contract_port(), p.invoke_path()), (port, path));
            assert_eq!(p.invoke_uri().path(), path);
        }
        assert!(Protocol::from_config("GRPC").is_none());
        assert_eq!(Protocol::Mcp.probe(), Probe::McpPing);
    }
}
