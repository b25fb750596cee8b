//! `agentcore dev`'s limits, with small values: the service's timeouts on calls into the agent
//! (a synchronous answer, a stream, a WebSocket), the server's header-read timeout and
//! connection limit, duration flags checked when parsed, the payload bound (met before the
//! body is read) and the deadline for an agent's first answer to /ping. Every wait here is bounded and
//! ends on a signal (an answer, a close, an end of file, a log line), never on a sleep.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::{BUNDLED_ARN, Dev, Project, SESSION_HEADER, sid};
use futures_util::StreamExt;
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn session_state(dev: &Dev, s: &str) -> Value {
    common::sessions(dev).await["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == s)
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_hung_agent_meets_the_request_timeout_and_frees_its_session() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--request-timeout", "1s"]);
    let s = sid("hung");
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({"action": "sleep", "ms": 600_000}))
        .send()
        .await
        .expect("an answer before the client's own 30 s timeout");
    assert_eq!(r.status(), 424);
    assert_eq!(r.headers()["x-amzn-errortype"], "RuntimeClientError");
    let v: Value = r.json().await.unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("did not respond"),
        "{v}"
    );
    let st = session_state(&dev, &s).await;
    assert_eq!(
        st["in_flight"], 0,
        "the request still holds its session: {st}"
    );
    let next: Value = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(next["turn"], 2, "the session keeps its instance");
    dev.wait_log("--request-timeout");
}

#[tokio::test]
async fn a_stream_is_cut_at_the_stream_timeout() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--stream-timeout", "1s"]);
    let s = sid("long-stream");
    // Ten words 400 ms apart: about 3.6 s, well past the limit.
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({"prompt": "a b c d e f g h i j", "delay_ms": 400}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut body = r.bytes_stream();
    let mut seen = String::new();
    let mut cut = false;
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(b) => seen.push_str(&String::from_utf8_lossy(&b)),
            Err(_) => {
                cut = true;
                break;
            }
        }
    }
    assert!(cut, "the stream ended cleanly past its limit: {seen}");
    assert!(seen.starts_with("data: \"a\""), "{seen}");
    assert!(!seen.contains("\" j\""), "the whole stream arrived: {seen}");
    dev.wait_log("cut off at its time limit");
    let next: Value = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        next["turn"], 2,
        "a timed-out stream is not the agent's failure"
    );
}

#[tokio::test]
async fn a_websocket_is_closed_at_the_stream_timeout() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--stream-timeout", "1s"]);
    let mut req = format!("{}/ws", dev.url.replace("http://", "ws://"))
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert(SESSION_HEADER, sid("ws-limit").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    ws.send(Message::Text("hi".into())).await.unwrap();
    let echo = ws.next().await.unwrap().unwrap();
    assert_eq!(echo.into_text().unwrap().as_str(), "hi");
    let last = tokio::time::timeout(Duration::from_secs(20), ws.next())
        .await
        .expect("the emulator closed the connection at its limit");
    match last {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(u16::from(frame.code), 1008);
            assert!(frame.reason.contains("time limit"), "{}", frame.reason);
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
}

/// Reads until the server closes the connection; panics if it stays open for 20 s.
fn read_to_close(tcp: &mut std::net::TcpStream) -> Vec<u8> {
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut got = Vec::new();
    match tcp.read_to_end(&mut got) {
        Ok(_) => got,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => got,
        Err(e) => panic!("the connection stayed open: {e}"),
    }
}

#[test]
fn slow_and_silent_clients_are_disconnected_at_the_header_timeout() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--header-timeout", "1s"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    // Half a request's headers, then nothing: the slowloris pattern.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let silent_connect = std::net::TcpStream::connect(&addr).unwrap();
    read_to_close(&mut slow);
    let mut silent = silent_connect;
    read_to_close(&mut silent);
    // Others are still served.
    let mut ok = std::net::TcpStream::connect(&addr).unwrap();
    ok.write_all(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let answer = String::from_utf8_lossy(&read_to_close(&mut ok)).into_owned();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Reads one response whose body has a `content-length`, leaving the connection open.
fn read_response(tcp: &mut std::net::TcpStream) -> String {
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .expect("a content-length");
            if body.len() >= length {
                return text;
            }
        }
        let n = tcp.read(&mut chunk).unwrap();
        assert!(n > 0, "the connection closed mid-answer: {text}");
        got.extend_from_slice(&chunk[..n]);
    }
}

#[test]
fn a_kept_alive_connection_that_stalls_in_its_next_head_is_disconnected() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--header-timeout", "1s"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    // Two requests served on the connection: each head's deadline is later than the last.
    for _ in 0..2 {
        tcp.write_all(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let answer = read_response(&mut tcp);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    // Then half a head, and nothing: cut off at the timeout, not kept open.
    tcp.write_all(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let rest = String::from_utf8_lossy(&read_to_close(&mut tcp)).into_owned();
    assert!(!rest.contains("200 OK"), "{rest}");
}

#[test]
fn connections_past_the_limit_wait_for_a_free_one() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--max-connections", "2"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let first = std::net::TcpStream::connect(&addr).unwrap();
    let _second = std::net::TcpStream::connect(&addr).unwrap();
    dev.wait_log("connection limit reached (2 open)");
    let mut third = std::net::TcpStream::connect(&addr).unwrap();
    third
        .write_all(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    drop(first);
    let answer = String::from_utf8_lossy(&read_to_close(&mut third)).into_owned();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the waiting connection was served once one closed: {answer}"
    );
}

#[test]
fn bad_durations_are_usage_errors_not_panics() {
    let empty = Project::empty();
    for (flag, value) in [
        ("--idle-timeout", "inf"),
        ("--ping-deadline", "-1"),
        ("--max-lifetime", "NaN"),
        ("--request-timeout", "0"),
        ("--stream-timeout", "1e400"),
        ("--idle-timeout", "10 parsecs"),
        // Not a duration, but as senseless: no session could ever start.
        ("--max-sessions", "0"),
    ] {
        // A value dev took would start it serving: bounded, so that fails rather than hangs.
        let out = common::agentcore(empty.path())
            .args(["dev", "--port", "0", &format!("{flag}={value}")])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}={value}: {err}");
        assert!(err.contains(flag), "{flag}={value}: {err}");
        assert!(!err.contains("panicked"), "{flag}={value}: {err}");
    }
}

#[tokio::test]
async fn oversized_payloads_are_refused_before_the_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Claims 100 MB + 1 and sends none of it: the answer must come anyway.
    tcp.write_all(b"POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000001\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buf))
        .await
        .expect("answered without the body")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("x-amzn-errortype: validationexception"),
        "{head}"
    );

    // A chunked body with no length is cut off once it passes the limit.
    let chunk = bytes::Bytes::from(vec![b' '; 1 << 20]);
    let body =
        futures_util::stream::iter((0..101).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, sid("big"))
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn an_agent_that_never_answers_ping_fails_clearly_after_the_deadline() {
    let p = common::sdk_project(&[]);
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "    name: sdk_agent\n",
        "    name: sdk_agent\n    dev_command: [python3, -c, \"import time; print('booting forever', flush=True); time.sleep(60)\"]\n",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let dev = Dev::start(p.path(), &["--ping-deadline", "1"]);
    let r = common::post(&dev.invoke_url(common::ARN), &sid("slow"), json!({})).await;
    assert_eq!(r.status(), 424);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("Runtime initialization time exceeded"),
        "{v}"
    );
    let log = dev.log();
    assert!(
        log.contains("agent sdk_agent did not answer /ping within 1s"),
        "{log}"
    );
    assert!(
        log.contains("| booting forever"),
        "the agent's last lines are shown: {log}"
    );
}
