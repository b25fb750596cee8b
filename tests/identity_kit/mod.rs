//! What the Identity tests share: the project with the test IdP as its credential provider
//! (and an API key provider), raw data-plane calls, and a browser that follows no redirect.
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::Value;

use crate::common::{Dev, Project};
use crate::jwt_idp::{self, TestIdp};

/// The application's return URL the projects register on their agent's workload.
pub const APP_CALLBACK: &str = "http://127.0.0.1:9/app/callback";

/// The environment the projects' provider entries reference for the test IdP's client.
pub const CLIENT_ENV: [(&str, &str); 2] = [
    ("TEST_CLIENT_ID", jwt_idp::CLIENT_ID),
    ("TEST_CLIENT_SECRET", jwt_idp::CLIENT_SECRET),
];

/// `dev` with the test IdP as `test-idp`; the IdP and project must outlive it.
pub fn identity_dev() -> (TestIdp, Project, Dev) {
    let idp = TestIdp::start_blocking(&[]);
    let p = identity_project(&idp, python_agent(), "agent.py");
    let dev = Dev::start_with_env(p.path(), &[], &CLIENT_ENV);
    (idp, p, dev)
}

/// The Python agent (`tests/fixtures/identity_agent`).
pub fn python_agent() -> Project {
    let p = Project::empty();
    p.write(
        "agent.py",
        include_str!("../fixtures/identity_agent/agent.py"),
    );
    p.write("requirements.txt", "bedrock-agentcore\n");
    p
}

/// `p`'s agent (`entry`) configured with the test provider, an API key provider read from
/// `SEARCH_API_KEY`, and the application's return URL registered on its workload.
pub fn identity_project(idp: &TestIdp, p: Project, entry: &str) -> Project {
    configured(idp, p, entry, &[])
}

/// [`identity_project`], with more `configure` flags.
pub fn configured(idp: &TestIdp, p: Project, entry: &str, more: &[&str]) -> Project {
    let provider = format!(
        "name=test-idp,vendor=CustomOauth2,client_id=${{TEST_CLIENT_ID}},client_secret=${{TEST_CLIENT_SECRET}},discovery_url={}",
        idp.discovery_url()
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-e",
            entry,
            "-n",
            "identity_agent",
            "--region",
            "us-west-2",
        ])
        .args(["--oauth2-provider", &provider])
        .args(more)
        .assert()
        .success();
    let yaml = p
        .read(".bedrock_agentcore.yaml")
        .replace(
            "api_key_env_var_name: null",
            "api_key_env_var_name: SEARCH_API_KEY",
        )
        .replace(
            "api_key_credential_provider_name: null",
            "api_key_credential_provider_name: search-key",
        )
        // The application's return URL, registered on the agent's workload as the service
        // requires for user federation.
        .replace(
            "workload: null",
            &format!("workload: {{name: identity_agent-local, return_urls: ['{APP_CALLBACK}']}}"),
        );
    p.write(".bedrock_agentcore.yaml", &yaml);
    p
}

pub fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// POSTs a raw data-plane call (any signature is accepted locally; none is sent here).
pub fn post(dev: &Dev, path: &str, body: Value) -> (u16, Option<String>, Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}{path}", dev.url))
        .json(&body)
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.to_str().unwrap().to_string());
    (status, kind, resp.json().unwrap_or(Value::Null))
}

/// A client that follows no redirect and sends what a browser sends when another site (the
/// application's page, the provider after consent) sends the user on to dev: dev must take
/// that navigation, though it refuses every other cross-site request.
pub fn browser() -> reqwest::blocking::Client {
    let mut navigation = reqwest::header::HeaderMap::new();
    for (k, v) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-dest", "document"),
    ] {
        navigation.insert(k, reqwest::header::HeaderValue::from_static(v));
    }
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(navigation)
        .build()
        .unwrap()
}
