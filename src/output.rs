//! The printer: where every byte the user sees goes.
//!
//! Results go to stdout (as text, or as JSON with `--output json`); progress, warnings and logs go
//! to stderr. Spinners and bars are drawn only when stderr is a terminal and we are not in CI;
//! elsewhere the same messages become plain lines. Colour follows `--no-color` and `NO_COLOR`.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

/// One line on stderr. `eprintln!` panics when stderr is a closed pipe (`agentcore dev 2>&1 |
/// head` after head quit), which would take the command down with it; a lost progress line is
/// all a closed stderr may cost.
fn err_line(line: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(line).and_then(|()| err.write_all(b"\n"));
}

/// What a command prints on stdout when it succeeds: one typed struct per command, so the JSON
/// a script reads and the text a person reads come from the same fields (a renamed field is a
/// compile error, not a "-" in the output).
pub trait Report: Serialize {
    /// The text form, one result per line.
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

#[derive(Clone, Debug)]
pub struct Printer {
    pub format: OutputFormat,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    /// stderr is a terminal a person watches: spinners and prompts are allowed.
    pub interactive: bool,
}

impl Printer {
    pub fn new(format: OutputFormat, quiet: bool, verbose: u8, no_color: bool) -> Self {
        let stderr_tty = std::io::stderr().is_terminal();
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = !no_color && !no_color_env && stderr_tty;
        console::set_colors_enabled(color && std::io::stdout().is_terminal());
        console::set_colors_enabled_stderr(color);
        Printer {
            format,
            quiet,
            verbose,
            color,
            interactive: stderr_tty && !ci,
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// A progress line on stderr.
    pub fn status(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            err_line(format_args!("{msg}"));
        }
    }

    /// A line shown only with `-v`.
    pub fn debug(&self, msg: impl std::fmt::Display) {
        if self.verbose > 0 && !self.quiet {
            err_line(format_args!("{}", console::style(msg).dim()));
        }
    }

    pub fn warn(&self, msg: impl std::fmt::Display) {
        err_line(format_args!(
            "{} {msg}",
            console::style("warning:").yellow().bold()
        ));
    }

    pub fn success(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            err_line(format_args!("{} {msg}", console::style("✓").green().bold()));
        }
    }

    /// A result line on stdout (text mode only; JSON results use [`Printer::json`]).
    pub fn result(&self, msg: impl std::fmt::Display) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{msg}");
    }

    /// The command's result as pretty JSON on stdout.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) {
        let mut out = std::io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut out, value);
        let _ = writeln!(out);
    }

    /// A command's result: its JSON with `--output json`, else its text form.
    pub fn report<R: Report + ?Sized>(&self, result: &R) {
        if self.is_json() {
            self.json(result);
        } else {
            let mut out = std::io::stdout().lock();
            let _ = result.write_text(&mut out);
        }
    }

    /// `value` with `--output json`, else `text` as the result line.
    pub fn json_or_text<T: Serialize + ?Sized>(&self, value: &T, text: &str) {
        if self.is_json() {
            self.json(value);
        } else {
            self.result(text);
        }
    }

    /// A spinner on a terminal, a plain line elsewhere.
    pub fn spinner(&self, msg: impl Into<String>) -> Progress {
        let msg = msg.into();
        if self.interactive && !self.quiet {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg}")
                    .expect("static template")
                    .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
            );
            pb.enable_steady_tick(Duration::from_millis(80));
            pb.set_message(msg);
            Progress {
                bar: Some(pb),
                quiet: self.quiet,
                last: std::sync::Mutex::new(String::new()),
            }
        } else {
            self.status(&msg);
            Progress {
                bar: None,
                quiet: self.quiet,
                last: std::sync::Mutex::new(msg),
            }
        }
    }
}

/// A running spinner (or its plain-line stand-in).
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// The last plain line, so a poll loop does not print the same line every second.
    last: std::sync::Mutex<String>,
}

impl Progress {
    pub fn set_message(&self, msg: impl Into<String>) {
        let msg = msg.into();
        match &self.bar {
            Some(pb) => pb.set_message(msg),
            None if !self.quiet => {
                let mut last = self.last.lock().expect("progress lock");
                if *last != msg {
                    err_line(format_args!("{msg}"));
                    *last = msg;
                }
            }
            None => {}
        }
    }
    pub fn finish(self) {
        if let Some(pb) = self.bar {
            pb.finish_and_clear();
        }
    }
    /// Prints a line above the spinner without tearing it.
    pub fn println(&self, msg: impl AsRef<str>) {
        match &self.bar {
            Some(pb) => pb.println(msg.as_ref()),
            None if !self.quiet => err_line(format_args!("{}", msg.as_ref())),
            None => {}
        }
    }
}
