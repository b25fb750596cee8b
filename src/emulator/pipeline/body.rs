//! The request body on its way to the agent: counted as it passes, failing once it is past the
//! payload limit, noting a client that broke off. It is a body, not a stream around one, so
//! its size and its end pass through: an agent reading a body of known length learns it is
//! complete with its last piece, and a forwarding client can send it with its length.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use hyper::body::{Frame, SizeHint};

/// What ended a request body early, for the call to answer: the payload limit, or the client.
#[derive(Default)]
pub(crate) struct BodyEnd {
    pub exceeded: AtomicBool,
    pub client_broke: AtomicBool,
}

pub(crate) struct Counted {
    inner: Body,
    seen: u64,
    limit: u64,
    end: Arc<BodyEnd>,
}

impl Counted {
    pub fn new(inner: Body, limit: u64, end: Arc<BodyEnd>) -> Self {
        Counted {
            inner,
            seen: 0,
            limit,
            end,
        }
    }
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let frame = match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            Poll::Ready(Some(Err(e))) => {
                this.end.client_broke.store(true, Ordering::Relaxed);
                return Poll::Ready(Some(Err(e)));
            }
            other => return other,
        };
        if let Some(data) = frame.data_ref() {
            this.seen += data.len() as u64;
            if this.seen > this.limit {
                this.end.exceeded.store(true, Ordering::Relaxed);
                return Poll::Ready(Some(Err(axum::Error::new(std::io::Error::other(
                    "request body over the payload limit",
                )))));
            }
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn next(body: &mut Counted) -> Option<Result<Frame<Bytes>, axum::Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await
    }

    #[tokio::test]
    async fn counts_passes_the_size_through_and_stops_past_the_limit() {
        let end = Arc::new(BodyEnd::default());
        let body = Counted::new(Body::from("12345"), 5, end.clone());
        assert_eq!(body.size_hint().exact(), Some(5));
        let mut body = body;
        let first = next(&mut body).await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(first, "12345");
        assert!(body.is_end_stream(), "a full body says it ended");
        assert!(!end.exceeded.load(Ordering::Relaxed));

        let end = Arc::new(BodyEnd::default());
        let over = Counted::new(Body::from("123456"), 5, end.clone());
        assert!(
            axum::body::to_bytes(Body::new(over), usize::MAX)
                .await
                .is_err()
        );
        assert!(end.exceeded.load(Ordering::Relaxed));
        assert!(!end.client_broke.load(Ordering::Relaxed));
    }
}
