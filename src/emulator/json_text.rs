//! JSON text written straight into a buffer, for the few shapes the request path writes on
//! every call (the feed's request message, the bundled agent's answer). serde_json scans a
//! string byte by byte through its escape table; these strings almost never need escaping
//! (header values, ids, names), so one scan that the compiler vectorises settles that, and only
//! a string that needs it goes through serde_json. The output is serde_json's, byte for byte.

/// `s` as a JSON string.
pub fn push_str(buf: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

/// A string known to need nothing escaped (a fixed name, a checked identifier, hex digits),
/// copied without a scan.
pub fn push_plain(buf: &mut Vec<u8>, s: &str) {
    debug_assert!(!needs_escape(s.as_bytes()), "{s:?}");
    buf.reserve(s.len() + 2);
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
}

/// A header's value as a JSON string, in one pass when it is printable ASCII with no quote or
/// backslash (nearly every value); else as its text, or lossily when it has bytes past ASCII.
pub fn push_header_value(buf: &mut Vec<u8>, v: &axum::http::HeaderValue) {
    let b = v.as_bytes();
    let plain = b.iter().fold(true, |acc, &c| {
        acc & (0x20..0x7f).contains(&c) & (c != b'"') & (c != b'\\')
    });
    if plain {
        buf.reserve(b.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(b);
        buf.push(b'"');
    } else {
        match v.to_str() {
            Ok(text) => push_str(buf, text),
            Err(_) => push_str(buf, &String::from_utf8_lossy(b)),
        }
    }
}

/// `"key":`, for a key known to need no escaping.
pub fn push_key(buf: &mut Vec<u8>, key: &str) {
    debug_assert!(!needs_escape(key.as_bytes()));
    buf.push(b'"');
    buf.extend_from_slice(key.as_bytes());
    buf.extend_from_slice(b"\":");
}

/// A number as serde_json writes it (`null` when not finite).
pub fn push_f64(buf: &mut Vec<u8>, x: f64) {
    let _ = serde_json::to_writer(&mut *buf, &x);
}

/// An integer.
pub fn push_u64(buf: &mut Vec<u8>, x: u64) {
    let _ = serde_json::to_writer(&mut *buf, &x);
}

/// Whether JSON needs any of these bytes escaped: a quote, a backslash or a control character.
/// No early exit, so the loop is vectorised; the strings are short.
fn needs_escape(b: &[u8]) -> bool {
    b.iter().fold(false, |acc, &c| {
        acc | (c < 0x20) | (c == b'"') | (c == b'\\')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for s in [
            "",
            "plain",
            "bench-session-0000000000000000000000000000",
            "quote \" inside",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "\u{1}",
            "unicode é ✓ 😀",
            "del \u{7f}",
        ] {
            let mut buf = Vec::new();
            push_str(&mut buf, s);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn header_values_are_their_text_as_serde_json_writes_it() {
        use axum::http::HeaderValue;
        for raw in [
            &b"plain value"[..],
            b"agentcore-dev-wat.eyJ3IjoiYnVuZGxlZF9hZ2VudCJ9.sig",
            b"with \"quotes\"",
            b"back\\slash",
            b"tab\there",
            b"caf\xe9 latin-1",
            b"",
        ] {
            let v = HeaderValue::from_bytes(raw).unwrap();
            let text = match v.to_str() {
                Ok(t) => t.to_string(),
                Err(_) => String::from_utf8_lossy(raw).into_owned(),
            };
            let mut buf = Vec::new();
            push_header_value(&mut buf, &v);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(&text).unwrap(),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn numbers_are_serde_jsons() {
        for x in [
            0.0,
            1.5,
            1_733_328_552.123_456,
            f64::NAN,
            f64::INFINITY,
            1e-7,
        ] {
            let mut buf = Vec::new();
            push_f64(&mut buf, x);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(&x).unwrap()
            );
        }
        let mut buf = Vec::new();
        push_u64(&mut buf, u64::MAX);
        assert_eq!(buf, u64::MAX.to_string().as_bytes());
    }
}
