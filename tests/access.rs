//! Who may reach `agentcore dev`, and how much: web pages of other origins, DNS-rebinding hosts
//! and non-loopback binds are refused before any agent starts, while SDK-like clients are
//! served; the service's quotas answer 429 in the service's shape; WebSockets and commands are
//! checked, logged and counted like invocations.

mod common;

use std::io::{Read, Write};

use common::{ARN, BUNDLED_ARN, Dev, Project, SESSION_HEADER, client, sdk_project, sid};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

async fn metrics(dev: &Dev) -> String {
    client()
        .get(format!("{}/metrics", dev.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn session_count(dev: &Dev) -> usize {
    let v: Value = client()
        .get(format!("{}/_agentcore/sessions", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["sessions"].as_array().unwrap().len()
}

/// The value of one metric line (`name{labels} value`), 0 when absent.
fn metric(text: &str, prefix: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse().unwrap())
        .unwrap_or(0)
}

/// Checks a refusal is the service's 403 shape and returns its message.
async fn assert_access_denied(r: reqwest::Response) -> String {
    assert_eq!(r.status(), 403);
    assert_eq!(r.headers()["x-amzn-errortype"], "AccessDeniedException");
    let v: Value = r.json().await.unwrap();
    v["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn pages_of_other_origins_are_refused_before_any_agent_starts() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let url = dev.invoke_url(ARN);
    // What a cross-site `fetch(url, {method: "POST", mode: "no-cors", body: "..."})` sends.
    let r = client()
        .post(&url)
        .header("Origin", "https://evil.example")
        .header("Content-Type", "text/plain;charset=UTF-8")
        .header("Sec-Fetch-Site", "cross-site")
        .header(SESSION_HEADER, sid("page"))
        .body(r#"{"prompt":"exfiltrate"}"#)
        .send()
        .await
        .unwrap();
    let msg = assert_access_denied(r).await;
    assert!(msg.contains("--allow-origin https://evil.example"), "{msg}");
    // The container face too.
    let r = client()
        .post(format!("{}/invocations", dev.url))
        .header("Origin", "null")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_access_denied(r).await;
    // A cross-site WebSocket: browsers send Origin on the handshake, and CORS does not apply.
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = format!("{}/ws", dev.url.replace("http://", "ws://"))
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("Origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!(
            "cross-site WebSocket was not refused: {:?}",
            other.map(|_| ())
        ),
    }
    assert_eq!(session_count(&dev).await, 0, "no session may start");
    let m = metrics(&dev).await;
    assert_eq!(
        metric(&m, "agentcore_agent_instances_started_total"),
        0,
        "{m}"
    );

    // An SDK client (no Origin) on the same emulator is served, and so is the emulator's own
    // origin.
    let r = client()
        .post(&url)
        .header(SESSION_HEADER, sid("sdk"))
        .json(&json!({"prompt": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    let r = client()
        .post(&url)
        .header("Origin", dev.url.clone())
        .header(SESSION_HEADER, sid("own"))
        .json(&json!({"prompt": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(dev.log().contains("refused POST"), "{}", dev.log());
}

/// A raw HTTP/1.1 request with the `Host` a DNS-rebinding page would send.
fn raw_request(addr: &str, host: &str, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn a_foreign_host_is_refused_and_loopback_names_are_served() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--allow-host", "devbox.test"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let port = addr.rsplit(':').next().unwrap();
    let refused = raw_request(
        &addr,
        &format!("rebind.evil.example:{port}"),
        "/_agentcore/sessions",
    );
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    assert!(
        refused
            .to_ascii_lowercase()
            .contains("x-amzn-errortype: accessdeniedexception")
    );
    assert!(refused.contains("--allow-host"), "{refused}");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "devbox.test".to_string(),
    ] {
        let ok = raw_request(&addr, &host, "/_agentcore/sessions");
        assert!(ok.starts_with("HTTP/1.1 200"), "{host}: {ok}");
    }
}

#[tokio::test]
async fn allowed_origins_get_cors_answers() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--allow-origin", "http://localhost:5173"]);
    let url = dev.invoke_url(BUNDLED_ARN);
    let pre = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,x-amzn-bedrock-agentcore-runtime-session-id",
        )
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let r = client()
        .post(&url)
        .header("Origin", "http://localhost:5173")
        .json(&json!({"prompt": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let other = client()
        .post(&url)
        .header("Origin", "http://localhost:3000")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_access_denied(other).await;
}

#[test]
fn a_non_loopback_bind_needs_allow_remote() {
    let empty = Project::empty();
    empty
        .cmd()
        .args(["dev", "--bundled", "--port", "0", "--host", "0.0.0.0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("refusing to listen on 0.0.0.0"))
        .stderr(predicates::str::contains("--allow-remote"));
    // A bad flag is a usage error even when the port is taken: flags are checked before
    // anything is bound (the port is held here, so no fixed port has to be free).
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    empty
        .cmd()
        .args([
            "dev",
            "--bundled",
            "--port",
            &port,
            "--quota",
            "invocations=5",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown quota \"invocations\""));
}

#[test]
fn origins_that_would_let_any_page_in_are_usage_errors() {
    let empty = Project::empty();
    for (origin, why) in [("*", "wildcard"), ("null", "sandboxed frame")] {
        empty
            .cmd()
            .args(["dev", "--bundled", "--port", "0", "--allow-origin", origin])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(why))
            .stderr(predicates::str::contains("http://localhost:5173"));
    }
}

#[tokio::test]
async fn a_burst_over_the_rate_is_throttled_in_the_service_shape() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--quota", "invocations-per-second=5"]);
    let url = dev.invoke_url(BUNDLED_ARN);
    let s = sid("burst");
    // Sequential, so the burst is exactly what the bucket holds: 5 pass, then refusals (a
    // token comes back every 200 ms; 20 requests to a local agent take far less).
    let mut statuses = Vec::new();
    let mut throttled = None;
    for _ in 0..20 {
        let r = client()
            .post(&url)
            .header(SESSION_HEADER, &s)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 && throttled.is_none() {
            assert_eq!(r.headers()["x-amzn-errortype"], "ThrottlingException");
            assert_eq!(r.headers()[SESSION_HEADER], s.as_str());
            throttled = Some(r.json::<Value>().await.unwrap());
        }
    }
    assert!(statuses[..5].iter().all(|s| *s == 200), "{statuses:?}");
    let body = throttled.unwrap_or_else(|| panic!("no 429 in {statuses:?}"));
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Rate exceeded"),
        "{body}"
    );
    let n429 = statuses.iter().filter(|s| **s == 429).count() as u64;
    let m = metrics(&dev).await;
    assert_eq!(
        metric(
            &m,
            "agentcore_throttled_total{agent=\"bundled_agent\",quota=\"invocations-per-second\"}"
        ),
        n429,
        "{m}"
    );

    let off = Dev::start(empty.path(), &["--no-quotas"]);
    let url = off.invoke_url(BUNDLED_ARN);
    for _ in 0..60 {
        let r = client()
            .post(&url)
            .header(SESSION_HEADER, &s)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "--no-quotas still throttled");
    }
}

/// Commands and shells are admitted as invocations are: an endpoint the agent does not have is
/// refused before a session starts, and they count against the invocation rate.
#[tokio::test]
async fn commands_are_admitted_like_invocations() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--quota", "invocations-per-second=3"]);
    let url = |qualifier: &str| {
        format!(
            "{}/runtimes/{}/commands?qualifier={qualifier}",
            dev.url,
            common::urlencode(BUNDLED_ARN)
        )
    };
    let s = sid("command-quota");
    let run = |qualifier: &'static str| {
        let (url, s) = (url(qualifier), s.clone());
        async move {
            let r = client()
                .post(url)
                .header(SESSION_HEADER, s)
                .json(&json!({"command": "true", "timeout": 10}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let kind = error_type(&r);
            // To the end: the command has finished before the next one starts.
            r.bytes().await.unwrap();
            (status, kind)
        }
    };
    let (status, kind) = run("nowhere").await;
    assert_eq!(status, 404, "{kind:?}");
    assert_eq!(kind.as_deref(), Some("ResourceNotFoundException"));
    assert_eq!(
        session_count(&dev).await,
        0,
        "a refused command started a session"
    );

    // Sequential, so the burst is what the bucket holds: 3 pass, then refusals.
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let (status, kind) = run("DEFAULT").await;
        if status == 429 {
            assert_eq!(kind.as_deref(), Some("ThrottlingException"));
        }
        statuses.push(status);
    }
    assert!(statuses[..3].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(
        statuses.contains(&429),
        "commands were not throttled: {statuses:?}"
    );
    let m = metrics(&dev).await;
    assert!(
        m.contains(
            "agentcore_throttled_total{agent=\"bundled_agent\",quota=\"invocations-per-second\"}"
        ),
        "{m}"
    );
}

#[tokio::test]
async fn new_sessions_per_minute_are_limited_but_existing_sessions_are_not() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--quota", "new-sessions-per-minute=2"]);
    let url = dev.invoke_url(BUNDLED_ARN);
    let post = |s: String| {
        let url = url.clone();
        async move {
            client()
                .post(&url)
                .header(SESSION_HEADER, s)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
        }
    };
    let (a, b) = (sid("first"), sid("second"));
    assert_eq!(post(a.clone()).await.status(), 200);
    assert_eq!(post(b.clone()).await.status(), 200);
    let r = post(sid("third")).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["x-amzn-errortype"], "ThrottlingException");
    assert_eq!(
        post(a).await.status(),
        200,
        "an existing session is not new"
    );
}

#[tokio::test]
async fn websockets_are_logged_counted_and_rate_limited() {
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--quota", "websocket-frames-per-second=3"]);
    let s = sid("ws");
    let mut req = format!(
        "{}/runtimes/{}/ws",
        dev.url.replace("http://", "ws://"),
        common::urlencode(BUNDLED_ARN)
    )
    .into_client_request()
    .unwrap();
    req.headers_mut().insert(SESSION_HEADER, s.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    for i in 0..3 {
        ws.send(Message::Text(format!("m{i}").into()))
            .await
            .unwrap();
        let echo = ws.next().await.unwrap().unwrap();
        assert_eq!(echo.into_text().unwrap().as_str(), format!("m{i}"));
    }
    // A fourth frame within the same second is over the rate: the emulator closes with 1008.
    ws.send(Message::Text("m3".into())).await.unwrap();
    match ws.next().await {
        Some(Ok(Message::Close(Some(f)))) => {
            assert_eq!(u16::from(f.code), 1008);
            assert!(f.reason.contains("ThrottlingException"), "{}", f.reason);
        }
        other => panic!("expected a policy close, got {other:?}"),
    }
    drop(ws);
    // The connection's log line appears when it closes (a signal to wait for, bounded).
    let mut logged = false;
    for _ in 0..100 {
        if dev.log().contains("GET /runtimes/…/ws agent=bundled_agent") {
            logged = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(logged, "{}", dev.log());
    assert!(
        dev.log().contains(&format!("session={s} status=101")),
        "{}",
        dev.log()
    );
    let m = metrics(&dev).await;
    assert_eq!(
        metric(
            &m,
            "agentcore_requests_total{agent=\"bundled_agent\",status=\"101\"}"
        ),
        1,
        "{m}"
    );
    assert_eq!(
        metric(
            &m,
            "agentcore_throttled_total{agent=\"bundled_agent\",quota=\"websocket-frames-per-second\"}"
        ),
        1,
        "{m}"
    );
    // An unknown qualifier is refused on the WebSocket route as on invocations.
    let req = format!(
        "{}/runtimes/{}/ws?qualifier=staging",
        dev.url.replace("http://", "ws://"),
        common::urlencode(BUNDLED_ARN)
    )
    .into_client_request()
    .unwrap();
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 404),
        other => panic!("unknown qualifier accepted: {:?}", other.map(|_| ())),
    }
}

/// One request on a kept-alive connection, its head and body in two writes (as Python's
/// http.client sends them); its status, or `None` when the connection was dropped.
fn split_write_post(
    s: &mut std::net::TcpStream,
    r: &mut std::io::BufReader<std::net::TcpStream>,
    host: &str,
    path: &str,
    sid: &str,
) -> Option<u16> {
    use std::io::BufRead;
    let body = b"{}";
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{SESSION_HEADER}: {sid}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut status = String::new();
    r.read_line(&mut status).ok()?;
    let code = status.split_whitespace().nth(1)?.parse().ok()?;
    let (mut len, mut chunked) = (0usize, false);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.to_ascii_lowercase();
        if l == "\r\n" {
            break;
        }
        if let Some(v) = l.strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        chunked |= l.starts_with("transfer-encoding:") && l.contains("chunked");
    }
    if !chunked {
        let mut rest = vec![0; len];
        r.read_exact(&mut rest).ok()?;
        return Some(code);
    }
    loop {
        let mut size = String::new();
        r.read_line(&mut size).ok()?;
        let n = usize::from_str_radix(size.trim(), 16).ok()?;
        let mut chunk = vec![0; n + 2];
        r.read_exact(&mut chunk).ok()?;
        if n == 0 {
            return Some(code);
        }
    }
}

#[test]
fn a_throttled_keep_alive_client_keeps_its_connection() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--quota", "invocations-per-second=1"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let path = format!(
        "/runtimes/{}/invocations?qualifier=DEFAULT",
        common::urlencode(BUNDLED_ARN)
    );
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut r = std::io::BufReader::new(s.try_clone().unwrap());
    let session = sid("keepalive");
    let statuses: Vec<Option<u16>> = (0..40)
        .map(|_| split_write_post(&mut s, &mut r, &addr, &path, &session))
        .collect();
    assert!(
        statuses.iter().all(Option::is_some),
        "the connection was dropped under throttling: {statuses:?}"
    );
    assert!(statuses.contains(&Some(429)), "{statuses:?}");
}

/// The service's error name (`x-amzn-ErrorType`) on an answer, if it has one.
fn error_type(r: &reqwest::Response) -> Option<String> {
    let v = r.headers().get("x-amzn-errortype")?;
    Some(v.to_str().unwrap().to_string())
}

/// POSTs `{}` to `id`'s invocation URL on `dev` with a fresh session; the status and message.
async fn call_runtime(dev: &Dev, id: &str) -> (u16, String) {
    let r = client()
        .post(dev.invoke_url(id))
        .header(SESSION_HEADER, sid("route"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = error_type(&r);
    let body = r.text().await.unwrap();
    if status == 404 {
        assert_eq!(kind.as_deref(), Some("ResourceNotFoundException"), "{body}");
    }
    (status, body)
}

/// Issue 23 #5: what the cloud would not find, `dev` does not serve, even with one agent.
#[tokio::test]
async fn only_hosted_runtimes_are_served_and_only_where_they_live() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    assert_eq!(call_runtime(&dev, BUNDLED_ARN).await.0, 200);
    assert_eq!(call_runtime(&dev, "bundled_agent").await.0, 200);
    let double_encoded = common::urlencode(BUNDLED_ARN);
    for id in [ARN, "ghost", double_encoded.as_str()] {
        let (status, body) = call_runtime(&dev, id).await;
        assert_eq!(status, 404, "{id}: {body}");
        assert!(
            body.contains("This emulator hosts: bundled_agent"),
            "{body}"
        );
    }

    // Two agents, one deployed: each is found by its own name, id or ARN; the deployed one
    // not under another account, region or id.
    let p = common::plain_agent_project();
    p.cmd()
        .args(["configure", "-ni", "-n", "other_agent", "-e", "agent.py"])
        .args(["--region", "us-west-2"])
        .assert()
        .success();
    let text = p
        .read(".bedrock_agentcore.yaml")
        .replace("agent_arn: null", &format!("agent_arn: {ARN}"))
        .replace(
            "    name: other_agent\n",
            "    name: other_agent\n    dev_command: [python3, plain_agent.py, \"{port}\"]\n",
        );
    p.write(".bedrock_agentcore.yaml", &text);
    let dev = Dev::start(p.path(), &[]);
    for id in [ARN, "sdk_agent", "sdk_agent-abcdefghij", "other_agent"] {
        let (status, body) = call_runtime(&dev, id).await;
        assert_eq!(status, 200, "{id}: {body}");
    }
    assert_eq!(
        call_runtime(&dev, &common::arn_of("other_agent")).await.0,
        200
    );
    let elsewhere = [
        ARN.replace("123456789012", "210987654321"),
        ARN.replace("us-west-2", "eu-west-1"),
        ARN.replace("abcdefghij", "zyxwvutsrq"),
        common::arn_of("other_agent").replace("us-west-2", "eu-west-1"),
    ];
    for id in &elsewhere {
        let (status, body) = call_runtime(&dev, id).await;
        assert_eq!(status, 404, "{id}: {body}");
        assert!(body.contains("sdk_agent, other_agent"), "{body}");
    }

    // The CLI with no project file asks `dev` what it hosts: two need a name.
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let outside = Project::empty();
    outside
        .cmd()
        .args(["invoke", "--local", "--port", &port, "{}"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("hosts sdk_agent, other_agent"))
        .stderr(predicates::str::contains("--agent sdk_agent"));
    outside
        .cmd()
        .args([
            "--agent",
            "other_agent",
            "invoke",
            "--local",
            "--port",
            &port,
        ])
        .args(["--output", "json", "{}"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"turn\""));
}

/// Issue 23 #10: a request's headers are bounded (431 past 64 KiB, before any routing), and a
/// session id is checked as the service checks `runtimeSessionId` (33 to 256 characters, no
/// pattern): spaces and `../` are taken as text and reach the agent unchanged.
#[tokio::test]
async fn headers_are_bounded_and_session_ids_are_checked_as_the_service_checks_them() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let path = format!("/runtimes/{}/invocations", common::urlencode(BUNDLED_ARN));
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    let big = "x".repeat(100 * 1024);
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nX-Big: {big}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");

    let odd = "../../etc/passwd with spaces and ../ dots";
    assert!((33..=256).contains(&odd.len()));
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, odd)
        .header("X-Fine", "y".repeat(8 * 1024))
        .json(&json!({"a": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[SESSION_HEADER], odd);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["session_id"], odd, "{v}");
    let short = "a".repeat(32);
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &short)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
}
