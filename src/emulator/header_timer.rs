//! The timer hyper's header-read timeout runs on: one tokio sleep per connection, reused.
//!
//! hyper asks its timer for a new sleep each time it starts reading a request head (on a
//! keep-alive connection, that is while it waits for the next request) and drops it once the
//! head is read. A tokio sleep enters the runtime's timer wheel when first polled and leaves it
//! when dropped, each under the wheel's lock: with hyper-util's `TokioTimer` that was about 790
//! instructions a request (callgrind), for a deadline that almost never fires.
//!
//! Here a connection keeps one tokio sleep, its alarm, set to ring at or before the deadline
//! hyper asks for; the clock is read only once the alarm has rung. Deadlines on a
//! connection only move later, so an alarm set for an earlier request rings early at worst: the
//! connection's task wakes, the deadline is not yet due, and the alarm is set again. That is
//! once per timeout period on a busy connection, not once per request, and a client that never
//! finishes its head is still cut off when its deadline comes.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use tokio::time::Sleep;

/// A connection's timer: make one per connection, inside the runtime.
#[derive(Clone)]
pub struct ConnTimer {
    alarm: Arc<Mutex<Alarm>>,
}

/// The connection's tokio sleep, and the waker it was last polled with since it was last
/// set: polled again with the same waker, it would only register that waker again.
struct Alarm {
    sleep: Pin<Box<Sleep>>,
    registered: Option<Waker>,
}

impl ConnTimer {
    pub fn new() -> Self {
        // Not in the wheel until first polled; the first deadline sets it.
        let sleep = Box::pin(tokio::time::sleep(std::time::Duration::ZERO));
        ConnTimer {
            alarm: Arc::new(Mutex::new(Alarm {
                sleep,
                registered: None,
            })),
        }
    }
}

impl hyper::rt::Timer for ConnTimer {
    fn sleep(&self, duration: std::time::Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(Deadline {
            at: tokio::time::Instant::from_std(deadline),
            alarm: self.alarm.clone(),
        })
    }

    /// tokio's clock, so a test that pauses time moves hyper's deadlines too.
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// One deadline hyper asked for, on its connection's alarm.
struct Deadline {
    at: tokio::time::Instant,
    alarm: Arc<Mutex<Alarm>>,
}

impl Future for Deadline {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut alarm = self.alarm.lock().unwrap_or_else(|p| p.into_inner());
        let alarm = &mut *alarm;
        // An alarm that rings at or before this deadline and has not rung yet: this one is not
        // due (no clock read needed), and the task is woken when it rings.
        if alarm.sleep.deadline() <= self.at && !alarm.sleep.is_elapsed() {
            if (alarm.registered.as_ref()).is_some_and(|w| w.will_wake(cx.waker())) {
                return Poll::Pending;
            }
            if alarm.sleep.as_mut().poll(cx).is_pending() {
                alarm.registered = Some(cx.waker().clone());
                return Poll::Pending;
            }
        }
        // It rang (set for an earlier deadline), or it is set past this one.
        if tokio::time::Instant::now() >= self.at {
            return Poll::Ready(());
        }
        alarm.sleep.as_mut().reset(self.at);
        alarm.registered = None;
        if alarm.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        alarm.registered = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl hyper::rt::Sleep for Deadline {}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Timer;
    use std::time::Duration;
    use tokio::time::timeout;

    #[tokio::test(start_paused = true)]
    async fn a_deadline_wakes_its_task_when_due_and_not_before() {
        let start = tokio::time::Instant::now();
        let timer = ConnTimer::new();
        let mut deadline = timer.sleep(Duration::from_secs(30));
        assert!(
            timeout(Duration::from_secs(29), &mut deadline)
                .await
                .is_err()
        );
        // Paused time moves on to the next timer: only the alarm's wake-up ends this early.
        assert!(timeout(Duration::from_secs(5), &mut deadline).await.is_ok());
        assert_eq!(start.elapsed(), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn an_alarm_set_for_an_earlier_deadline_is_set_again() {
        let start = tokio::time::Instant::now();
        let timer = ConnTimer::new();
        // The first request's deadline sets the alarm for 30 s; its head is read at once.
        let first = timer.sleep(Duration::from_secs(30));
        assert!(futures_util::FutureExt::now_or_never(first).is_none());
        tokio::time::advance(Duration::from_secs(10)).await;
        // The next head starts at 10 s: due at 40 s. The alarm rings at 30 s, early.
        let mut second = timer.sleep(Duration::from_secs(30));
        assert!(timeout(Duration::from_secs(25), &mut second).await.is_err());
        assert_eq!(start.elapsed(), Duration::from_secs(35));
        assert!(timeout(Duration::from_secs(10), &mut second).await.is_ok());
        assert_eq!(start.elapsed(), Duration::from_secs(40));
    }
}
