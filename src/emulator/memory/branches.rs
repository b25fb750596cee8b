//! Branches of a session's events, as ListEvents' branch filter reads them. An event with no
//! branch is on `main`. A branch grows from an event of another branch (its first event's
//! `rootEventId`), which may itself have grown from a third: with `includeParentBranches`,
//! a branch's history is its own events, then each ancestor's up to where the next one grew
//! from it, back to `main`.

use rusqlite::{OptionalExtension, Transaction, params};

use super::wire::Answer;

/// The branch events are on when they name none.
pub const MAIN: &str = "main";

/// How many branches deep a history is followed (a loop in hand-made data ends here).
const MAX_DEPTH: usize = 100;

/// Where a session's events are: memory, actor, session.
pub type Place<'a> = (&'a str, &'a str, &'a str);

/// The branches a filter keeps, each with the last event id kept on it (none: all of it).
pub struct History(Vec<(String, Option<String>)>);

impl History {
    /// Branch `name` alone, or (with `parents`) with its ancestors' events up to each fork.
    pub fn of(tx: &Transaction, at: Place, name: &str, parents: bool) -> Answer<History> {
        let mut out = vec![(name.to_string(), None)];
        let mut current = name.to_string();
        while parents && current != MAIN && out.len() <= MAX_DEPTH {
            let Some(root) = fork_of(tx, at, &current)? else {
                break;
            };
            let parent = branch_of(tx, at, &root)?.unwrap_or_else(|| MAIN.into());
            if out.iter().any(|(b, _)| *b == parent) {
                break;
            }
            out.push((parent.clone(), Some(root)));
            current = parent;
        }
        Ok(History(out))
    }

    /// Whether event `id`, on `branch` (none: main), is in this history.
    pub fn holds(&self, id: &str, branch: Option<&str>) -> bool {
        let branch = branch.unwrap_or(MAIN);
        (self.0.iter()).any(|(b, cut)| b == branch && cut.as_deref().is_none_or(|c| id <= c))
    }
}

/// The event branch `name` grew from: its first event's `rootEventId`.
fn fork_of(
    tx: &Transaction,
    (memory, actor, session): Place,
    name: &str,
) -> Answer<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT root_event FROM events WHERE memory = ?1 AND actor = ?2 AND session = ?3
               AND branch = ?4 AND root_event IS NOT NULL ORDER BY event_id LIMIT 1",
            params![memory, actor, session, name],
            |r| r.get(0),
        )
        .optional()?)
}

/// The branch event `id` is on (none: main, or no such event).
fn branch_of(
    tx: &Transaction,
    (memory, actor, session): Place,
    id: &str,
) -> Answer<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT branch FROM events WHERE memory = ?1 AND actor = ?2 AND session = ?3
               AND event_id = ?4",
            params![memory, actor, session, id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_holds_each_branch_up_to_its_fork() {
        let h = History(vec![
            ("alt2".into(), None),
            ("alt".into(), Some("0002".into())),
            (MAIN.into(), Some("0001".into())),
        ]);
        assert!(h.holds("0009", Some("alt2")));
        assert!(h.holds("0002", Some("alt")) && !h.holds("0003", Some("alt")));
        assert!(h.holds("0001", None) && h.holds("0001", Some(MAIN)));
        assert!(!h.holds("0002", None), "main after the fork");
        assert!(!h.holds("0001", Some("other")));
    }
}
