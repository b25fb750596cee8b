//! Ids the emulator makes on every request: request ids (uuid-shaped) and trace and span ids
//! (W3C Trace Context). They must be unique, not secret, so they come from a per-thread
//! xorshift generator seeded once from the OS: `uuid::Uuid::new_v4` asks the kernel for
//! random bytes on every call, a system call per request (a third of the request path's
//! system calls under load, measured with `strace -c`).
//! Also each thread's own small number, which per-request records are sharded by.

use std::cell::Cell;

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

/// This thread's number, given in the order threads first ask (0, 1, 2, …): what spreads
/// per-request records over shards, so the runtime's threads rarely share a lock.
pub fn thread_index() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    INDEX.with(|i| *i)
}

/// A non-zero seed from the OS, different on every thread.
fn seed() -> u64 {
    let b = *uuid::Uuid::new_v4().as_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) | 1
}

/// The next 64 random bits of this thread (xorshift64*: fast, full period, never zero).
pub fn next_u64() -> u64 {
    next::<1>()[0]
}

/// The next `N` numbers of this thread's generator, from one visit to its state.
fn next<const N: usize>() -> [u64; N] {
    STATE.with(|st| {
        let mut x = st.get();
        let out = std::array::from_fn(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        });
        st.set(x);
        out
    })
}

/// A trace id and two span ids (a request's root span and its call into the agent), drawn
/// at once: a traced request needs all three, and each draw visits a thread-local.
pub fn trace_and_spans() -> (u128, u64, u64) {
    let [hi, lo, a, b] = next::<4>();
    (
        (u128::from(hi) << 64) | u128::from(lo.max(1)),
        a.max(1),
        b.max(1),
    )
}

/// A span id: 64 bits, never all zero (Trace Context forbids it).
pub fn span_id() -> u64 {
    next_u64().max(1)
}

/// A version-4 uuid (`8-4-4-4-12` lower-case hex), as request ids look in the service.
pub fn request_id() -> RequestId {
    let bits = (u128::from(next_u64()) << 64) | u128::from(next_u64());
    RequestId(uuid::Builder::from_random_bytes(bits.to_be_bytes()).into_uuid())
}

/// A request id, held as its 16 bytes on the stack (not its 36 characters): it travels with
/// the invocation's trace through the request path, and is written out as text where it is
/// sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestId(uuid::Uuid);

impl RequestId {
    /// Its text, written into `buf`. uuid's writer hands back the `str` it wrote without a
    /// UTF-8 check of it (checking cost about 70 instructions a request).
    pub fn encode<'b>(&self, buf: &'b mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &'b str {
        self.0.hyphenated().encode_lower(buf)
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// Lower-case hex of an id, held on the stack: `N` is twice the id's bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex<const N: usize>([u8; N]);

impl<const N: usize> Hex<N> {
    /// The low `N / 2` bytes of `v`, two digits a byte from a table: half the steps of a
    /// digit at a time (trace ids are written on every traced request).
    fn of(v: u128) -> Self {
        const PAIRS: [[u8; 2]; 256] = {
            let digits = b"0123456789abcdef";
            let mut t = [[0u8; 2]; 256];
            let mut i = 0;
            while i < 256 {
                t[i] = [digits[i >> 4], digits[i & 15]];
                i += 1;
            }
            t
        };
        let bytes = v.to_be_bytes();
        let mut out = [b'0'; N];
        for (pair, b) in out.chunks_exact_mut(2).zip(&bytes[16 - N / 2..]) {
            pair.copy_from_slice(&PAIRS[usize::from(*b)]);
        }
        Hex(out)
    }

    /// The digits, for a caller that copies them into a buffer of its own.
    pub fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl<const N: usize> std::fmt::Display for Hex<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> std::fmt::Debug for Hex<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> serde::Serialize for Hex<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A trace id in hex (32 digits).
pub fn trace_hex(id: u128) -> Hex<32> {
    Hex::of(id)
}

/// A span id in hex (16 digits).
pub fn span_hex(id: u64) -> Hex<16> {
    Hex::of(u128::from(id))
}

/// A trace id from its hex form; `None` unless 32 hex digits, not all zero.
pub fn parse_trace(s: &str) -> Option<u128> {
    (s.len() == 32)
        .then(|| u128::from_str_radix(s, 16).ok())
        .flatten()
        .filter(|v| *v != 0 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A span id from its hex form; `None` unless 16 hex digits, not all zero.
pub fn parse_span(s: &str) -> Option<u64> {
    (s.len() == 16)
        .then(|| u64::from_str_radix(s, 16).ok())
        .flatten()
        .filter(|v| *v != 0 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_well_formed_and_distinct() {
        let a = request_id();
        let text = a.to_string();
        let u = uuid::Uuid::parse_str(&text).unwrap();
        assert_eq!(u.get_version_num(), 4);
        assert_eq!(text, text.to_ascii_lowercase());
        assert_eq!(a.encode(&mut [0; 36]), text);
        assert_ne!(a, request_id());
        let (t, a, b) = trace_and_spans();
        let (t2, ..) = trace_and_spans();
        assert!(t != t2 && a != b && t as u64 != 0 && a != 0 && b != 0);
        assert_eq!(parse_trace(trace_hex(t).as_str()), Some(t));
        let s = span_id();
        assert_eq!(parse_span(span_hex(s).as_str()), Some(s));
        assert_eq!(span_hex(0xab).as_str(), "00000000000000ab");
    }

    #[test]
    fn hex_forms_are_checked_as_trace_context_checks_them() {
        assert_eq!(parse_trace(&"0".repeat(32)), None);
        assert_eq!(parse_trace(&"A".repeat(32)), Some(u128::MAX / 15 * 10));
        assert_eq!(parse_trace("+0000000000000000000000000000001"), None);
        assert_eq!(parse_span("00000000000000001"), None);
        assert_eq!(parse_span("000000000000000g"), None);
    }
}
