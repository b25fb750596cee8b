//! `agentcore logs` and `agentcore traces` against moto's CloudWatch Logs, with events and span
//! documents the tests write where the runtime would: the runtime's log group and `aws/spans`.
//! moto's Logs Insights ignores the query's filter (it returns every event), so `traces` is
//! shown to filter again on its side: the other runtime's spans must not appear.

mod common;

use common::Project;
use common::aws::{aws_cmd, sdk};
use serde_json::{Value, json};

const ID: &str = "logs_agent-abcdefghij";

fn deployed_project(name: &str, id: &str) -> Project {
    let p = Project::python();
    p.cmd()
        .args(["configure", "-ni", "-n", name, "--region", "us-west-2"])
        .assert()
        .success();
    let text =
        p.read(".bedrock_agentcore.yaml")
            .replacen("agent_id: null", &format!("agent_id: {id}"), 1);
    p.write(".bedrock_agentcore.yaml", &text);
    p
}

async fn put(
    logs: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    stream: &str,
    events: &[(i64, String)],
) {
    let _ = logs.create_log_group().log_group_name(group).send().await;
    let _ = logs
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await;
    let events = events.iter().map(|(t, m)| {
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
            .timestamp(*t)
            .message(m)
            .build()
            .unwrap()
    });
    logs.put_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .set_log_events(Some(events.collect()))
        .send()
        .await
        .unwrap();
}

fn line(session: &str, level: &str, msg: &str) -> String {
    json!({ "level": level, "message": msg, "sessionId": session }).to_string()
}

fn stdout(p: &Project, args: &[&str]) -> String {
    let out = aws_cmd(p).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn logs_filter_by_time_session_level_and_text() {
    let p = deployed_project("logs_agent", ID);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    let group = format!("/aws/bedrock-agentcore/runtimes/{ID}-DEFAULT");
    let now = chrono::Utc::now().timestamp_millis();
    let session_a = "a".repeat(40);
    let session_b = "b".repeat(40);
    put(
        &logs,
        &group,
        "2026/12/01/[runtime-logs]x",
        &[
            (
                now - 2 * 3600 * 1000,
                line(&session_a, "INFO", "from two hours ago"),
            ),
            (
                now - 60_000,
                line(&session_a, "INFO", "session a says hello"),
            ),
            (now - 50_000, line(&session_b, "ERROR", "session b failed")),
            (
                now - 40_000,
                "a plain line with needle-42 in it".to_string(),
            ),
        ],
    )
    .await;

    let all = stdout(&p, &["logs"]);
    assert!(
        all.contains("session a says hello")
            && all.contains("session b failed")
            && all.contains("needle-42"),
        "{all}"
    );
    assert!(
        !all.contains("from two hours ago"),
        "the default is the last hour: {all}"
    );
    assert!(stdout(&p, &["logs", "--since", "3h"]).contains("from two hours ago"));
    let until = chrono::DateTime::from_timestamp_millis(now - 55_000)
        .unwrap()
        .to_rfc3339();
    let early = stdout(&p, &["logs", "--until", &until]);
    assert!(
        early.contains("session a says hello") && !early.contains("session b failed"),
        "{early}"
    );

    let a = stdout(&p, &["logs", "--session-id", &session_a]);
    assert!(
        a.contains("session a says hello")
            && !a.contains("session b failed")
            && !a.contains("needle-42"),
        "{a}"
    );
    let errors = stdout(&p, &["logs", "--level", "error"]);
    assert!(
        errors.contains("session b failed") && !errors.contains("session a says hello"),
        "{errors}"
    );
    let found = stdout(&p, &["logs", "--filter", "needle-42", "--output", "json"]);
    let lines: Vec<Value> = found
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{found}");
    assert!(lines[0]["message"].as_str().unwrap().contains("needle-42"));

    // An agent that was never deployed: a clear error naming the way out.
    let q = Project::python();
    q.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "undeployed",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    let out = aws_cmd(&q).args(["logs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not deployed"));
}

#[tokio::test]
async fn logs_follow_prints_new_events_and_stops_cleanly_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let id = "follow_agent-abcdefghij";
    let p = deployed_project("follow_agent", id);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    let group = format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT");
    let now = chrono::Utc::now().timestamp_millis();
    put(
        &logs,
        &group,
        "s1",
        &[(now - 1000, "before the follow".into())],
    )
    .await;

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(p.path())
        .env("HOME", p.path())
        .env("NO_COLOR", "1")
        .env("AWS_ENDPOINT_URL", common::aws::moto())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_REGION")
        .env_remove("AWS_PROFILE")
        .args(["logs", "--follow"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains("before the follow"), "{first}");

    let later = chrono::Utc::now().timestamp_millis();
    put(
        &logs,
        &group,
        "s1",
        &[(later, "written after it started".into())],
    )
    .await;
    let mut next = String::new();
    out.read_line(&mut next).unwrap();
    assert!(next.contains("written after it started"), "{next}");

    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    // Bounded: a follow that missed the Ctrl-C (it came while a poll was out) must fail the
    // test, not hang it.
    let mut status = None;
    common::wait_until(|| {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    let _ = child.kill();
    assert!(
        status.is_some_and(|s| s.success()),
        "Ctrl-C should end the follow cleanly: {status:?}"
    );
}

fn span(
    trace: &str,
    id: &str,
    parent: Option<&str>,
    name: &str,
    runtime: &str,
    start: u64,
) -> String {
    json!({
        "resource": { "attributes": { "service.name": "agent.DEFAULT", "cloud.resource_id": format!("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/{runtime}") } },
        "traceId": trace, "spanId": id, "parentSpanId": parent.unwrap_or(""), "name": name, "kind": "SERVER",
        "startTimeUnixNano": start, "endTimeUnixNano": start + 5_000_000,
        "attributes": { "session.id": "trace-session-1", "gen_ai.tool.name": if name.starts_with("execute_tool") { "add" } else { "" } },
        "status": { "code": "UNSET" }
    })
    .to_string()
}

#[tokio::test]
async fn traces_list_and_show_build_the_span_tree() {
    let id = "traces_agent-abcdefghij";
    let p = deployed_project("traces_agent", id);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    let now = chrono::Utc::now().timestamp_millis();
    let ns = (now as u64 - 10_000) * 1_000_000;
    let t1 = "1".repeat(32);
    let t2 = "2".repeat(32);
    let other = "3".repeat(32);
    put(
        &logs,
        "aws/spans",
        "default",
        &[
            (
                now - 10_000,
                span(&t1, "a000000000000001", None, "POST /invocations", id, ns),
            ),
            (
                now - 9_000,
                span(
                    &t1,
                    "a000000000000002",
                    Some("a000000000000001"),
                    "invoke_agent Strands Agents",
                    id,
                    ns + 1_000_000,
                ),
            ),
            (
                now - 8_000,
                span(
                    &t1,
                    "a000000000000003",
                    Some("a000000000000002"),
                    "execute_tool add",
                    id,
                    ns + 2_000_000,
                ),
            ),
            (
                now - 7_000,
                span(
                    &t2,
                    "b000000000000001",
                    None,
                    "POST /invocations",
                    id,
                    ns + 3_000_000,
                ),
            ),
            (
                now - 6_000,
                span(
                    &other,
                    "c000000000000001",
                    None,
                    "POST /invocations",
                    "another_agent-zzzzzzzzzz",
                    ns,
                ),
            ),
        ],
    )
    .await;

    let list: Value =
        serde_json::from_str(&stdout(&p, &["traces", "list", "--output", "json"])).unwrap();
    let ids: Vec<&str> = list["traces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["trace_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "this runtime's traces only: {list}");
    assert!(
        ids.contains(&t1.as_str()) && ids.contains(&t2.as_str()) && !ids.contains(&other.as_str())
    );
    let first = list["traces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trace_id"] == t1.as_str())
        .unwrap();
    assert_eq!(first["spans"], 3);
    assert_eq!(first["session_id"], "trace-session-1");

    let tree: Value =
        serde_json::from_str(&stdout(&p, &["traces", "show", &t1, "--output", "json"])).unwrap();
    let root = &tree["spans"][0];
    assert_eq!(root["name"], "POST /invocations");
    assert_eq!(root["children"][0]["name"], "invoke_agent Strands Agents");
    assert_eq!(
        root["children"][0]["children"][0]["name"],
        "execute_tool add"
    );
    let text = stdout(&p, &["traces", "show", &t1]);
    assert!(
        text.contains("\n    invoke_agent Strands Agents")
            && text.contains("\n      execute_tool add")
            && text.contains("tool=add"),
        "{text}"
    );
}

/// A deployed agent that fails: the hint names the logs command for the session, and
/// `invoke --logs` prints the session's last lines. The data plane is dev (it answers 424 for
/// the bundled agent's error action; the project's ARN names that agent), CloudWatch is moto.
#[tokio::test]
async fn a_failed_invoke_points_at_the_sessions_logs_and_fetches_them_with_logs() {
    let empty = Project::empty();
    let dev = common::Dev::start(empty.path(), &[]);
    let id = common::BUNDLED_ARN.rsplit('/').next().unwrap();
    let p = deployed_project("failing_agent", id);
    let text = p.read(".bedrock_agentcore.yaml").replacen(
        "agent_arn: null",
        &format!("agent_arn: {}", common::BUNDLED_ARN),
        1,
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let session = format!("{}-failing", "f".repeat(40));
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    let now = chrono::Utc::now().timestamp_millis();
    put(
        &logs,
        &format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT"),
        "s",
        &[
            (
                now - 1000,
                line(&session, "ERROR", "Traceback: KeyError 'prompt'"),
            ),
            (
                now - 900,
                line(&"o".repeat(40), "ERROR", "another session's trouble"),
            ),
        ],
    )
    .await;
    let run = |extra: &[&str]| {
        aws_cmd(&p)
            .env("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE", &dev.url)
            .args(["invoke", r#"{"action":"error"}"#, "--session-id", &session])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "agentcore logs --session-id {session} --since 15m"
        )),
        "{err}"
    );
    assert!(!err.contains("KeyError"), "no logs without --logs: {err}");
    let out = run(&["--logs"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Traceback: KeyError 'prompt'"), "{err}");
    assert!(!err.contains("another session's trouble"), "{err}");
}

/// Deploy switches Transaction Search on where it is off, says so, leaves it alone the next
/// time, and `--no-transaction-search` makes no such call. (moto has no X-Ray trace segment
/// destination API: that half is reported as a warning here, which is what a deploy whose
/// caller may not change X-Ray gets too.)
#[tokio::test]
async fn deploy_switches_transaction_search_on_once_and_can_skip_it() {
    let p = Project::python();
    p.write("requirements.txt", "six\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "ts_agent",
            "--region",
            "us-west-2",
            "-dt",
            "direct_code_deploy",
            "--disable-memory",
        ])
        .assert()
        .success();
    let deploy = |extra: &[&str], endpoint: &str| {
        let out = aws_cmd(&p)
            .env("AWS_ENDPOINT_URL", endpoint)
            .args(["deploy", "--no-wait", "--output", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let moto = common::aws::moto();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    // The policy is account-wide: other tests' deploys may have put it already.
    let _ = logs
        .delete_resource_policy()
        .policy_name("TransactionSearchXRayAccess")
        .send()
        .await;
    // A dry run shows what deploy would change, and changes nothing.
    let planned = deploy(&["--dry-run"], &moto);
    let ts = planned["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "transaction-search")
        .unwrap_or_else(|| panic!("no transaction-search step in the plan: {planned}"));
    assert_eq!(ts["action"], "update", "{ts}");
    assert_eq!(
        ts["detail"]["PutResourcePolicy"]["policyName"],
        "TransactionSearchXRayAccess"
    );
    assert!(
        ts["detail"]["could not check"]
            .to_string()
            .contains("X-Ray"),
        "moto has no X-Ray destination API: {ts}"
    );
    let policies = logs.describe_resource_policies().send().await.unwrap();
    assert!(
        !(policies.resource_policies().iter())
            .any(|p| p.policy_name() == Some("TransactionSearchXRayAccess")),
        "the dry run put the policy"
    );
    let first = deploy(&[], &moto);
    let ts = first["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "transaction-search")
        .expect("a transaction-search step");
    assert!(
        ts["detail"]["changed"]
            .to_string()
            .contains("TransactionSearchXRayAccess"),
        "{first}"
    );
    // moto has no X-Ray destination API: the warning is one line with the service's code and
    // a hint, never the SDK's debug dump of the raw response.
    let warning = first["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|w| w.contains("trace segment destination"))
        .unwrap_or_else(|| panic!("no X-Ray warning: {first}"));
    assert!(!warning.contains('\n'), "{warning}");
    for dump in ["ServiceError", "raw:", "Response {", "SdkBody"] {
        assert!(!warning.contains(dump), "{warning}");
    }
    assert!(warning.contains("--no-transaction-search"), "{warning}");
    let policies = logs.describe_resource_policies().send().await.unwrap();
    let policy = policies
        .resource_policies()
        .iter()
        .find(|p| p.policy_name() == Some("TransactionSearchXRayAccess"))
        .expect("the policy");
    assert!(policy.policy_document().unwrap().contains("aws/spans"));

    let again = deploy(&[], &moto);
    let ts = again["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "transaction-search")
        .unwrap();
    assert!(
        !ts["detail"]["changed"]
            .to_string()
            .contains("TransactionSearchXRayAccess"),
        "changed again: {again}"
    );

    let proxy = common::fault::FaultProxy::start(&moto, vec![]);
    let skipped = deploy(&["--no-transaction-search"], &proxy.url);
    assert!(
        !skipped["steps"].to_string().contains("transaction-search"),
        "{skipped}"
    );
    let calls = proxy.forwarded();
    assert!(
        !calls
            .iter()
            .any(|c| c.contains("ResourcePolic") || c.contains("TraceSegmentDestination")),
        "{calls:?}"
    );
}

/// Each failure's hint points at the command in hand: `traces` at `traces list --local`, a
/// local read at `agentcore dev`, never at credentials.
#[test]
fn hints_name_the_command_and_the_place_read() {
    let p = Project::python();
    p.cmd().args(["configure", "-ni"]).assert().success();
    let hint = |args: &[&str]| {
        let out = p.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(hint(&["traces", "list"]).contains("agentcore traces list --local"));
    let free = common::free_port().to_string();
    for args in [
        &["traces", "show", "abc", "--local", "--port", &free][..],
        &["logs", "--local", "--port", &free],
    ] {
        let err = hint(args);
        assert!(err.contains("start `agentcore dev`"), "{args:?}: {err}");
        assert!(!err.contains("credentials"), "{args:?}: {err}");
    }
}
