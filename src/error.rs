//! The error currency between commands and `main`, and its one renderer.
//!
//! Every module keeps its own `thiserror` enum; each implements [`Diagnostic`] so the top level
//! can print `error:`, one `caused by:` per source and an optional `hint:`, and pick the exit code
//! (1 for failures, 2 for usage errors). Nothing else in the crate prints errors.

use std::fmt::Write as _;

/// What an error can say beyond its message.
pub trait Diagnostic: std::error::Error + Send + Sync + 'static {
    /// One or more lines telling the user what to do next.
    fn hint(&self) -> Option<String> {
        None
    }
    /// True when the user called the tool wrongly (exit status 2).
    fn is_usage(&self) -> bool {
        false
    }
    /// An exit status to pass on as it is, with nothing printed: the status of a command the
    /// tool ran for the user (`exec`), which said what it had to say itself.
    fn passed_status(&self) -> Option<u8> {
        None
    }
}

/// A boxed [`Diagnostic`]; what command functions return.
pub struct Error(Box<dyn Diagnostic>);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl<E: Diagnostic> From<E> for Error {
    fn from(e: E) -> Self {
        Error(Box::new(e))
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&render(self, false))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self.0.passed_status() {
            Some(code) => code,
            None if self.0.is_usage() => 2,
            None => 1,
        }
    }

    /// True when the error only carries a status to pass on ([`Diagnostic::passed_status`]).
    pub fn is_passed_status(&self) -> bool {
        self.0.passed_status().is_some()
    }
}

/// An error and its causes as one line, `outer: inner: innermost`, each said once (a message
/// that holds its cause's already stands for it). For errors whose Debug form the SDK's
/// `DisplayErrorContext` would add: a user reads the story, never the structs.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// Renders an error as the user sees it on stderr.
pub fn render(err: &Error, color: bool) -> String {
    let paint = |s: &str, style: console::Style| {
        if color {
            style.apply_to(s).to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        paint("error:", console::Style::new().red().bold()),
        err.0
    );
    let mut source = std::error::Error::source(&*err.0);
    let mut last = err.0.to_string();
    while let Some(s) = source {
        let text = s.to_string();
        // thiserror messages often embed their source; don't say the same thing twice.
        if !last.contains(&text) {
            let _ = writeln!(
                out,
                "{} {}",
                paint("caused by:", console::Style::new().yellow()),
                text
            );
        }
        last = text;
        source = s.source();
    }
    if let Some(h) = err.0.hint() {
        for (i, line) in h.lines().enumerate() {
            let label = if i == 0 { "hint:" } else { "     " };
            let _ = writeln!(
                out,
                "{} {}",
                paint(label, console::Style::new().cyan().bold()),
                line
            );
        }
    }
    out
}
