//! What `destroy` prints, typed: the plan (one [`Item`] per resource: deleted, kept and why)
//! and the outcome of each step. The same fields make the JSON and the text.

use std::io::Write;

use serde::Serialize;

use super::Step;
use crate::output::Report;

/// What happens to one resource; serialized as `{"delete": "iam-role", "arn": …, "why": …}`.
#[derive(Serialize)]
pub(super) struct Item {
    #[serde(flatten)]
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects: Option<Vec<String>>,
    /// What goes with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<&'static str>,
    /// The condition it is deleted on.
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub condition: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// The verb and the kind of resource.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Action {
    Delete(&'static str),
    Keep(&'static str),
    Remove(&'static str),
    Clear(&'static str),
}

impl Item {
    pub fn new(action: Action) -> Self {
        Item {
            action,
            id: None,
            arn: None,
            name: None,
            repository: None,
            tags: None,
            objects: None,
            with: None,
            condition: None,
            why: None,
        }
    }

    /// One line: the item as compact JSON, as the plan has always been shown.
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `--dry-run`: the plan, nothing done.
#[derive(Serialize)]
pub(super) struct DryRun<'a> {
    pub dry_run: bool,
    pub agent: &'a str,
    pub plan: &'a [Item],
}

impl Report for DryRun<'_> {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for item in self.plan {
            writeln!(out, "{}", item.line())?;
        }
        Ok(())
    }
}

/// What each step did. The text form goes to stderr as the steps' own lines, so stdout
/// stays empty.
#[derive(Serialize)]
pub(super) struct Destroyed<'a> {
    pub agent: &'a str,
    pub steps: Vec<StepOutcome<'a>>,
    pub failed: usize,
}

#[derive(Serialize)]
pub(super) struct StepOutcome<'a> {
    pub step: &'a str,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

impl<'a> StepOutcome<'a> {
    pub fn of(s: &'a Step) -> Self {
        StepOutcome {
            step: &s.what,
            ok: s.result.is_ok(),
            result: s.result.as_ref().ok().map(String::as_str),
            error: s.result.as_ref().err().map(String::as_str),
        }
    }
}

impl Report for Destroyed<'_> {
    fn write_text(&self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_the_plan_shape() {
        let runtime = Item {
            id: Some("rt-1".into()),
            with: Some("its named endpoints"),
            ..Item::new(Action::Delete("agent-runtime"))
        };
        assert_eq!(
            runtime.line(),
            r#"{"delete":"agent-runtime","id":"rt-1","with":"its named endpoints"}"#
        );
        let repo = Item {
            repository: Some("r".into()),
            condition: Some("it holds no other images"),
            ..Item::new(Action::Delete("ecr-repository"))
        };
        assert_eq!(
            repo.line(),
            r#"{"delete":"ecr-repository","repository":"r","if":"it holds no other images"}"#
        );
        assert_eq!(
            Item::new(Action::Clear("deployment record in the project file")).line(),
            r#"{"clear":"deployment record in the project file"}"#
        );
    }
}
