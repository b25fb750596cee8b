//! `dev --open`: the inspector in the user's browser. `$BROWSER` first (the convention git,
//! Python's `webbrowser` and xdg-utils share: `:`-separated commands, `%s` for the URL, else
//! the URL as the last argument), then the platform's opener. Never fatal: without a browser,
//! the printed URL is all there is.

use std::process::{Command, Stdio};

/// Opens `url`; `Ok` names the command that took it, `Err` says why none did.
pub fn open(url: &str) -> Result<String, String> {
    let mut tried = Vec::new();
    for (program, args) in candidates(url, std::env::var("BROWSER").ok()) {
        match spawn(&program, &args) {
            Ok(()) => return Ok(program),
            Err(e) => tried.push(format!("{program}: {e}")),
        }
    }
    Err(if tried.is_empty() {
        "no browser opener on this system (set BROWSER)".into()
    } else {
        tried.join("; ")
    })
}

/// What to try, in order: `browser` (the `$BROWSER` value), then the platform's openers.
fn candidates(url: &str, browser: Option<String>) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    if let Some(list) = browser {
        for cmd in list.split(':').filter(|c| !c.trim().is_empty()) {
            let mut words: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
            let program = words.remove(0);
            if words.iter().any(|w| w.contains("%s")) {
                words = words.iter().map(|w| w.replace("%s", url)).collect();
            } else {
                words.push(url.to_string());
            }
            out.push((program, words));
        }
    }
    let platform: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["explorer"]
    } else {
        &["xdg-open", "gio", "wslview"]
    };
    for p in platform {
        let args = if *p == "gio" {
            vec!["open".into(), url.into()]
        } else {
            vec![url.into()]
        };
        out.push(((*p).to_string(), args));
    }
    out
}

/// Starts the opener detached from the terminal (Ctrl-C in dev must not close the user's
/// browser) and reaps it on a thread of its own, so it never lingers as a zombie.
fn spawn(program: &str, args: &[String]) -> std::io::Result<()> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_variable_takes_a_placeholder_or_appends_the_url() {
        let c = candidates(
            "http://127.0.0.1:1/x",
            Some("firefox --new-tab:chromium --app=%s".into()),
        );
        assert_eq!(c[0].0, "firefox");
        assert_eq!(c[0].1, ["--new-tab", "http://127.0.0.1:1/x"]);
        assert_eq!(c[1].0, "chromium");
        assert_eq!(c[1].1, ["--app=http://127.0.0.1:1/x"]);
    }
}
