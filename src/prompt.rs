//! Questions on a terminal. Only `configure` and `destroy` ask anything, and only when a person
//! is there (stdin and stderr are terminals, not CI, no `--non-interactive`); everywhere else
//! the caller takes a default or fails with a clear error instead.

use std::io::IsTerminal;

use dialoguer::{Confirm, Input};

use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
#[error("prompt failed: {0}")]
pub struct PromptError(String);

impl Diagnostic for PromptError {
    fn hint(&self) -> Option<String> {
        Some("pass the values as flags and add `--non-interactive`".into())
    }
}

/// Whether prompting is allowed at all.
pub fn can_prompt(printer_interactive: bool, non_interactive: bool) -> bool {
    printer_interactive && !non_interactive && std::io::stdin().is_terminal()
}

/// A line of text; Enter takes `default` (which may be empty).
pub fn text(question: &str, default: &str) -> Result<String, PromptError> {
    Input::<String>::new()
        .with_prompt(question)
        .default(default.to_string())
        .allow_empty(true)
        .show_default(!default.is_empty())
        .interact_text()
        .map_err(|e| PromptError(e.to_string()))
}

pub fn confirm(question: &str, default: bool) -> Result<bool, PromptError> {
    Confirm::new()
        .with_prompt(question)
        .default(default)
        .interact()
        .map_err(|e| PromptError(e.to_string()))
}
