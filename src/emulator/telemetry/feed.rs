//! The live feed's hub (`/_agentcore/events`) and the last requests (`/_agentcore/requests`).
//!
//! A request's frame is written straight into one pending buffer, under one lock: no
//! allocation of its own, no channel send, nothing a reader has to take from it one by one.
//! A flusher task hands what is pending to the readers as one batch at most every
//! [`FEED_PACE`]; every reader gets that batch (one shared buffer), so a reader costs a write
//! every few milliseconds, whatever the request rate. When nobody listens, request frames are
//! still copied into the last-requests ring every [`FOLD_FRAMES`] requests. A batch's
//! buffer is written again once its readers are done with it. Other messages (dev events, new
//! traces) go through the same buffer, so a reader sees everything in the order it happened.
//! A state that may change on every request (a session turning active and idle) is marked
//! [`Changing`] instead, and told once a batch, as it is when the batch goes out.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{Notify, broadcast, watch};

/// The shortest time between two batches. An event after a quiet spell goes out at once;
/// under load, what came meanwhile goes out together.
pub const FEED_PACE: Duration = Duration::from_millis(10);
/// Requests kept for `/_agentcore/requests`, so a page opened late sees what came before.
pub const RECENT_REQUESTS: usize = 500;
/// Batches the channel holds for a slow reader before it skips ahead (about half a second
/// at full pace).
const BATCHES: usize = 64;
/// Request frames pending before they are folded into the last requests when nobody
/// listens; a batch is also handed on early once it is this large, so memory stays bounded
/// between two flushes whatever the rate.
const FOLD_FRAMES: usize = 128;
const MAX_BATCH_BYTES: usize = 1 << 20;

/// Something whose state the feed tells (a session's turn between idle and active): marked
/// with [`Hub::changed`] however often it changes, and told at most once a batch, as it is
/// then. Told on every change, a session whose calls do not overlap added two messages to
/// each request's one.
pub trait Changing: Send + Sync {
    /// The frame telling its state now; `None` when that is the state told last.
    fn frame(&self) -> Option<Bytes>;
}

/// Frames handed to the readers together. `first` numbers the first frame of all the hub has
/// sent, so a reader that skipped batches can say how many frames it missed.
#[derive(Clone)]
pub struct Batch {
    bytes: Bytes,
    first: u64,
    frames: u64,
}

#[derive(Default)]
struct Pending {
    /// Frames written since the last fold, one after another.
    buf: Vec<u8>,
    /// Where each request frame in `buf` starts and ends: what the last requests keep.
    requests: Vec<(u32, u32)>,
    /// Frames in `buf`, requests and other messages.
    frames: u64,
    /// Frames sent before `buf`'s first.
    sent: u64,
    /// The last batch sent, whose buffer is written again once every reader is done with it:
    /// a fresh buffer of a batch's size (hundreds of KB under load) every 10 ms cost the
    /// allocator's page faults (five times as many a request, counted from `/proc`).
    sent_last: Option<Bytes>,
    recent: Recent,
    /// What changed since the last batch, each once (the caller marks it told).
    changed: Vec<std::sync::Weak<dyn Changing>>,
    /// The flusher has been woken for what is pending.
    woken: bool,
    /// A flusher task runs.
    flusher: bool,
}

/// The last request frames (up to [`RECENT_REQUESTS`]), copied one after another into a ring
/// of bytes that stops growing once full, so no batch is held for their sake.
#[derive(Default)]
struct Recent {
    bytes: VecDeque<u8>,
    lens: VecDeque<usize>,
}

impl Recent {
    fn push(&mut self, frame: &[u8]) {
        if self.lens.len() == RECENT_REQUESTS
            && let Some(old) = self.lens.pop_front()
        {
            self.bytes.drain(..old);
        }
        self.bytes.extend(frame);
        self.lens.push_back(frame.len());
    }

    /// The frames' JSON objects as one array, oldest first.
    fn json(&self) -> String {
        let mut out = Vec::with_capacity(2 + self.bytes.len());
        let mut frame = Vec::new();
        let mut at = 0;
        out.push(b'[');
        for (i, &len) in self.lens.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            frame.clear();
            frame.extend(self.bytes.range(at..at + len));
            out.extend_from_slice(super::frame_json(&frame));
            at += len;
        }
        out.push(b']');
        // Every frame is UTF-8 JSON.
        String::from_utf8(out).unwrap_or_else(|_| "[]".into())
    }
}

/// The feed's hub: one per emulator.
pub struct Hub {
    pending: Mutex<Pending>,
    /// Open readers; read on every request without the lock.
    readers: AtomicUsize,
    wake: Notify,
    tx: broadcast::Sender<Batch>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            pending: Mutex::default(),
            readers: AtomicUsize::new(0),
            wake: Notify::new(),
            tx: broadcast::channel(BATCHES).0,
        }
    }
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether anyone listens (read on every request, without the lock).
    pub fn listening(&self) -> bool {
        self.readers.load(Ordering::Relaxed) > 0
    }

    /// A finished request: `write` appends its frame (`data: {…}\n\n`) to the buffer it is
    /// given. Kept among the last requests, and sent to the readers.
    pub fn request(&self, write: impl FnOnce(&mut Vec<u8>)) {
        let mut p = self.lock();
        let start = p.buf.len();
        write(&mut p.buf);
        let end = p.buf.len();
        // Frames are a few hundred bytes and the buffer is folded long before 4 GB.
        p.requests.push((start as u32, end as u32));
        p.frames += 1;
        self.after_write(p);
    }

    /// Any other message, already framed; `make` runs only when someone listens.
    pub fn publish(&self, make: impl FnOnce() -> Bytes) {
        if !self.listening() {
            return;
        }
        let frame = make();
        let mut p = self.lock();
        p.buf.extend_from_slice(&frame);
        p.frames += 1;
        self.after_write(p);
    }

    /// `what` changed: its state goes out with the next batch. The caller marks `what` so
    /// that it comes here once a batch, not once a change.
    pub fn changed(&self, what: std::sync::Weak<dyn Changing>) {
        let mut p = self.lock();
        p.changed.push(what);
        self.after_write(p);
    }

    fn after_write(&self, mut p: MutexGuard<'_, Pending>) {
        if self.listening() {
            if p.buf.len() >= MAX_BATCH_BYTES {
                self.fold(&mut p);
            } else if !p.woken {
                p.woken = true;
                drop(p);
                self.wake.notify_one();
            }
        } else if p.requests.len() >= FOLD_FRAMES || p.buf.len() >= MAX_BATCH_BYTES {
            self.fold(&mut p);
        }
    }

    /// Moves what is pending out: request frames into the last requests, the whole to the
    /// readers (sent under the lock, so batches go out in the order they were made).
    fn fold(&self, p: &mut Pending) {
        for c in p.changed.drain(..) {
            if let Some(frame) = c.upgrade().and_then(|c| c.frame()) {
                p.buf.extend_from_slice(&frame);
                p.frames += 1;
            }
        }
        if p.buf.is_empty() {
            return;
        }
        let skip = p.requests.len().saturating_sub(RECENT_REQUESTS);
        for &(start, end) in &p.requests[skip..] {
            p.recent.push(&p.buf[start as usize..end as usize]);
        }
        p.requests.clear();
        let frames = std::mem::take(&mut p.frames);
        let first = p.sent;
        p.sent += frames;
        if !self.listening() {
            p.buf.clear();
            return;
        }
        let reused = (p.sent_last.take())
            .and_then(|b| b.try_into_mut().ok())
            .map(|b| {
                let mut v = Vec::from(b);
                v.clear();
                v
            });
        // Without one to reuse, the next buffer starts at the size this one reached.
        let next = reused.unwrap_or_else(|| Vec::with_capacity(p.buf.len()));
        let bytes = Bytes::from(std::mem::replace(&mut p.buf, next));
        p.sent_last = Some(bytes.clone());
        let _ = self.tx.send(Batch {
            bytes,
            first,
            frames,
        });
    }

    /// The last requests, oldest first, as one JSON array.
    pub fn recent_requests(&self) -> String {
        let mut p = self.lock();
        self.fold(&mut p);
        p.recent.json()
    }

    /// A new reader, ending when `closed` turns true. Starts the flusher if none runs.
    pub fn subscribe(self: &Arc<Self>, closed: watch::Receiver<bool>) -> Reader {
        let mut p = self.lock();
        // What is pending predates this reader, as the last requests it can read do.
        self.fold(&mut p);
        self.readers.fetch_add(1, Ordering::Relaxed);
        let rx = self.tx.subscribe();
        if !p.flusher {
            p.flusher = true;
            tokio::spawn(self.clone().flush());
        }
        Reader {
            hub: self.clone(),
            rx,
            closed,
            next: None,
        }
    }

    /// Hands what is pending on, a batch at most every [`FEED_PACE`], while anyone listens.
    async fn flush(self: Arc<Self>) {
        let mut last = tokio::time::Instant::now() - FEED_PACE;
        loop {
            self.wake.notified().await;
            tokio::time::sleep_until(last + FEED_PACE).await;
            last = tokio::time::Instant::now();
            let mut p = self.lock();
            p.woken = false;
            self.fold(&mut p);
            if !self.listening() {
                p.flusher = false;
                return;
            }
        }
    }
}

/// One reader of the feed.
pub struct Reader {
    hub: Arc<Hub>,
    rx: broadcast::Receiver<Batch>,
    closed: watch::Receiver<bool>,
    /// The number of the next frame this reader expects.
    next: Option<u64>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.hub.readers.fetch_sub(1, Ordering::Relaxed);
        // The flusher looks again, and ends if this was the last reader.
        self.hub.wake.notify_one();
    }
}

impl Reader {
    /// The next batch of frames (led by a `lagged` message when batches were skipped);
    /// `None` once the emulator is stopping.
    pub async fn next(&mut self) -> Option<Bytes> {
        let batch = loop {
            tokio::select! {
                b = self.rx.recv() => match b {
                    Ok(b) => break b,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                _ = self.closed.wait_for(|c| *c) => return None,
            }
        };
        let missed = self.next.map_or(0, |n| batch.first.saturating_sub(n));
        self.next = Some(batch.first + batch.frames);
        if missed == 0 {
            return Some(batch.bytes);
        }
        let mut out =
            super::sse_frame(&serde_json::json!({ "kind": "lagged", "missed": missed })).to_vec();
        out.extend_from_slice(&batch.bytes);
        Some(Bytes::from(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str) -> impl FnOnce(&mut Vec<u8>) + '_ {
        move |b: &mut Vec<u8>| {
            b.extend_from_slice(format!("data: {{\"n\":\"{text}\"}}\n\n").as_bytes())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn what_comes_within_the_pace_reaches_every_reader_as_one_batch_in_order() {
        let hub = Arc::new(Hub::default());
        let (_open, closed) = watch::channel(false);
        let (mut a, mut b) = (hub.subscribe(closed.clone()), hub.subscribe(closed));
        hub.request(frame("1"));
        hub.publish(|| Bytes::from_static(b"data: {\"kind\":\"event\"}\n\n"));
        hub.request(frame("2"));
        let want = "data: {\"n\":\"1\"}\n\ndata: {\"kind\":\"event\"}\n\ndata: {\"n\":\"2\"}\n\n";
        assert_eq!(a.next().await.unwrap(), want);
        assert_eq!(b.next().await.unwrap(), want);
        // Only requests are kept for late pages.
        assert_eq!(hub.recent_requests(), "[{\"n\":\"1\"},{\"n\":\"2\"}]");
        hub.request(frame("3"));
        assert_eq!(a.next().await.unwrap(), "data: {\"n\":\"3\"}\n\n");
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_buffer_is_written_again_once_its_readers_are_done() {
        let hub = Arc::new(Hub::default());
        let (_open, closed) = watch::channel(false);
        let mut r = hub.subscribe(closed);
        hub.request(frame("1"));
        let first = r.next().await.unwrap();
        let at = first.as_ptr();
        drop(first);
        hub.request(frame("2"));
        assert_eq!(r.next().await.unwrap(), "data: {\"n\":\"2\"}\n\n");
        hub.request(frame("3"));
        let third = r.next().await.unwrap();
        assert_eq!(third, "data: {\"n\":\"3\"}\n\n");
        assert_eq!(third.as_ptr(), at, "the first batch's buffer, reused");
        // One still held is not written over.
        hub.request(frame("4"));
        let fourth = r.next().await.unwrap();
        hub.request(frame("5"));
        hub.request(frame("6"));
        assert_eq!(
            r.next().await.unwrap(),
            "data: {\"n\":\"5\"}\n\ndata: {\"n\":\"6\"}\n\n"
        );
        assert_eq!(fourth, "data: {\"n\":\"4\"}\n\n");
    }

    #[tokio::test(start_paused = true)]
    async fn with_nobody_listening_the_last_requests_are_still_kept_and_bounded() {
        let hub = Arc::new(Hub::default());
        for i in 0..RECENT_REQUESTS + FOLD_FRAMES + 7 {
            hub.request(frame(&i.to_string()));
        }
        hub.publish(|| panic!("made with nobody listening"));
        let recent: Vec<serde_json::Value> = serde_json::from_str(&hub.recent_requests()).unwrap();
        assert_eq!(recent.len(), RECENT_REQUESTS);
        assert_eq!(recent[0]["n"], (FOLD_FRAMES + 7).to_string());
        let last = RECENT_REQUESTS + FOLD_FRAMES + 6;
        assert_eq!(recent[RECENT_REQUESTS - 1]["n"], last.to_string());
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_that_fell_behind_is_told_how_many_frames_it_missed() {
        let hub = Arc::new(Hub::default());
        let (_open, closed) = watch::channel(false);
        let mut slow = hub.subscribe(closed);
        hub.request(frame("first"));
        assert!(slow.next().await.is_some());
        // More batches than the channel holds, each of three frames, while it reads nothing.
        for i in 0..BATCHES + 2 {
            for _ in 0..3 {
                hub.request(frame(&i.to_string()));
            }
            hub.recent_requests();
        }
        let got = String::from_utf8(slow.next().await.unwrap().to_vec()).unwrap();
        assert!(
            got.starts_with("data: {\"kind\":\"lagged\",\"missed\":6}\n\n"),
            "{got}"
        );
        assert!(
            got.ends_with("data: {\"n\":\"2\"}\n\n".repeat(3).as_str()),
            "{got}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_flusher_ends_with_its_last_reader_and_a_new_reader_starts_another() {
        let hub = Arc::new(Hub::default());
        let (open, closed) = watch::channel(false);
        drop(hub.subscribe(closed.clone()));
        tokio::time::sleep(FEED_PACE * 2).await;
        assert!(!hub.lock().flusher);
        let mut r = hub.subscribe(closed);
        hub.request(frame("x"));
        assert_eq!(r.next().await.unwrap(), "data: {\"n\":\"x\"}\n\n");
        open.send_replace(true);
        assert!(r.next().await.is_none(), "a closed emulator ends the feed");
    }
}
