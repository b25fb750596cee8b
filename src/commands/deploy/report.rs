//! What `deploy` (and `build --remote`) prints, typed: each step taken or planned, the plan of a
//! dry run, and the deployed runtime. A step's `detail` stays a JSON document on purpose: it is
//! the request sent to AWS (or what came back), shown as AWS spells it, and differs per step.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::output::Report;

/// A step in the plan or the result.
#[derive(Clone, Serialize)]
pub(super) struct Step {
    pub action: &'static str,
    /// The kind of resource, or the one resource (an image's tag).
    pub resource: String,
    pub detail: Value,
}

/// A step, as every deploy stage records one.
pub(super) fn step(action: &'static str, resource: impl Into<String>, detail: Value) -> Step {
    Step {
        action,
        resource: resource.into(),
        detail,
    }
}

/// `deploy --dry-run`: what would be created or changed, with the request bodies.
#[derive(Serialize)]
pub(super) struct PlanReport<'a> {
    pub dry_run: bool,
    pub agent: &'a str,
    pub account: &'a str,
    pub region: &'a str,
    pub route: &'static str,
    pub steps: Vec<Step>,
}

impl Report for PlanReport<'_> {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "plan for {} ({}, {} in {}):",
            self.agent, self.route, self.account, self.region
        )?;
        for s in &self.steps {
            let what = summary(&s.detail);
            writeln!(out, "  {:<16} {:<28} {what}", s.action, s.resource)?;
        }
        Ok(())
    }
}

/// The one name a person needs from a step's detail: the first of these keys it has, at
/// its top level or one level down.
fn summary(detail: &Value) -> String {
    const KEYS: &[&str] = &[
        "name",
        "uri",
        "arn",
        "id",
        "bucket",
        "RoleName",
        "repositoryName",
        "agentRuntimeName",
        "route",
        "runtime",
    ];
    let direct = |v: &Value| {
        KEYS.iter()
            .find_map(|k| v.get(k).and_then(Value::as_str).map(str::to_string))
    };
    direct(detail)
        .or_else(|| detail.as_object().and_then(|o| o.values().find_map(direct)))
        .unwrap_or_default()
}

/// `build --remote`: the image built on CodeBuild.
#[derive(Serialize)]
pub(super) struct RemoteBuilt<'a> {
    pub agent: &'a str,
    pub image: &'a str,
    pub steps: &'a [Step],
}

impl Report for RemoteBuilt<'_> {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.image)
    }
}

/// The deployed runtime: where it is, what it runs, its role and logs, and the steps taken.
#[derive(Serialize)]
pub(super) struct Deployed<'a> {
    pub agent: &'a str,
    pub config: &'a Path,
    pub agent_id: &'a str,
    pub agent_arn: &'a str,
    pub version: &'a str,
    pub created: bool,
    pub status: &'a str,
    pub endpoint_status: Option<&'a str>,
    pub route: &'static str,
    /// A container deployment's image URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A direct-code deployment's package (`s3://bucket/key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub execution_role: &'a str,
    pub log_group: String,
    pub warnings: &'a [String],
    pub steps: &'a [Step],
}

impl Report for Deployed<'_> {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "agent_arn:  {}", self.agent_arn)?;
        match (&self.image, &self.code) {
            (Some(image), _) => writeln!(out, "image:      {image}")?,
            (None, Some(code)) => writeln!(out, "code:       {code}")?,
            (None, None) => {}
        }
        writeln!(out, "role:       {}", self.execution_role)?;
        writeln!(out, "logs:       {}", self.log_group)
    }
}
