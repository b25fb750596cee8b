//! JSON text written straight into a buffer, for the few shapes the request path writes on
//! every call (the feed's request message, the bundled agent's answer). serde_json scans a
//! string byte by byte through its escape table; these strings almost never need escaping
//! (header values, ids, names), so one scan that the compiler vectorises settles that, and only
//! a string that needs it goes through serde_json. Strings and integers are serde_json's, byte
//! for byte; a decimal ([`Object::decimal`]) is written from integers, with the value serde_json
//! would give it. [`Object`] writes an object's braces, commas and keys, so a writer names each
//! field once.

/// A JSON object written field by field into a buffer. The braces, the commas and the keys
/// are its business, so a writer names each field once; keys are the caller's fixed names (or
/// header names, which are tokens), with nothing in them to escape. [`Object::end`] closes it.
pub struct Object<'a> {
    buf: &'a mut Vec<u8>,
    empty: bool,
}

// `#[inline]` throughout: the writers live in other modules, and these steps are a few
// instructions each; as calls they cost more than their work (callgrind: 700 instructions a
// request more for the feed message alone).
impl<'a> Object<'a> {
    #[inline]
    pub fn start(buf: &'a mut Vec<u8>) -> Self {
        buf.push(b'{');
        Object { buf, empty: true }
    }

    /// `"key":` after a comma when a field came before; the buffer, for the value.
    #[inline(always)]
    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        debug_assert!(!needs_escape(key.as_bytes()), "{key:?}");
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
        self.buf
    }

    /// A string that may need escaping (the caller's text).
    #[inline]
    pub fn str(&mut self, key: &str, v: &str) -> &mut Self {
        push_str(self.key(key), v);
        self
    }

    /// A string known to need nothing escaped (a fixed word, a checked identifier, hex digits),
    /// copied without a scan; `null` for none.
    #[inline(always)]
    pub fn plain(&mut self, key: &str, v: Option<&str>) -> &mut Self {
        self.plain_bytes(key, v.map(str::as_bytes))
    }

    /// [`Object::plain`] for text held as bytes (hex digits), with no UTF-8 check to make a
    /// `str` of it first.
    #[inline(always)]
    pub fn plain_bytes(&mut self, key: &str, v: Option<&[u8]>) -> &mut Self {
        let buf = self.key(key);
        match v {
            Some(b) => {
                debug_assert!(!needs_escape(b), "{b:?}");
                quoted(buf, b);
            }
            None => buf.extend_from_slice(b"null"),
        }
        self
    }

    #[inline]
    pub fn header_value(&mut self, key: &str, v: &axum::http::HeaderValue) -> &mut Self {
        push_header_value(self.key(key), v);
        self
    }

    /// `whole.frac`, the fraction in `DIGITS` digits (zero-padded): a decimal written from
    /// integers. A float's shortest form (serde_json's) was about 150 instructions a number.
    #[inline]
    pub fn decimal<const DIGITS: usize>(&mut self, key: &str, whole: u64, frac: u64) -> &mut Self {
        let buf = self.key(key);
        push_u64(buf, whole);
        let mut digits = [b'0'; DIGITS];
        let mut rest = frac;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        debug_assert_eq!(rest, 0, "{frac} has more than {DIGITS} digits");
        buf.push(b'.');
        buf.extend_from_slice(&digits);
        self
    }

    #[inline]
    pub fn u64(&mut self, key: &str, x: u64) -> &mut Self {
        push_u64(self.key(key), x);
        self
    }

    /// A value that is JSON text already.
    #[inline]
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).extend_from_slice(json.as_bytes());
        self
    }

    /// An object as this one's field; close it before writing the next field.
    #[inline]
    pub fn object(&mut self, key: &str) -> Object<'_> {
        Object::start(self.key(key))
    }

    #[inline]
    pub fn end(self) {
        self.buf.push(b'}');
    }
}

#[inline(always)]
fn quoted(buf: &mut Vec<u8>, b: &[u8]) {
    buf.reserve(b.len() + 2);
    buf.push(b'"');
    buf.extend_from_slice(b);
    buf.push(b'"');
}

/// `s` as a JSON string: copied after one scan when nothing in it needs escaping.
#[inline]
fn push_str(buf: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        quoted(buf, s.as_bytes());
    }
}

/// A header's value as a JSON string, in one pass when it is printable ASCII with no quote or
/// backslash (nearly every value); else as its text, or lossily when it has bytes past ASCII.
#[inline]
fn push_header_value(buf: &mut Vec<u8>, v: &axum::http::HeaderValue) {
    let b = v.as_bytes();
    let plain = b.iter().fold(true, |acc, &c| {
        acc & (0x20..0x7f).contains(&c) & (c != b'"') & (c != b'\\')
    });
    if plain {
        quoted(buf, b);
    } else {
        match v.to_str() {
            Ok(text) => push_str(buf, text),
            Err(_) => push_str(buf, &String::from_utf8_lossy(b)),
        }
    }
}

#[inline]
fn push_u64(buf: &mut Vec<u8>, x: u64) {
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
        let mut buf = Vec::new();
        push_u64(&mut buf, u64::MAX);
        assert_eq!(buf, u64::MAX.to_string().as_bytes());
    }
}
