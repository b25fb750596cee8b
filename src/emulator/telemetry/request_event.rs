//! A finished request as the live feed, `/_agentcore/requests` and `dev --log-format json`
//! tell it: one JSON object, written once per request as a feed frame that all three share.
//! The serde derive is the shape's definition (and what a test holds the writer to); the
//! frame is written field by field because this runs on every request (serde_json's string
//! escaping and map machinery were 0.45 µs of it, by `perf`).

use bytes::Bytes;

use crate::emulator::ids::Hex;
use crate::emulator::json_text::Object;

const PREFIX: &[u8] = b"data: ";
const SUFFIX: &[u8] = b"\n\n";

#[derive(serde::Serialize)]
pub struct RequestEvent<'a> {
    pub kind: &'static str,
    /// Unix seconds when it ended.
    pub ts: f64,
    pub method: &'a str,
    pub path: &'a str,
    pub agent: &'a str,
    pub session: &'a str,
    pub status: u16,
    pub ttfb_ms: f64,
    pub total_ms: f64,
    pub bytes: u64,
    pub note: Option<&'static str>,
    pub trace_id: Option<Hex<32>>,
}

impl RequestEvent<'_> {
    /// The event as a feed frame: `data: {…}\n\n`, the JSON being serde's for this struct.
    pub fn frame(&self) -> Bytes {
        // Room for the usual message (a 40-character session id, a trace id), so the buffer
        // is not regrown.
        let mut b = Vec::with_capacity(320);
        self.write_frame(&mut b);
        Bytes::from(b)
    }

    /// The frame [`RequestEvent::frame`] makes, appended to `b`.
    pub fn write_frame(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(PREFIX);
        let mut o = Object::start(b);
        // Only the session id is the caller's text. The rest cannot need escaping: fixed
        // words, a method (an HTTP token), an agent name (checked when loaded), hex digits.
        o.plain("kind", Some(self.kind))
            .f64("ts", self.ts)
            .plain("method", Some(self.method))
            .plain("path", Some(self.path))
            .plain("agent", Some(self.agent))
            .str("session", self.session)
            .u64("status", u64::from(self.status))
            .f64("ttfb_ms", self.ttfb_ms)
            .f64("total_ms", self.total_ms)
            .u64("bytes", self.bytes)
            .plain("note", self.note)
            .plain("trace_id", self.trace_id.as_ref().map(Hex::as_str));
        o.end();
        b.extend_from_slice(SUFFIX);
    }
}

/// The JSON object inside a frame [`RequestEvent::frame`] made.
pub fn frame_json(frame: &[u8]) -> &[u8] {
    frame
        .strip_prefix(PREFIX)
        .and_then(|f| f.strip_suffix(SUFFIX))
        .unwrap_or(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(session: &'a str, note: Option<&'static str>, trace: bool) -> RequestEvent<'a> {
        RequestEvent {
            kind: "request",
            ts: 1_733_328_552.123_456_7,
            method: "POST",
            path: "/runtimes/{arn}/invocations",
            agent: "bundled_agent",
            session,
            status: 429,
            ttfb_ms: 0.012_5,
            total_ms: 1234.5,
            bytes: 570,
            note,
            trace_id: trace.then(|| crate::emulator::ids::trace_hex(0xabc)),
        }
    }

    #[test]
    fn the_frame_is_serdes_json_of_the_event() {
        for e in [
            event("bench-session-0000000000000000000000000000", None, true),
            event("odd \"id\" \\ with\ttab é", Some("stream cut"), false),
            event("", Some("quota"), true),
        ] {
            let frame = e.frame();
            let want = format!("data: {}\n\n", serde_json::to_string(&e).unwrap());
            assert_eq!(std::str::from_utf8(&frame).unwrap(), want);
            assert_eq!(
                frame_json(&frame),
                serde_json::to_string(&e).unwrap().as_bytes()
            );
        }
    }
}
