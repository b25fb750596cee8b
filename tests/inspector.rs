//! The inspector (`dev`'s web page) in a real browser: Debian's headless Chromium, driven by
//! chromedriver through fantoccini (W3C WebDriver). Each test starts `dev`, opens the page and
//! works it as a user would; what the page shows is checked against what the emulator did.
//! Screenshots of the main views are taken on the way (to `AGENTCORE_SCREENSHOTS`, which the
//! README's images come from, else to a temp directory).

mod common;

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Dev, Project, SESSION_HEADER, sid};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// At most two browsers at once: this runs on two cores beside the rest of the suite.
static BROWSERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// chromedriver (in a process group of its own, so the Chromium it starts goes with it) and a
/// WebDriver session on it.
struct Browser {
    _driver: Driver,
    client: Option<Client>,
    _profile: tempfile::TempDir,
    _permit: tokio::sync::SemaphorePermit<'static>,
}

impl Browser {
    async fn start() -> Browser {
        let permit = BROWSERS.acquire().await.unwrap();
        let port = common::free_port();
        let mut cmd = Command::new("chromedriver");
        cmd.arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut driver = Driver(
            cmd.spawn()
                .expect("chromedriver (Debian's chromium-driver; scripts/test.sh installs it)"),
        );
        // It says when it listens.
        let mut out = std::io::BufReader::new(driver.0.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("started successfully") {
            line.clear();
            assert!(out.read_line(&mut line).unwrap() > 0, "chromedriver exited");
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1360,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        // Plain HTTP to chromedriver on loopback: no TLS stack needed.
        let http = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(http)
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session in Chromium");
        Browser {
            _driver: driver,
            client: Some(client),
            _profile: profile,
            _permit: permit,
        }
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// Opens the inspector and waits until its live feed is connected.
    async fn open(&self, dev: &Dev) {
        self.c().goto(&format!("{}/", dev.url)).await.unwrap();
        self.text_of("#feed", |t| t == "live").await;
    }

    /// Waits (up to 30 s) for the element's text to satisfy `ok`, and returns it.
    async fn text_of(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let mut last = String::from("(no such element)");
        for _ in 0..600 {
            if let Ok(e) = self.c().find(Locator::Css(css)).await {
                last = e.text().await.unwrap_or_default();
                if ok(&last) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css}: {last:?}");
    }

    /// Waits for an element and returns it.
    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.c()
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Clicks the element, again if the page redrew it between finding and clicking (lists
    /// are redrawn on feed events).
    async fn click(&self, css: &str) {
        let mut last = None;
        for _ in 0..100 {
            match self.element(css).await.click().await {
                Ok(()) => return,
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("click {css}: {last:?}");
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// The browser's console since the last call (chromedriver's log endpoint).
    async fn console(&self) -> Vec<Value> {
        let v = self.c().issue_cmd(BrowserLog).await.unwrap();
        v.as_array().cloned().unwrap_or_default()
    }

    /// Saves a screenshot of the page as it is now.
    async fn shot(&self, name: &str) {
        let png = self.c().screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }

    async fn close(mut self) {
        if let Some(c) = self.client.take() {
            let _ = c.close().await;
        }
    }
}

/// chromedriver's process group, killed on drop: a test that panicked (even before its
/// session was made) leaves no driver or Chromium behind.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

fn screenshot_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::var_os("AGENTCORE_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("agentcore-inspector-shots"));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
    .clone()
}

/// `POST /session/{id}/se/log {"type": "browser"}`: what the page wrote to the console.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

use axum::http;

fn severe(log: &[Value]) -> Vec<&Value> {
    log.iter()
        .filter(|e| e["level"] == "SEVERE" || e["level"] == "WARNING")
        .collect()
}

async fn sessions(dev: &Dev) -> Value {
    reqwest::get(format!("{}/_agentcore/sessions", dev.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_page_loads_with_no_console_errors() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let b = Browser::start().await;
    b.open(&dev).await;
    let url = b.c().current_url().await.unwrap();
    assert_eq!(url.path(), "/_agentcore/ui/", "/ leads to the inspector");
    b.text_of("#agent-info", |t| t.starts_with("HTTP · bundled"))
        .await;
    for tab in ["sessions", "requests", "traces", "metrics", "chat"] {
        b.click(&format!("#tabs button[data-tab={tab}]")).await;
        b.text_of(&format!("#tab-{tab}.on"), |_| true).await;
    }
    let log = b.console().await;
    assert!(severe(&log).is_empty(), "console: {log:#?}");
    // The log is read for real: an error the page makes now is in it.
    b.c()
        .execute("console.error('inspector-probe')", vec![])
        .await
        .unwrap();
    let log = b.console().await;
    assert!(
        log.iter().any(|e| e["message"]
            .as_str()
            .unwrap_or("")
            .contains("inspector-probe")),
        "{log:#?}"
    );
    b.close().await;
}

#[tokio::test]
async fn a_prompt_streams_in_before_the_agent_has_sent_its_last_word() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let gate = empty.join("gate");
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.contains("bundled")).await;
    b.click("#raw-json").await;
    let payload = json!({"prompt": "streamed words arrive one by one", "gate": gate});
    b.type_into("#prompt", &payload.to_string()).await;
    b.click("#send").await;
    let first = b
        .text_of(".turn:last-child .answer", |t| t.contains("streamed"))
        .await;
    assert!(
        !first.contains("one by one"),
        "the agent holds the rest until the gate opens: {first:?}"
    );
    std::fs::write(&gate, "go").unwrap();
    b.text_of(".turn:last-child .answer", |t| {
        t == "streamed words arrive one by one"
    })
    .await;
    b.text_of(".turn:last-child .meta", |t| t.starts_with("200 ·"))
        .await;
    // Six words and the summary event, one click away.
    b.click(".turn:last-child details.raw summary").await;
    let raw = b
        .text_of(".turn:last-child details.raw pre", |t| {
            t.contains("session_id")
        })
        .await;
    assert_eq!(raw.lines().count(), 7, "{raw}");
    // A plain prompt, with a custom header the agent echoes back.
    b.click("#raw-json").await;
    b.click("#auth summary").await;
    b.type_into(
        "#headers",
        "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant: acme",
    )
    .await;
    b.type_into("#prompt", "hello from the page").await;
    b.click("#send").await;
    b.text_of(".turn:last-child .answer", |t| t == "hello from the page")
        .await;
    b.click(".turn:last-child details.raw summary").await;
    b.text_of(".turn:last-child details.raw pre", |t| {
        t.contains("x-amzn-bedrock-agentcore-runtime-custom-tenant")
    })
    .await;
    b.click("#auth summary").await;
    b.shot("chat").await;
    assert!(severe(&b.console().await).is_empty());
    b.close().await;
}

#[tokio::test]
async fn a_session_appears_in_the_list_and_is_stopped_from_the_page() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.click("#tabs button[data-tab=sessions]").await;
    // Made from outside the page: the list learns of it from the feed.
    let s = sid("inspect");
    let r = reqwest::Client::new()
        .post(dev.invoke_url("bundled_agent"))
        .header(SESSION_HEADER, &s)
        .body(r#"{"hi": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let row = format!("#sessions-table tr[data-session='{s}']");
    b.text_of(&row, |t| t.contains("idle") && t.contains("bundled_agent"))
        .await;
    b.text_of("#n-sessions", |t| t == "1").await;
    b.shot("sessions").await;
    b.click(&format!("{row} button.stop")).await;
    b.text_of("#n-sessions", |t| t == "0").await;
    assert!(b.c().find(Locator::Css(&row)).await.is_err());
    assert_eq!(sessions(&dev).await["sessions"], json!([]));
    assert!(
        dev.log()
            .contains(&format!("session {s} stopped (StopRuntimeSession)"))
    );
    b.close().await;
}

#[tokio::test]
async fn a_424_shows_the_agents_error_lines() {
    let p = common::sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.contains("process")).await;
    b.click("#raw-json").await;
    b.type_into("#prompt", r#"{"mode": "raise"}"#).await;
    b.click("#send").await;
    b.text_of(".turn:last-child .meta", |t| t.starts_with("424"))
        .await;
    b.text_of(".turn:last-child .answer", |t| {
        t.contains("RuntimeClientError")
    })
    .await;
    b.text_of(".turn:last-child pre.lines", |t| {
        t.contains("agent blew up on purpose")
    })
    .await;
    b.click("#tabs button[data-tab=requests]").await;
    b.text_of("#requests-table tr.req", |t| t.contains("424"))
        .await;
    b.text_of("#requests-table tr.agent-lines", |t| {
        t.contains("ValueError: agent blew up on purpose")
    })
    .await;
    b.shot("requests").await;
    b.close().await;
}

#[tokio::test]
async fn the_invocations_trace_appears_and_its_waterfall_renders() {
    let p = common::strands_project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.contains("process")).await;
    b.type_into("#prompt", "add 2 and 3").await;
    b.click("#send").await;
    b.text_of(".turn:last-child .answer", |t| t.contains("The sum is 5."))
        .await;
    b.click("#tabs button[data-tab=traces]").await;
    // The emulator's spans come first; the agent's follow from its exporter, and the open
    // waterfall takes them in as they arrive.
    b.click("#trace-list button.trace").await;
    b.element("#trace-view .span[data-name^='execute_tool']")
        .await;
    // One snapshot of the rows (the waterfall is redrawn as spans arrive): name, and the
    // bar's left edge and width, laid out from the span's start and duration.
    let rows: Vec<(String, f64, f64)> = serde_json::from_value(
        b.c()
            .execute(
                "return [...document.querySelectorAll('#trace-view .waterfall .span')].map(r => { const b = r.querySelector('.bar').getBoundingClientRect(); return [r.dataset.name, b.left, b.width]; })",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        names[..2],
        ["InvokeAgentRuntime", "session.start"],
        "the root first, then its children in start order: {names:?}"
    );
    let call = names.iter().position(|n| *n == "agent.invoke").unwrap();
    assert!(
        names[call + 1..]
            .iter()
            .any(|n| n.starts_with("invoke_agent")),
        "the agent's spans under the emulator's call: {names:?}"
    );
    let (root, tool) = (
        &rows[0],
        rows.iter()
            .find(|r| r.0.starts_with("execute_tool"))
            .unwrap(),
    );
    assert!(
        rows.iter()
            .all(|r| r.2 <= root.2 + 0.5 && r.1 >= root.1 - 0.5),
        "the root's bar spans the trace: {rows:?}"
    );
    assert!(
        tool.1 > rows[1].1 + rows[1].2 - 0.5,
        "the tool ran after the session started: {rows:?}"
    );
    b.click("#trace-view .span[data-name^='execute_tool']")
        .await;
    b.text_of("#span-attrs", |t| {
        t.contains("gen_ai.tool.name") && t.contains("add")
    })
    .await;
    b.text_of("#trace-view pre.lines", |t| {
        t.contains("strands agent got a prompt")
    })
    .await;
    b.shot("traces").await;
    b.click("#tabs button[data-tab=metrics]").await;
    // The cards are read from /metrics, so the page's call shows there as a count.
    let count = |t: &str| {
        t.split_whitespace()
            .next()
            .and_then(|n| n.parse::<u64>().ok())
    };
    b.text_of(".card:first-child", |t| {
        t.ends_with("requests") && count(t) >= Some(1)
    })
    .await;
    b.text_of("#latency-table", |t| t.contains("strands_agent"))
        .await;
    b.shot("metrics").await;
    b.close().await;
}

#[tokio::test]
async fn an_mcp_agents_tools_are_listed_and_one_is_called() {
    let p = common::mcp_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.starts_with("MCP")).await;
    let tools = b
        .text_of("#tools", |t| {
            t.contains("add_numbers") && t.contains("whoami")
        })
        .await;
    assert!(tools.contains("crash"), "{tools}");
    // The form is made from the tool's input schema: two integers.
    let form = "#tools form[data-tool=add_numbers]";
    for (arg, v) in [("a", "40"), ("b", "2")] {
        let input = b.element(&format!("{form} input[name={arg}]")).await;
        assert_eq!(input.attr("type").await.unwrap().as_deref(), Some("number"));
        input.send_keys(v).await.unwrap();
    }
    b.click(&format!("{form} button[type=submit]")).await;
    b.text_of(".turn:last-child .answer", |t| t == "42").await;
    b.text_of(".turn:last-child .you", |t| t.contains(r#"{"a":40,"b":2}"#))
        .await;
    b.shot("mcp").await;
    assert!(severe(&b.console().await).is_empty());
    b.close().await;
}

#[tokio::test]
async fn the_page_and_its_api_refuse_other_origins() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let c = reqwest::Client::new();
    let page = c
        .get(format!("{}/_agentcore/ui/", dev.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("connect-src 'self'"));
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let etag = page.headers()["etag"].clone();
    let again = c
        .get(format!("{}/_agentcore/ui/", dev.url))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    for path in [
        "/_agentcore/ui/",
        "/_agentcore/requests",
        "/_agentcore/events",
    ] {
        let r = c
            .get(format!("{}{path}", dev.url))
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
        // A DNS-rebinding page's request: the emulator's address under another name.
        let mut tcp = std::net::TcpStream::connect(dev.url.trim_start_matches("http://")).unwrap();
        std::io::Write::write_all(
            &mut tcp,
            format!(
                "GET {path} HTTP/1.1\r\nHost: rebind.evil.example\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
        let mut head = String::new();
        std::io::BufReader::new(tcp).read_line(&mut head).unwrap();
        assert!(
            head.starts_with("HTTP/1.1 403"),
            "{path} under another host name: {head}"
        );
    }
}

#[test]
fn dev_open_uses_the_browser_and_never_fails_without_one() {
    let empty = Project::empty();
    let seen = empty.join("opened");
    let script = empty.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > {}\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let dev = Dev::start_with_env(
        empty.path(),
        &["--open"],
        &[("BROWSER", script.to_str().unwrap())],
    );
    // Written by the script's echo: wait for the whole line, not just the file.
    assert!(common::wait_until(
        || std::fs::read_to_string(&seen).is_ok_and(|t| t.ends_with('\n'))
    ));
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap().trim(),
        format!("{}/_agentcore/ui/", dev.url)
    );
    drop(dev);

    // No BROWSER and no opener on PATH: the URL is printed and dev serves on.
    let bare = empty.join("bin");
    std::fs::create_dir_all(&bare).unwrap();
    let dev = Dev::start_with_env(
        empty.path(),
        &["--open"],
        &[("BROWSER", ""), ("PATH", bare.to_str().unwrap())],
    );
    let log = dev.wait_log("could not open a browser");
    assert!(
        log.contains(&format!("the inspector is at {}/_agentcore/ui/", dev.url)),
        "{log}"
    );
    let ok = reqwest::blocking::get(format!("{}/ping", dev.url)).unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn an_a2a_agents_card_is_shown_and_a_message_answered() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "A2A"]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.starts_with("A2A")).await;
    let card = b.text_of("#card", |t| !t.contains("loading")).await;
    assert!(
        card.contains(&format!("{}/runtimes/bundled_agent/invocations", dev.url)),
        "the card advertises the emulator's URL: {card}"
    );
    b.type_into("#prompt", "hello over a2a").await;
    b.click("#send").await;
    b.text_of(".turn:last-child .answer", |t| t.contains("hello over a2a"))
        .await;
    b.text_of(".turn:last-child .meta", |t| t.starts_with("200"))
        .await;
    b.close().await;
}

#[tokio::test]
async fn an_ag_ui_agents_event_stream_is_rendered() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "AGUI"]);
    let b = Browser::start().await;
    b.open(&dev).await;
    b.text_of("#agent-info", |t| t.starts_with("AGUI")).await;
    b.type_into("#prompt", "words come back").await;
    b.click("#send").await;
    b.text_of(".turn:last-child .answer", |t| t == "words come back")
        .await;
    let chips = b
        .text_of(".turn:last-child .chips", |t| t.contains("RUN_FINISHED"))
        .await;
    assert!(
        chips.starts_with("RUN_STARTED") && chips.contains("TEXT_MESSAGE_START"),
        "{chips}"
    );
    b.close().await;
}

#[tokio::test]
async fn the_memory_view_walks_actors_sessions_and_events_and_searches_records() {
    let empty = Project::empty();
    let args = ["--ephemeral", "--memory-extraction-delay", "0"];
    let dev = Dev::start(empty.path(), &args);
    // What an agent would have stored, written through the Memory API itself.
    let http = reqwest::Client::new();
    let post = |path: String, body: Value| {
        let req = http.post(format!("{}{path}", dev.url)).json(&body);
        async move {
            let r = req.send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let created = post(
        "/memories/create".into(),
        json!({"name": "inspected", "eventExpiryDuration": 30,
            "memoryStrategies": [{"semanticMemoryStrategy": {"name": "Facts"}}]}),
    )
    .await;
    let memory = created["memory"]["id"].as_str().unwrap().to_string();
    let event = json!({"actorId": "alice", "sessionId": "chat-1", "eventTimestamp": 1796283225.5,
        "payload": [{"conversational": {"content": {"text": "My dog is called Rex"}, "role": "USER"}}]});
    post(format!("/memories/{memory}/events"), event).await;
    let b = Browser::start().await;
    b.open(&dev).await;
    b.click("#tabs button[data-tab=memory]").await;
    b.click("#memory-actors button[title=alice]").await;
    b.click("#memory-sessions button[title='chat-1']").await;
    b.text_of("#memory-events", |t| {
        t.contains("USER My dog is called Rex")
    })
    .await;
    b.type_into("#memory-query", "dog").await;
    b.click("#memory-search button").await;
    // The records list shows the record first (its namespace, no score); the search's answer
    // puts a score in front of each record.
    let found = b
        .text_of("#memory-records", |t| {
            t.contains("My dog is called Rex") && t.starts_with(|c: char| c.is_ascii_digit())
        })
        .await;
    assert!(found.starts_with("1.00"), "scored: {found}");
    b.shot("memory").await;
    assert!(severe(&b.console().await).is_empty());
    b.close().await;
}
