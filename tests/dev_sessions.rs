//! `agentcore dev`'s sessions over their life: reaped when idle but not while the agent says
//! HealthyBusy, ended at their maximum lifetime even while in use, ended by StopRuntimeSession (with
//! the service's checks of its body), started on the instance made ready ahead, and waited for
//! and stopped when `dev` stops while one is still starting.

mod common;

use std::io::Write;

use common::{
    ARN, BUNDLED_ARN, Dev, Project, SESSION_HEADER, eventually, plain_agent_project, post,
    sdk_project, sessions, sessions_end, sid,
};
use serde_json::{Value, json};

#[tokio::test]
async fn idle_sessions_are_reaped_and_stop_session_ends_one() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--idle-timeout", "0.5"]);
    let url = dev.invoke_url(BUNDLED_ARN);
    let s = sid("idle");
    assert_eq!(post(&url, &s, json!({})).await.status(), 200);
    assert!(sessions_end(&dev).await, "idle session was not reaped");
    let v: Value = post(&url, &s, json!({})).await.json().await.unwrap();
    assert_eq!(v["turn"], 1, "a reaped session starts fresh");

    let stop = format!(
        "{}/runtimes/{}/stopruntimesession",
        dev.url,
        common::urlencode(BUNDLED_ARN)
    );
    let busy = sid("busy");
    post(&url, &busy, json!({"action": "busy", "seconds": 30})).await;
    // The model's rule for the token (33 to 256 characters), as boto3's uuid4 meets it.
    let token = "5f0c6a3e-8d1b-4c2a-9e7f-0123456789ab";
    let r = post(&stop, &busy, json!({"clientToken": "x"})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["reason"], "FieldValidationFailed", "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("'clientToken'"),
        "{v}"
    );
    // A body past the bound gets the service's shape too, not a plain-text 413.
    let huge = json!({"clientToken": token, "pad": "x".repeat(100_000)});
    let r = post(&stop, &busy, huge).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
    let r = post(&stop, &busy, json!({"clientToken": token})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()[SESSION_HEADER.to_ascii_lowercase().as_str()],
        busy.as_str()
    );
    let r = post(&stop, &busy, json!({})).await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "ResourceNotFoundException");
    // StopRuntimeSession is idempotent: a retry with the first call's token gets its 200.
    let retry = post(&stop, &busy, json!({"clientToken": token})).await;
    assert_eq!(retry.status(), 200);

    // A stop ends what still streams from the session: the answer ends after the words
    // sent so far, not after all forty (eight seconds at this pace).
    let streaming = sid("streaming");
    let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    let prompt = json!({"prompt": words.join(" "), "delay_ms": 200});
    let mut answer = post(&url, &streaming, prompt).await;
    let first = answer.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("w0"));
    let r = post(&stop, &streaming, json!({})).await;
    assert_eq!(r.status(), 200);
    let rest = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut rest = Vec::new();
        while let Ok(Some(c)) = answer.chunk().await {
            rest.extend_from_slice(&c);
        }
        rest
    })
    .await
    .expect("the stream ended at the stop");
    assert!(!String::from_utf8_lossy(&rest).contains("w39"));
}

#[tokio::test]
async fn healthy_busy_sessions_are_not_reaped() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--idle-timeout", "0.3"]);
    let (busy, control) = (sid("busy"), sid("control"));
    post(
        &dev.invoke_url(BUNDLED_ARN),
        &busy,
        json!({"action": "busy", "seconds": 60}),
    )
    .await;
    post(&dev.invoke_url(BUNDLED_ARN), &control, json!({})).await;
    let has = |list: &Value, s: &str| {
        list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == s)
    };
    // The control session, idle from the start, must go in the same run: a reaper that never
    // ran would otherwise pass this test.
    assert!(
        eventually(async || !has(&sessions(&dev).await, &control)).await,
        "the idle control session was not reaped"
    );
    let list = sessions(&dev).await;
    assert!(has(&list, &busy), "busy session was reaped: {list}");
}

#[tokio::test]
async fn sessions_end_at_their_maximum_lifetime_even_when_used() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--max-lifetime", "1"]);
    let s = sid("life");
    let url = dev.invoke_url(BUNDLED_ARN);
    assert_eq!(
        post(&url, &s, json!({}))
            .await
            .json::<Value>()
            .await
            .unwrap()["turn"],
        1
    );
    // Each call is a turn of the same session until its lifetime ends; then a new one starts.
    let restarted = eventually(async || {
        let v: Value = post(&url, &s, json!({})).await.json().await.unwrap();
        v["turn"] == 1
    })
    .await;
    assert!(restarted, "the session outlived --max-lifetime");
}

#[test]
fn shutdown_waits_for_sessions_still_starting_and_stops_them() {
    let p = plain_agent_project();
    let gate = p.join("start-gate");
    let marker = p.join("terminated");
    let mut dev = Dev::start_with_env(
        p.path(),
        &[],
        &[
            ("AGENT_START_GATE", gate.to_str().unwrap()),
            ("AGENT_TERM_MARKER", marker.to_str().unwrap()),
        ],
    );
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut call = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        call,
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n{SESSION_HEADER}: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        sid("starting")
    )
    .unwrap();
    // The agent process runs but waits for its gate: the session is starting.
    assert!(
        common::wait_until(|| p.join("started.pid").exists()),
        "{}",
        dev.log()
    );
    unsafe { libc::kill(dev.child.id() as i32, libc::SIGTERM) };
    dev.wait_log("stopping: ending every session");
    std::fs::write(&gate, "go").unwrap();
    let status = dev.wait_exit().expect("dev exits once the start is over");
    assert!(status.success(), "{}", dev.log());
    assert!(
        marker.exists(),
        "the agent that was starting at shutdown was not stopped (SIGTERM):\n{}",
        dev.log()
    );
    drop(call);
}

#[tokio::test]
async fn a_new_session_takes_the_instance_started_ahead() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let spare_pid = || async { sessions(&dev).await["agents"][0]["spare"]["pid"].as_u64() };
    assert!(
        eventually(async || spare_pid().await.is_some()).await,
        "no spare was started\n{}",
        dev.log()
    );
    let ahead = spare_pid().await.unwrap();
    let v: Value = post(&dev.invoke_url(ARN), &sid("ahead"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["pid"].as_u64(),
        Some(ahead),
        "the new session got the spare"
    );
    assert!(
        eventually(async || spare_pid().await.is_some_and(|p| p != ahead)).await,
        "another spare starts behind it\n{}",
        dev.log()
    );
    drop(dev);

    let off = Dev::start(p.path(), &["--python", "python3", "--no-spare"]);
    let v = sessions(&off).await;
    assert!(v["agents"][0]["spare"].is_null(), "{v}");
}
