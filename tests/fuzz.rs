//! Property tests for the parsers that take untrusted input: the SSE renderer, the YAML loader,
//! the `.dockerignore` matcher, and session-id and ARN parsing. No input may panic or hang; the
//! SSE renderer must also print the same thing however the stream is split into chunks.
//! (cargo-fuzz needs a nightly toolchain, which cannot be fetched here; proptest runs on stable.)

use std::path::Path;

use agentcore::build_context::IgnoreRules;
use agentcore::commands::invoke::render::{Mode, render};
use agentcore::config::ConfigFile;
use agentcore::emulator::request::{Face, session_id};
use agentcore::emulator::runtime_ref::runtime_name;
use proptest::prelude::*;

fn run_render(chunks: Vec<Vec<u8>>, ct: &str, mode: Mode) -> (bool, Vec<u8>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let items: Vec<Result<bytes::Bytes, std::io::Error>> = chunks
            .into_iter()
            .map(|c| Ok(bytes::Bytes::from(c)))
            .collect();
        let mut out = Vec::new();
        let ok = render(futures_util::stream::iter(items), ct, mode, &mut out)
            .await
            .is_ok();
        (ok, out)
    })
}

/// Splits `data` at the given (sorted, deduplicated) offsets.
fn split(data: &[u8], mut cuts: Vec<usize>) -> Vec<Vec<u8>> {
    cuts.retain(|c| *c < data.len());
    cuts.sort();
    cuts.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        out.push(data[last..c].to_vec());
        last = c;
    }
    out.push(data[last..].to_vec());
    out
}

fn sse_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "data: [ -~]{0,20}".prop_map(|s| s),
        Just("data: \"word\"".to_string()),
        Just("data: {\"a\": [1, 2]}".to_string()),
        Just(": comment".to_string()),
        Just("event: note".to_string()),
        Just("id: 7".to_string()),
        Just("retry: 100".to_string()),
        Just(String::new()),
        "[ -~]{0,12}".prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn sse_output_does_not_depend_on_chunking(
        lines in proptest::collection::vec(sse_line(), 0..30),
        crlf in any::<bool>(),
        cuts in proptest::collection::vec(0usize..2000, 0..12),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text = lines.join(eol) + eol + eol;
        let data = text.as_bytes();
        for mode in [Mode::Text, Mode::Json] {
            let whole = run_render(vec![data.to_vec()], "text/event-stream", mode);
            let pieces = run_render(split(data, cuts.clone()), "text/event-stream", mode);
            prop_assert_eq!(&whole, &pieces);
        }
    }

    #[test]
    fn sse_renderer_survives_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..512), cuts in proptest::collection::vec(0usize..512, 0..8)) {
        for ct in ["text/event-stream", "application/json", "text/plain"] {
            let _ = run_render(split(&data, cuts.clone()), ct, Mode::Text);
        }
    }

    #[test]
    fn yaml_loader_never_panics(text in "[ -~\n\t]{0,400}") {
        let _ = ConfigFile::parse(Path::new("/p/.bedrock_agentcore.yaml"), &text);
    }

    #[test]
    fn yaml_loader_survives_structured_junk(
        name in "[a-zA-Z0-9_-]{0,12}",
        key in "[a-z_]{1,12}",
        value in prop_oneof!["[ -~]{0,10}", Just("[1, 2]".to_string()), Just("{a: b}".to_string()), Just("null".to_string()), Just("-5".to_string())],
    ) {
        for text in [
            format!("default_agent: {name}\nagents:\n  {name}:\n    name: {name}\n    entrypoint: a.py\n    {key}: {value}\n"),
            format!("agents:\n  {name}:\n    name: {name}\n    entrypoint: a.py\n    aws:\n      {key}: {value}\n"),
            format!("name: {name}\nentrypoint: a.py\n{key}: {value}\n"),
        ] {
            let _ = ConfigFile::parse(Path::new("/p/x.yaml"), &text);
        }
    }

    #[test]
    fn dockerignore_matcher_never_panics(patterns in proptest::collection::vec("[!*?\\[\\]^{}/.a-c\\\\]{0,10}", 0..8), path in "[a-c./*]{0,20}") {
        if let Ok(rules) = IgnoreRules::parse(Path::new(".dockerignore"), &patterns.join("\n")) {
            let _ = rules.excludes(&path);
        }
    }

    #[test]
    fn session_and_arn_parsing_never_panic(s in "\\PC{0,300}") {
        let _ = runtime_name(&s);
        let mut h = axum::http::HeaderMap::new();
        if let Ok(v) = axum::http::HeaderValue::from_str(&s) {
            h.insert("x-amzn-bedrock-agentcore-runtime-session-id", v);
            let r = session_id(&h, Face::DataPlane);
            // ASCII (HTTP allows other bytes in header values; session ids are refused then),
            // and 33 to 256 characters.
            let n = s.chars().count();
            prop_assert_eq!(r.is_ok(), s.is_ascii() && (33..=256).contains(&n));
        }
    }
}
