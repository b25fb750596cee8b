//! The listener: connections accepted up to a bound, each served on its own task (HTTP/1.1,
//! upgrades for WebSockets, hyper's header-read timeout against clients that never finish a
//! request, on a timer of the connection's own: `header_timer`), and the graceful end of each
//! when `dev` stops; a closing connection lingers to read what its client is still sending, so
//! the client gets the answer it was sent.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use super::{DevLog, Limits, wiring};

/// Accepts connections until `stop`, each served on its own task (HTTP/1.1 with upgrades for
/// WebSockets), at most `max_connections` at once; then waits for them to finish. A connection
/// that has been upgraded to a WebSocket no longer counts (the stream timeout bounds it).
pub(super) async fn accept_loop<G: wiring::Gate>(
    listener: TcpListener,
    app: wiring::Gated<G>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    log: DevLog,
) {
    use hyper_util::rt::TokioIo;
    // HTTP/1.1 only, as axum::serve without its http2 feature. hyper's own builder: the header
    // timer runs whenever hyper reads a request head, the first one included (hyper-util's
    // auto builder first waits, untimed, for bytes that tell HTTP/1 from HTTP/2).
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .header_read_timeout(limits.header_read_timeout)
        // hyper's read buffer bound, a backstop for memory: a read may overshoot it, so the
        // exact header bound (431 in the service's shape) is the middleware's.
        .max_buf_size((limits.max_header_bytes * 4).max(8192));
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    // Each connection task holds a receiver; `closed()` resolves when the last one ends.
    let (open_tx, open_rx) = watch::channel(());
    let mut at_limit = false;
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => {
                at_limit = false;
                p
            }
            Err(_) => {
                if !at_limit {
                    log.event(&format!(
                        "connection limit reached ({} open): new connections wait until one closes",
                        limits.max_connections
                    ));
                    at_limit = true;
                }
                tokio::select! {
                    p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
                    _ = stopped(&mut stop) => break,
                }
            }
        };
        let tcp = tokio::select! {
            r = listener.accept() => match r {
                Ok((tcp, _)) => tcp,
                Err(_) => {
                    // Out of descriptors or the like: back off instead of spinning on accept.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        // Without TCP_NODELAY, a response written as headers then body meets the client's
        // delayed ACK and waits ~40 ms.
        let _ = tcp.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let (mut builder, stop, open) = (builder.clone(), stop.clone(), open_rx.clone());
        // A timer of the connection's own: see `header_timer`.
        builder.timer(super::header_timer::ConnTimer::new());
        tokio::spawn(async move {
            let conn = builder
                .serve_connection(TokioIo::new(Lingering::new(tcp, stop.clone())), service)
                .with_upgrades();
            until_stopped(conn, stop, |c| c.graceful_shutdown()).await;
            drop((permit, open));
        });
    }
    drop(listener);
    drop(open_rx);
    open_tx.closed().await;
}

/// How long, and how much of what a client is still sending, a closing connection reads and
/// discards before it lets go of the socket (see [`Lingering`]).
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 16 << 20;

/// A connection's socket that, when hyper closes it, first says so (FIN) and then reads and
/// discards what the client is still sending, until the client closes too or for at most
/// [`LINGER`] and [`LINGER_BYTES`]. Closed with unread data in its buffer, a socket answers
/// with a reset, and a client still writing a request body (one refused over the payload
/// limit) would lose the answer it had been sent: a broken pipe instead of the 400. Web
/// servers call this a lingering close. Not while `dev` stops: an idle keep-alive client
/// (an open inspector page) must not hold up Ctrl-C.
struct Lingering {
    tcp: tokio::net::TcpStream,
    stop: watch::Receiver<bool>,
    /// Set once the write side is shut: the deadline for the client to close.
    closing: Option<Pin<Box<tokio::time::Sleep>>>,
    discarded: usize,
}

impl Lingering {
    fn new(tcp: tokio::net::TcpStream, stop: watch::Receiver<bool>) -> Self {
        Lingering {
            tcp,
            stop,
            closing: None,
            discarded: 0,
        }
    }
}

impl AsyncRead for Lingering {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Lingering {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.closing.is_none() {
            std::task::ready!(Pin::new(&mut this.tcp).poll_shutdown(cx))?;
        }
        let deadline = this
            .closing
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(LINGER)));
        if *this.stop.borrow() {
            return Poll::Ready(Ok(()));
        }
        let mut scratch = [0u8; 8192];
        loop {
            if deadline.as_mut().poll(cx).is_ready() || this.discarded > LINGER_BYTES {
                return Poll::Ready(Ok(()));
            }
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.tcp).poll_read(cx, &mut buf) {
                // The client closed (or the socket failed): nothing is left to lose.
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => this.discarded += buf.filled().len(),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Serves `conn` to its end; if shutdown is asked for first, `shut` tells it to finish what
/// it is doing and it is served to that end. A `select!` would poll the shutdown watch on
/// every wake-up of the connection (each read and write), and that poll takes a lock both
/// runtime threads share; here it is polled once to register, and again only when the watch
/// has changed.
async fn until_stopped<C: Future>(
    conn: C,
    mut stop: watch::Receiver<bool>,
    shut: impl FnOnce(Pin<&mut C>),
) {
    let probe = stop.clone();
    let shutdown = stopped(&mut stop);
    tokio::pin!(conn, shutdown);
    let mut registered = false;
    let asked = std::future::poll_fn(|cx| {
        if conn.as_mut().poll(cx).is_ready() {
            return Poll::Ready(false);
        }
        if !registered || probe.has_changed().unwrap_or(true) {
            registered = true;
            if shutdown.as_mut().poll(cx).is_ready() {
                return Poll::Ready(true);
            }
        }
        Poll::Pending
    })
    .await;
    if asked {
        shut(conn.as_mut());
        let _ = conn.await;
    }
}

/// Resolves once shutdown is asked for (the watch's guard is not held: it is not `Send`).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A client still sending when the server answers and closes (a body refused over the
    /// limit) reads the answer whole: no reset takes it away.
    #[tokio::test]
    async fn a_closing_connection_lets_a_client_still_sending_read_its_answer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = tokio::spawn(async move {
            let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
            // 12 MB the server does not read: more than the two sockets' buffers hold, less
            // than a closing connection discards. Closed without lingering, the server's
            // socket resets the connection and these writes fail.
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..192 {
                tcp.write_all(&chunk).await?;
            }
            tcp.shutdown().await?;
            let mut answer = Vec::new();
            tcp.read_to_end(&mut answer).await.map(|_| answer)
        });
        let (tcp, _) = listener.accept().await.unwrap();
        let (_stop, stopped) = watch::channel(false);
        let mut conn = Lingering::new(tcp, stopped);
        let mut first = [0u8; 1024];
        conn.read_exact(&mut first).await.unwrap();
        conn.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        conn.shutdown().await.unwrap();
        drop(conn);
        let answer = client
            .await
            .unwrap()
            .expect("sent and read without a reset");
        assert_eq!(
            answer,
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"
        );
    }

    /// A connection that is woken `wakes` times with nothing to do (as a keep-alive one is
    /// between requests), then says it waits (`idle`); it ends once told to shut down.
    #[derive(Default)]
    struct Conn {
        polls: usize,
        wakes: usize,
        shut: bool,
        waker: Option<Waker>,
        idle: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl std::future::Future for Conn {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            self.polls += 1;
            if self.shut {
                return Poll::Ready(());
            }
            if self.polls <= self.wakes {
                cx.waker().wake_by_ref();
            } else if let Some(idle) = self.idle.take() {
                let _ = idle.send(());
            }
            self.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn a_busy_connection_still_hears_the_shutdown_and_a_finished_one_is_not_shut() {
        let (tx, rx) = watch::channel(false);
        let (idle_tx, idle) = tokio::sync::oneshot::channel();
        let conn = Conn {
            wakes: 50,
            idle: Some(idle_tx),
            ..Conn::default()
        };
        let (shut_tx, shut_rx) = tokio::sync::oneshot::channel();
        let served = tokio::spawn(until_stopped(conn, rx, move |c| {
            let c = c.get_mut();
            c.shut = true;
            let _ = shut_tx.send(c.polls);
        }));
        // Asked only once the connection has been woken many times and waits.
        idle.await.unwrap();
        tx.send(true).unwrap();
        let polls = tokio::time::timeout(Duration::from_secs(10), shut_rx)
            .await
            .expect("the shutdown reached the connection")
            .unwrap();
        assert!(polls > 50, "{polls}");
        tokio::time::timeout(Duration::from_secs(10), served)
            .await
            .expect("served to its end after the shutdown")
            .unwrap();

        // A connection that ends by itself is never told to shut down.
        let (_tx, rx) = watch::channel(false);
        let done = Conn {
            shut: true,
            ..Conn::default()
        };
        until_stopped(done, rx, |_| panic!("not asked to stop")).await;
    }
}
