//! Ranking long-term records for a search query (`RetrieveMemoryRecords`), and the namespace
//! scopes searches and listings look in.
//!
//! The FTS5 index finds every record of the memory that holds one of the query's terms; each
//! is then scored with BM25 (k1 = 1.2, b = 0.75, the `ln(1 + …)` idf that stays positive for
//! common terms), with the memory's own record count, average length and term frequencies.
//! The `score` clients see is that BM25 divided by what a record of average length holding
//! every query term once would get, capped at 1: a record that says all the query asks scores
//! about 1, one that shares only a common word scores near 0, one that shares no word is not
//! returned. That is lexical relevance, not the cloud's semantic similarity: "drink" does not
//! find "tea". The README says so.

use std::collections::HashMap;

use rusqlite::{Transaction, params};

use super::filters::RecordMetadataFilter;
use super::settings;
use super::store::{self, Record};
use super::text;
use super::wire::{self, Answer, invalid};

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Where a search or a listing looks: `namespace` exactly, or everything under
/// `namespacePath` (`/` for the whole memory). The service takes one, never both or neither.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    pub namespace: Option<String>,
    pub namespace_path: Option<String>,
}

impl Scope {
    pub fn check(&self) -> Answer<()> {
        match (&self.namespace, &self.namespace_path) {
            (Some(_), Some(_)) => Err(invalid("pass namespace or namespacePath, not both")),
            (None, None) => Err(invalid(
                "either namespace or namespacePath is required (namespacePath \"/\" looks in the whole memory)",
            )),
            (Some(ns), None) => wire::check_namespace("namespace", ns),
            (None, Some(path)) => wire::check_namespace("namespacePath", path),
        }
    }

    /// Whether a record's namespace lies in scope: the path itself, or below it.
    pub fn holds(&self, ns: &str) -> bool {
        if let Some(exact) = &self.namespace {
            return ns == exact;
        }
        match &self.namespace_path {
            None => true,
            Some(p) => {
                let dir = p.trim_end_matches('/');
                ns.trim_end_matches('/') == dir || ns.starts_with(&format!("{dir}/"))
            }
        }
    }
}

/// What a search keeps besides its scope.
pub struct Wanted<'a> {
    pub strategy: Option<&'a str>,
    pub metadata: Option<&'a [RecordMetadataFilter]>,
}

impl Wanted<'_> {
    pub fn keeps(&self, r: &Record) -> bool {
        self.strategy
            .is_none_or(|s| r.strategy.as_deref() == Some(s))
            && self.metadata.into_iter().flatten().all(|m| {
                match settings::system_value(&m.left.metadata_key, r.created_ms, r.ts_ms) {
                    // The service's own keys are read from the record, not its metadata.
                    Some(v) => m.holds(Some(&v)),
                    None => m.matches(r.metadata.as_ref()),
                }
            })
    }
}

/// A record that holds a query term, with what BM25 needs of it.
struct Candidate {
    record: Record,
    /// How often each query term occurs in it (by the query's order).
    tf: Vec<u32>,
    len: f64,
}

/// The `top_k` best records of `memory` for `query` in `scope`, with their scores, best first.
pub fn rank(
    tx: &Transaction,
    memory: &str,
    scope: &Scope,
    wanted: &Wanted,
    query: &str,
    top_k: usize,
) -> Answer<Vec<(Record, f64)>> {
    let terms = text::query_terms(query);
    if terms.is_empty() {
        return Ok(vec![]);
    }
    let candidates = candidates(tx, memory, &terms)?;
    let (n, avg_len) = corpus(tx, memory)?;
    // Document frequencies over the memory: every record holding a term is a candidate.
    let df: Vec<f64> = (0..terms.len())
        .map(|i| candidates.iter().filter(|c| c.tf[i] > 0).count() as f64)
        .collect();
    let idf: Vec<f64> = df
        .iter()
        .map(|d| (1.0 + (n - d + 0.5) / (d + 0.5)).ln())
        .collect();
    let ideal: f64 = idf.iter().sum();
    let mut scored: Vec<(Record, f64)> = candidates
        .into_iter()
        .filter(|c| scope.holds(&c.record.namespace) && wanted.keeps(&c.record))
        .map(|c| {
            let norm = K1 * (1.0 - B + B * c.len / avg_len.max(1.0));
            let s: f64 =
                c.tf.iter()
                    .zip(&idf)
                    .map(|(&tf, idf)| idf * (tf as f64 * (K1 + 1.0)) / (tf as f64 + norm))
                    .sum();
            (c.record, s)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.rid.cmp(&a.0.rid)));
    scored.truncate(top_k);
    Ok(scored
        .into_iter()
        .map(|(r, s)| (r, (s / ideal).min(1.0)))
        .collect())
}

/// Every live record of `memory` that holds one of `terms`, with its term counts.
fn candidates(tx: &Transaction, memory: &str, terms: &[String]) -> Answer<Vec<Candidate>> {
    let query = terms
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(" OR ");
    let mut st = tx.prepare_cached(&format!(
        "SELECT {}, r.terms, r.n_terms FROM records_fts JOIN records r ON r.rid = records_fts.rowid
         WHERE records_fts MATCH ?1 AND r.memory = ?2 AND r.visible_ms <= ?3
           AND (r.expires_ms IS NULL OR r.expires_ms > ?3)",
        store::RECORD_COLUMNS
    ))?;
    let index: HashMap<&str, usize> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let rows = st.query_map(params![query, memory, wire::now_ms()], |r| {
        let record = store::record_row(r)?;
        let held: String = r.get(9)?;
        let len: i64 = r.get(10)?;
        let mut tf = vec![0u32; index.len()];
        for t in held.split(' ') {
            if let Some(&i) = index.get(t) {
                tf[i] += 1;
            }
        }
        Ok(Candidate {
            record,
            tf,
            len: len as f64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// How many live records `memory` holds, and their average length in terms.
fn corpus(tx: &Transaction, memory: &str) -> Answer<(f64, f64)> {
    Ok(tx.query_row(
        "SELECT count(*), coalesce(avg(n_terms), 0) FROM records
         WHERE memory = ?1 AND visible_ms <= ?2 AND (expires_ms IS NULL OR expires_ms > ?2)",
        params![memory, wire::now_ms()],
        |r| Ok((r.get::<_, i64>(0)? as f64, r.get::<_, f64>(1)?)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::memory::store::{NewRecord, Store};

    fn with_records(texts: &[&str]) -> std::sync::Arc<Store> {
        with_records_seen_from(texts, 0)
    }

    fn with_records_seen_from(texts: &[&str], visible_ms: i64) -> std::sync::Arc<Store> {
        let store = Store::open(None).unwrap();
        store
            .run_now(|tx| {
                for t in texts {
                    store::insert_record(
                        tx,
                        &NewRecord {
                            memory: "m",
                            strategy: Some("s"),
                            namespace: "/users/alice/facts/",
                            text: t,
                            ts_ms: 0,
                            metadata: None,
                            expires_ms: None,
                            source: "batch",
                            visible_ms,
                        },
                    )?;
                }
                Ok(())
            })
            .unwrap();
        store
    }

    fn search(store: &Store, q: &str) -> Vec<(String, f64)> {
        let scope = Scope {
            namespace: None,
            namespace_path: Some("/users/alice".into()),
        };
        let wanted = Wanted {
            strategy: None,
            metadata: None,
        };
        store
            .run_now(|tx| rank(tx, "m", &scope, &wanted, q, 10))
            .unwrap()
            .into_iter()
            .map(|(r, s)| (r.text, s))
            .collect()
    }

    #[test]
    fn the_record_that_says_what_was_asked_comes_first() {
        let store = with_records(&[
            "Alice likes green tea in the morning",
            "Alice's dog is called Rex",
            "Alice works on the billing team",
        ]);
        let hits = search(&store, "Which team does Alice work on?");
        assert_eq!(hits[0].0, "Alice works on the billing team", "{hits:?}");
        assert!(hits[0].1 > 0.8, "{hits:?}");
        assert!(hits.iter().skip(1).all(|(_, s)| *s < 0.3), "{hits:?}");
        let tea = search(&store, "green tea");
        assert_eq!(tea.len(), 1);
        assert!(search(&store, "submarine").is_empty());
    }

    #[test]
    fn records_still_being_extracted_are_not_found() {
        let later = with_records_seen_from(&["Alice likes green tea"], wire::now_ms() + 3_600_000);
        assert!(search(&later, "green tea").is_empty());
        let now = with_records_seen_from(&["Alice likes green tea"], wire::now_ms());
        assert_eq!(search(&now, "green tea").len(), 1);
    }

    #[test]
    fn scopes_hold_what_lies_under_them() {
        let path = Scope {
            namespace: None,
            namespace_path: Some("/users/alice".into()),
        };
        assert!(path.holds("/users/alice/facts/"));
        assert!(path.holds("/users/alice/"));
        assert!(!path.holds("/users/alice2/"));
        let exact = Scope {
            namespace: Some("/users/alice/".into()),
            namespace_path: None,
        };
        assert!(!exact.holds("/users/alice/facts/"));
        assert!(path.check().is_ok() && exact.check().is_ok());
        let (neither, both) = (
            Scope::default(),
            Scope {
                namespace: Some("/a".into()),
                namespace_path: Some("/".into()),
            },
        );
        assert!(neither.check().is_err(), "the service needs one");
        assert!(both.check().is_err());
    }
}
