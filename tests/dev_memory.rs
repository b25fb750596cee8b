//! AgentCore Memory under `dev`: an agent on the official SDK (MemoryClient, the session
//! manager, Strands with the AgentCore memory session manager) keeps and finds what it was
//! told, with no AWS credentials and across a restart; boto3 as an outside client gets the
//! service's errors, loses nothing to concurrent writers, and finds every acknowledged event
//! after `kill -9`.

mod common;

use std::path::Path;

use common::{Dev, Project, sid, wait_until};
use serde_json::{Value, json};

fn memory_project() -> Project {
    let p = Project::empty();
    p.write("agent.py", include_str!("fixtures/memory_agent/agent.py"));
    p.write(
        "requirements.txt",
        include_str!("fixtures/memory_agent/requirements.txt"),
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "memory_agent",
            "--region",
            "us-west-2",
            "--long-term-memory",
        ])
        .assert()
        .success();
    p
}

/// Invokes the one agent of `dev` in `session` and returns its JSON answer.
fn call(dev: &Dev, session: &str, body: Value) -> Value {
    let resp = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
        .json(&body)
        .send()
        .unwrap();
    let status = resp.status();
    let text = resp.text().unwrap();
    assert!(status.is_success(), "{status}: {text}\n{}", dev.log());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn an_agent_remembers_across_a_restart_with_no_aws_credentials() {
    let p = memory_project();
    // Records are seen at once here; the delay has its own test in the store.
    let args = ["--memory-extraction-delay", "0"];
    let mut dev = Dev::start_offline(p.path(), &args);
    assert!(
        dev.wait_log("placeholder")
            .contains("AgentCore Memory served locally"),
        "{}",
        dev.log()
    );
    let (facts, chat, later) = (sid("facts"), sid("chat"), sid("later"));
    let told = json!({"mode": "remember", "user": "alice", "fact": "My favourite colour is teal"});
    let event = call(&dev, &facts, told);
    assert!(event["event"].as_str().unwrap().contains('#'), "{event}");
    let turns = call(
        &dev,
        &facts,
        json!({"mode": "turns", "user": "alice", "text": "I live in Lisbon"}),
    );
    assert_eq!(turns["turns"][0], json!(["I live in Lisbon"]), "{turns}");
    assert_eq!(
        turns["turns"][1][0], "My favourite colour is teal",
        "{turns}"
    );
    let first = call(
        &dev,
        &chat,
        json!({"mode": "strands", "user": "alice", "prompt": "hello there"}),
    );
    assert_eq!(first["messages"], 1, "a new Strands session: {first}");
    assert!(dev.stop().is_some_and(|s| s.success()), "{}", dev.log());
    assert!(p.join(".bedrock_agentcore/memory.sqlite3").is_file());

    let dev = Dev::start_offline(p.path(), &args);
    let recalled = call(
        &dev,
        &later,
        json!({"mode": "recall", "user": "alice", "query": "favourite colour"}),
    );
    assert_eq!(
        recalled["records"][0], "My favourite colour is teal",
        "{recalled}"
    );
    assert!(recalled["scores"][0].as_f64().unwrap() > 0.5, "{recalled}");
    let asked =
        json!({"mode": "strands", "user": "alice", "prompt": "what is my favourite colour?"});
    let injected = call(&dev, &later, asked);
    assert!(
        injected["context"][0].as_str().unwrap().contains("teal"),
        "Strands put the long-term record into the prompt: {injected}"
    );
    let resumed = call(
        &dev,
        &chat,
        json!({"mode": "strands", "user": "alice", "prompt": "and again"}),
    );
    assert_eq!(
        resumed["messages"], 3,
        "the earlier turn was restored: {resumed}"
    );

    // What the agent stored, as `agentcore memory --local` shows it.
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let memory = |args: &[&str]| {
        let out = p
            .cmd()
            .arg("memory")
            .args(args)
            .args(["--local", "--port", &port])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(memory(&["actors"]).contains("alice"));
    assert!(memory(&["sessions", "--actor", "alice"]).contains(&facts));
    let events = memory(&["events", "--actor", "alice", "--session", &facts]);
    assert!(
        events.contains("USER: My favourite colour is teal"),
        "{events}"
    );
    let found = memory(&["search", "favourite colour", "--namespace", "/users/alice/"]);
    assert!(
        found
            .lines()
            .next()
            .unwrap()
            .contains("My favourite colour is teal"),
        "{found}"
    );
    assert!(
        !found.contains("what is my favourite colour?"),
        "a question is no fact: {found}"
    );
    let json: Value = serde_json::from_str(&memory(&["records", "--output", "json"])).unwrap();
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "I live in Lisbon"),
        "{json}"
    );
}

/// Runs `tests/fixtures/memory_client.py` and returns what it printed.
fn client(args: &[&str]) -> Value {
    let out = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/memory_client.py"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_memory_command_reads_the_deployed_memory_with_the_same_flags() {
    // The deployed side, against moto's memory events: the memory the project file names.
    let moto = common::aws::moto();
    let memory = client(&["create", &moto, "deployed_memory"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    client(&["concurrent", &moto, &memory, "1", "3"]);
    let p = common::sdk_project(&[]);
    let yaml = p
        .read(".bedrock_agentcore.yaml")
        .replace("memory_id: null", &format!("memory_id: {memory}"));
    p.write(".bedrock_agentcore.yaml", &yaml);
    let out = common::aws::aws_cmd(&p)
        .args([
            "memory",
            "events",
            "--actor",
            "writer",
            "--session",
            "shared-session",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("USER: writer 0 event 2"), "{text}");
}

/// What the service model pins down, through boto3: a retry with the same client token gets
/// the first answer (and a deleted event's token makes a new one), a record expiry is kept,
/// a search or listing names its scope, numbers compare by value, and a ValidationException
/// says why.
#[test]
fn the_memory_api_answers_as_its_model_says() {
    let dir = tempfile::tempdir().unwrap();
    // No extraction delay: a strategy's record can be read as soon as its event is written.
    let _dev = Dev::start(
        dir.path(),
        &["--ephemeral", "--memory-extraction-delay", "0"],
    );
    let dev = &_dev;
    let memory = client(&["create", &dev.url, "model_memory"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = client(&["model", &dev.url, &memory]);
    let validation = |why: &str| json!(["ValidationException", why]);
    assert_eq!(
        out["no scope"],
        validation("FieldValidationFailed"),
        "{out}"
    );
    assert_eq!(out["bad namespace"], validation("FieldValidationFailed"));
    assert_eq!(out["milliseconds"], validation("FieldValidationFailed"));
    assert_eq!(out["not json"], validation("CannotParse"));
    for case in ["bad metadata key", "ingest bad role", "jobs page too big"] {
        assert_eq!(
            out[case],
            validation("FieldValidationFailed"),
            "{case}: {out}"
        );
    }
    assert_eq!(out["batch retried"], json!([1, true]), "{out}");
    assert_eq!(out["expires in days"], 31);
    assert_eq!(out["bad request id"], 400);
    assert_eq!(out["3.0 finds 3"], 1);
    assert_eq!(out["ingest retried, same session"], true);
    assert_eq!(out["event retried, same event"], true);
    assert_eq!(out["after a delete, a new event"], true);
    // Unbranched events are main's; a branch's history runs back through every fork.
    assert_eq!(
        out["branches"],
        json!({"main": ["m2", "m1"], "alt": ["b1"], "alt2 with parents": ["c1", "b1", "m1"]})
    );
    // Indexed keys, namespace keys and stream delivery: kept and shown; a filter names an
    // indexed key (or the service's own) with a value of its type; a declared namespace
    // variable takes only its allowed values; a record may not use the reserved prefix.
    assert_eq!(
        out["settings"],
        json!({
            "shown": [[{"key": "priority", "type": "NUMBER"}, {"key": "tags", "type": "STRINGLIST"}],
                      [{"key": "team", "validation": {"allowedValues": ["blue", "red"]}}], true],
            "team green": ["ValidationException", "FieldValidationFailed"],
            "team blue": ["no error", null],
            "not indexed": ["ValidationException", "FieldValidationFailed"],
            "number as text": ["ValidationException", "FieldValidationFailed"],
            "priority over 4, tagged vip": 1,
            "created in the last hour: all / before it: none": [true, 0],
            "reserved record key": 400,
        }),
        "{out}"
    );
    // UpdateMemory, through the SDK's MemoryClient and boto3.
    assert_eq!(
        out["update"],
        json!({
            "added": ["facts", "later"],
            "keys added, retried": [["priority", "tags"], true, "with tags"],
            "a key twice": ["ValidationException", "FieldValidationFailed"],
            "a used namespace key dropped": ["ValidationException", "FieldValidationFailed"],
            "deleted": ["later"],
            "an unused namespace key dropped": true,
        }),
        "{out}"
    );
    // A strictly consistent key: copied onto records, one per value; the template of the
    // second strategy needs `{team}`, which no event gave, so it made no record.
    assert_eq!(
        out["strictly consistent"],
        json!({
            "not indexed": ["ValidationException", "FieldValidationFailed"],
            "shown": true,
            "records' tenants": ["acme", "globex", "initech"],
            "acme's": 1,
            "namespaces": ["/facts/ann/"],
        }),
        "{out}"
    );
    // Events sent with one timestamp list in the order they were written, newest first.
    assert_eq!(
        out["one instant, newest first"],
        json!(["7", "6", "5", "4", "3", "2", "1", "0"]),
        "{out}"
    );
    // A strategy's record expiry: at least 31 days, shown, and given to what it extracts.
    assert_eq!(
        out["strategy expiry"],
        json!({"30 days": ["ValidationException", "FieldValidationFailed"], "shown": [40],
               "record expires in days": [40]}),
        "{out}"
    );
}

#[test]
fn the_memory_api_refuses_bad_input_and_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("memory.sqlite3");
    let store_arg = store.to_str().unwrap();
    let mut dev = Dev::start(dir.path(), &["--memory-store", store_arg]);
    let memory = client(&["create", &dev.url, "errors_memory"])["id"]
        .as_str()
        .unwrap()
        .to_string();

    let errors = client(&["errors", &dev.url, &memory]);
    let expect = |case: &str, code: &str, status: u16| {
        assert_eq!(errors[case], json!([code, status]), "{case}: {errors}");
    };
    expect("unknown memory", "ResourceNotFoundException", 404);
    expect("malformed memory id", "ValidationException", 400);
    expect("malformed event id", "ValidationException", 400);
    expect("missing event", "ResourceNotFoundException", 404);
    expect("bad actor", "ValidationException", 400);
    expect("bad role", "ValidationException", 400);
    expect("two kinds in one item", "ValidationException", 400);
    expect("page too large", "ValidationException", 400);
    expect("duplicate memory name", "ValidationException", 400);
    expect("unknown record", "ResourceNotFoundException", 404);
    expect("unknown actor lists nothing", "no error", 200);

    let concurrent = client(&["concurrent", &dev.url, &memory, "8", "40"]);
    assert_eq!(
        concurrent,
        json!({"written": 320, "listed": 320, "same": true})
    );

    // Writers at full speed, then kill -9 in the middle of their writes.
    let acked = dir.path().join("acked.txt");
    let acked_arg = acked.to_str().unwrap().to_string();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/memory_client.py");
    let mut writer = std::process::Command::new("python3")
        .arg(script)
        .args(["write", &dev.url, &memory, &acked_arg])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lines = || {
        std::fs::read_to_string(&acked)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    assert!(wait_until(|| lines() >= 300), "the writers got no answers");
    dev.child.kill().unwrap();
    dev.child.wait().unwrap();
    assert!(writer.wait().unwrap().success());

    let dev = Dev::start(dir.path(), &["--memory-store", store_arg]);
    let checked = client(&["check", &dev.url, &memory, &acked_arg]);
    assert!(checked["acked"].as_u64().unwrap() >= 300, "{checked}");
    assert_eq!(checked["missing"], json!([]), "{checked}");
}
