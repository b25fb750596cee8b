//! What the agent is handed of a call's headers, sent byte for byte over a raw connection (an
//! HTTP client library would add or fold headers of its own): Content-Type defaulted to JSON
//! when none came, the caller's passed on when one did, and one that `Connection` names as
//! hop-by-hop dropped like any other such header, so the default takes its place.

mod common;

use std::io::{Read, Write};

use common::{BUNDLED_ARN, Dev, Project, SESSION_HEADER, sid};
use serde_json::Value;

/// The bundled agent's answer to one POST of `{}` with `extra` header lines: the headers it got.
fn headers_seen(dev: &Dev, extra: &str) -> Value {
    let addr = dev.url.strip_prefix("http://").unwrap();
    let path = dev.invoke_url(BUNDLED_ARN);
    let path = &path[path.find("/runtimes/").unwrap()..];
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{SESSION_HEADER}: {}\r\n{extra}\
         Content-Length: 2\r\nConnection: close\r\n\r\n{{}}",
        sid("headers")
    );
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{answer}");
    let v: Value = serde_json::from_str(body).unwrap();
    v["headers"].clone()
}

#[test]
fn content_type_is_the_callers_or_json() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let h = headers_seen(&dev, "");
    assert_eq!(h["content-type"], "application/json", "{h}");
    let h = headers_seen(&dev, "Content-Type: text/plain\r\n");
    assert_eq!(h["content-type"], "text/plain", "{h}");
    // `Connection` lists it (with `close`, which the request's last line adds on its own).
    let h = headers_seen(
        &dev,
        "Content-Type: text/plain\r\nConnection: content-type\r\n",
    );
    assert_eq!(h["content-type"], "application/json", "{h}");
    assert!(h.get("connection").is_none(), "{h}");
}
