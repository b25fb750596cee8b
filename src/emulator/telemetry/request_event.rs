//! A finished request as the live feed, `/_agentcore/requests` and `dev --log-format json`
//! tell it: one JSON object, written once per request as a feed frame that all three share.
//! The serde derive is the shape's definition (and what a test holds the writer to); the
//! frame is written field by field because this runs on every request (serde_json's string
//! escaping and map machinery were 0.45 µs of it, by `perf`).

use std::time::Duration;

use bytes::Bytes;

use crate::emulator::ids::Hex;
use crate::emulator::json_text::Object;

const PREFIX: &[u8] = b"data: ";
const SUFFIX: &[u8] = b"\n\n";

/// The times are numbers to the microsecond: `ts` in unix seconds, `ttfb_ms` and `total_ms` in
/// milliseconds. They are kept here as integers and written as decimals, not formatted as
/// floats; the serde definition gives the same values.
#[derive(serde::Serialize)]
pub struct RequestEvent<'a> {
    pub kind: &'static str,
    /// When it ended, in unix nanoseconds.
    #[serde(rename = "ts", serialize_with = "unix_seconds")]
    pub end_unix_nanos: u64,
    pub method: &'a str,
    pub path: &'a str,
    pub agent: &'a str,
    pub session: &'a str,
    pub status: u16,
    #[serde(rename = "ttfb_ms", serialize_with = "milliseconds")]
    pub ttfb: Duration,
    #[serde(rename = "total_ms", serialize_with = "milliseconds")]
    pub total: Duration,
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
        let micros = self.end_unix_nanos / 1_000;
        let (ttfb, total) = (micros_of(self.ttfb), micros_of(self.total));
        o.plain("kind", Some(self.kind))
            .decimal::<6>("ts", micros / 1_000_000, micros % 1_000_000)
            .plain("method", Some(self.method))
            .plain("path", Some(self.path))
            .plain("agent", Some(self.agent))
            .str("session", self.session)
            .u64("status", u64::from(self.status))
            .decimal::<3>("ttfb_ms", ttfb / 1_000, ttfb % 1_000)
            .decimal::<3>("total_ms", total / 1_000, total % 1_000)
            .u64("bytes", self.bytes)
            .plain("note", self.note)
            .plain_bytes(
                "trace_id",
                self.trace_id.as_ref().map(|h| &h.as_bytes()[..]),
            );
        o.end();
        b.extend_from_slice(SUFFIX);
    }
}

/// Whole microseconds (saturating: no request lasts 584,000 years).
fn micros_of(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn unix_seconds<S: serde::Serializer>(nanos: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((nanos / 1_000) as f64 / 1e6)
}

fn milliseconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(micros_of(*d) as f64 / 1e3)
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
            end_unix_nanos: 1_733_328_552_123_456_789,
            method: "POST",
            path: "/runtimes/{arn}/invocations",
            agent: "bundled_agent",
            session,
            status: 429,
            ttfb: Duration::from_nanos(12_500),
            total: Duration::from_micros(1_234_500),
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
            let text = std::str::from_utf8(&frame).unwrap();
            assert!(
                text.starts_with("data: {") && text.ends_with("}\n\n"),
                "{text}"
            );
            // The same values: a decimal's trailing zeros are the one difference in the text.
            let written: serde_json::Value = serde_json::from_slice(frame_json(&frame)).unwrap();
            assert_eq!(written, serde_json::to_value(&e).unwrap(), "{text}");
        }
    }

    #[test]
    fn times_are_decimals_to_the_microsecond() {
        let frame = event("s", None, false).frame();
        let text = std::str::from_utf8(&frame).unwrap();
        for field in [
            r#""ts":1733328552.123456,"#,
            r#""ttfb_ms":0.012,"#,
            r#""total_ms":1234.500,"#,
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        let mut zero = event("s", None, false);
        (zero.end_unix_nanos, zero.ttfb, zero.total) = (999, Duration::ZERO, Duration::ZERO);
        let text = String::from_utf8(zero.frame().to_vec()).unwrap();
        assert!(text.contains(r#""ts":0.000000,"#), "{text}");
        assert!(
            text.contains(r#""ttfb_ms":0.000,"total_ms":0.000,"#),
            "{text}"
        );
    }
}
