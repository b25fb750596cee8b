//! Waiting on AWS: the one loop that looks at something (a runtime's status, a build, a query,
//! a call IAM may still refuse), and looks again until it is done or the wait's limit is
//! reached. A `Policy` says how long to sleep between looks and when to give up; `Show` says
//! what the spinner (or its plain-line stand-in) tells the user between looks; a wait that runs
//! out returns a `Timeout` holding what its last look saw, which the caller turns into its own
//! error. What counts as done, pending or failed is the caller's look, not this module's.

use std::time::Duration;

use tokio::time::Instant;

use crate::output::Progress;

/// What one look found.
#[derive(Debug, PartialEq, Eq)]
pub enum Poll<T, S> {
    /// Finished: the wait returns this.
    Done(T),
    /// Not yet: what was seen, shown between looks and kept for the timeout.
    Pending(S),
}

/// How the delay between looks grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Growth {
    /// The same delay every time.
    Fixed,
    /// Multiplied by this after each look (2: 1s, 2s, 4s, …).
    Times(u32),
    /// The first delay added after each look (3s, 6s, 9s, …).
    Linear,
}

/// When a wait gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// A look that still finds it pending this long after the wait began.
    Deadline(Duration),
    /// This many looks in all.
    Looks(u32),
}

/// How a wait paces its looks and when it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The sleep after the first look.
    pub first: Duration,
    pub growth: Growth,
    /// No sleep is longer than this.
    pub max_delay: Duration,
    pub limit: Limit,
}

impl Policy {
    /// The same delay between every two looks.
    pub const fn fixed(every: Duration, limit: Limit) -> Self {
        Policy {
            first: every,
            growth: Growth::Fixed,
            max_delay: every,
            limit,
        }
    }

    /// `first`, then twice as long each time, up to `max_delay`.
    pub const fn doubling(first: Duration, max_delay: Duration, limit: Limit) -> Self {
        Policy {
            first,
            growth: Growth::Times(2),
            max_delay,
            limit,
        }
    }

    /// `first`, `2 × first`, `3 × first`, …
    pub const fn linear(first: Duration, limit: Limit) -> Self {
        Policy {
            first,
            growth: Growth::Linear,
            max_delay: Duration::MAX,
            limit,
        }
    }

    fn next(&self, delay: Duration) -> Duration {
        let grown = match self.growth {
            Growth::Fixed => delay,
            Growth::Times(f) => delay.saturating_mul(f),
            Growth::Linear => delay.saturating_add(self.first),
        };
        grown.min(self.max_delay)
    }

    fn spent(&self, waited: Duration, looks: u32) -> bool {
        match self.limit {
            Limit::Deadline(d) => waited >= d,
            Limit::Looks(n) => looks >= n,
        }
    }
}

/// A wait that ran out: what its last look saw, how long it waited and how many looks it took.
#[derive(Debug, PartialEq, Eq)]
pub struct Timeout<S> {
    pub last: S,
    pub waited: Duration,
    pub looks: u32,
}

/// Why a wait ended without its result.
#[derive(Debug, PartialEq, Eq)]
pub enum Error<S, E> {
    /// A look failed (an error, or a state that cannot become done): the wait stops at once.
    Failed(E),
    /// The policy's limit was reached while it was still pending.
    Timeout(Timeout<S>),
}

impl<S, E> Error<S, E> {
    /// The caller's one error: a failed look's own, or `timeout` made from what was last seen.
    pub fn or_timeout(self, timeout: impl FnOnce(Timeout<S>) -> E) -> E {
        match self {
            Error::Failed(e) => e,
            Error::Timeout(t) => timeout(t),
        }
    }
}

/// The text a wait shows for what it saw.
pub type Text<'a, S> = &'a (dyn Fn(&S) -> String + Sync);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Message,
    MessageAndNext,
    LineAndNext,
}

impl How {
    fn render(self, text: String, next: Duration) -> String {
        match self {
            How::Message => text,
            How::MessageAndNext => format!("{text}, checking again in {}s", next.as_secs()),
            How::LineAndNext => format!("{text}; retrying in {}s", next.as_secs()),
        }
    }
}

/// What a wait tells the user before each sleep (never after its last look).
pub struct Show<'a, S> {
    to: Option<(&'a Progress, How, Text<'a, S>)>,
}

impl<'a, S> Show<'a, S> {
    /// Nothing: the look reports for itself, or there is no one to tell.
    pub fn nothing() -> Self {
        Show { to: None }
    }

    /// The spinner's message becomes `text(seen)`.
    pub fn message(progress: &'a Progress, text: Text<'a, S>) -> Self {
        Show {
            to: Some((progress, How::Message, text)),
        }
    }

    /// The spinner's message becomes `text(seen)` and ", checking again in Ns".
    pub fn message_and_next(progress: &'a Progress, text: Text<'a, S>) -> Self {
        Show {
            to: Some((progress, How::MessageAndNext, text)),
        }
    }

    /// A line above the spinner: `text(seen)` and "; retrying in Ns".
    pub fn line_and_next(progress: &'a Progress, text: Text<'a, S>) -> Self {
        Show {
            to: Some((progress, How::LineAndNext, text)),
        }
    }

    fn tell(&self, seen: &S, next: Duration) {
        let Some((progress, how, text)) = self.to else {
            return;
        };
        let line = how.render(text(seen), next);
        match how {
            How::Message | How::MessageAndNext => progress.set_message(line),
            How::LineAndNext => progress.println(line),
        }
    }
}

/// Looks until a look is done or fails, or the policy's limit is reached: after each pending
/// look past the limit, a `Timeout` with what it saw; otherwise `show` it, sleep, look again.
pub async fn until<T, S, E>(
    policy: &Policy,
    show: Show<'_, S>,
    mut look: impl AsyncFnMut() -> Result<Poll<T, S>, E>,
) -> Result<T, Error<S, E>> {
    let start = Instant::now();
    let mut delay = policy.first;
    let mut looks = 0;
    loop {
        looks += 1;
        let seen = match look().await.map_err(Error::Failed)? {
            Poll::Done(t) => return Ok(t),
            Poll::Pending(s) => s,
        };
        let waited = start.elapsed();
        if policy.spent(waited, looks) {
            return Err(Error::Timeout(Timeout {
                last: seen,
                waited,
                looks,
            }));
        }
        show.tell(&seen, delay);
        tokio::time::sleep(delay).await;
        delay = policy.next(delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    /// A look that is pending (saying which look it is) until its `ready`th look.
    fn ready_after(ready: u32) -> impl AsyncFnMut() -> Result<Poll<u32, String>, String> {
        let mut n = 0;
        async move || {
            n += 1;
            Ok(if n >= ready {
                Poll::Done(n)
            } else {
                Poll::Pending(format!("look {n}"))
            })
        }
    }

    fn quiet() -> Progress {
        crate::output::Printer::new(crate::output::OutputFormat::Text, true, 0, true).spinner("")
    }

    #[tokio::test(start_paused = true)]
    async fn a_look_that_becomes_ready_ends_the_wait_after_the_policys_sleeps() {
        let p = quiet();
        let policy = Policy::doubling(S, 10 * S, Limit::Deadline(60 * S));
        let start = Instant::now();
        let text = |s: &String| format!("waiting: {s}");
        let got = until(&policy, Show::message_and_next(&p, &text), ready_after(4)).await;
        assert_eq!(got, Ok(4));
        assert_eq!(start.elapsed(), 7 * S, "slept 1 + 2 + 4");
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_that_passes_is_a_timeout_with_the_last_status() {
        let policy = Policy::doubling(S, 10 * S, Limit::Deadline(30 * S));
        let got = until(&policy, Show::nothing(), ready_after(u32::MAX)).await;
        // Looks at 0, 1, 3, 7, 15, 25 (delay capped at 10) and 35 s: past 30 at the seventh.
        assert_eq!(
            got,
            Err(Error::Timeout(Timeout {
                last: "look 7".into(),
                waited: 35 * S,
                looks: 7
            }))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_look_cap_gives_up_after_that_many_looks_without_a_last_sleep() {
        let p = quiet();
        let policy = Policy::linear(3 * S, Limit::Looks(6));
        let text = |_: &String| "not yet".to_string();
        let got = until(
            &policy,
            Show::line_and_next(&p, &text),
            ready_after(u32::MAX),
        )
        .await;
        let Err(Error::Timeout(t)) = got else {
            panic!("{got:?}")
        };
        assert_eq!(
            (t.looks, t.waited),
            (6, 45 * S),
            "slept 3 + 6 + 9 + 12 + 15"
        );
        assert_eq!(t.last, "look 6");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_look_ends_the_wait_at_once() {
        let policy = Policy::fixed(2 * S, Limit::Deadline(60 * S));
        let start = Instant::now();
        let mut n = 0;
        let got: Result<(), Error<String, String>> = until(&policy, Show::nothing(), async || {
            n += 1;
            if n == 3 {
                Err("FAILED".to_string())
            } else {
                Ok(Poll::Pending("CREATING".to_string()))
            }
        })
        .await;
        assert_eq!(got, Err(Error::Failed("FAILED".into())));
        assert_eq!(start.elapsed(), 4 * S);
        assert_eq!(
            Error::<String, String>::Timeout(Timeout {
                last: "UPDATING".into(),
                waited: S,
                looks: 1
            })
            .or_timeout(|t| format!("still {}", t.last)),
            "still UPDATING"
        );
    }

    #[test]
    fn delays_grow_by_the_policy_and_stop_at_its_maximum() {
        let doubling = Policy::doubling(S, 10 * S, Limit::Looks(1));
        assert_eq!(doubling.next(8 * S), 10 * S);
        assert_eq!(Policy::linear(5 * S, Limit::Looks(1)).next(10 * S), 15 * S);
        assert_eq!(Policy::fixed(2 * S, Limit::Looks(1)).next(2 * S), 2 * S);
    }

    #[test]
    fn what_is_shown_says_when_the_next_look_is() {
        let t = || "waiting for runtime r: CREATING".to_string();
        assert_eq!(How::Message.render(t(), 4 * S), t());
        assert_eq!(
            How::MessageAndNext.render(t(), 4 * S),
            "waiting for runtime r: CREATING, checking again in 4s"
        );
        assert_eq!(
            How::LineAndNext.render("role not usable yet".into(), 5 * S),
            "role not usable yet; retrying in 5s"
        );
    }
}
