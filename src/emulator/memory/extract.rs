//! Long-term records made from events, locally and without a model. The cloud runs an LLM
//! over new events some time after they are written; this runs fixed rules in the same
//! transaction as the event, so what an agent stored can be found at once and the same
//! events always give the same records:
//!
//! - SEMANTIC, USER_PREFERENCE, EPISODIC and CUSTOM strategies keep each USER message (and each
//!   `json` item) as one record, once per namespace: the same text again adds nothing, as the
//!   service's consolidation would do; a question (ending in `?`) states nothing and is not kept;
//! - SUMMARIZATION keeps one record per session holding its transcript (`ROLE: text` lines,
//!   the newest 16,000 characters), rewritten on every event;
//! - blobs and events written with `extractionMode: SKIP` make nothing, as in the cloud;
//! - a record expires the strategy's `recordExpirySpecification` days after it is made;
//! - the records are seen by searches and listings only after the extraction delay
//!   (`dev --memory-extraction-delay`): in the cloud extraction takes a minute or so, and an
//!   agent must not find what it was told a moment ago as if it were long-term memory.
//!
//! A record's namespace is the strategy's first template with `{actorId}`, `{sessionId}`,
//! `{memoryStrategyId}` (also `{strategyId}`) and the event's `namespaceVariables` filled in.
//! Strands sends each message as the JSON of its `SessionMessage`; the text inside is what is
//! kept.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::store::{self, MemoryRow, NewRecord, Strategy};
use super::wire::{self, Answer, invalid};

/// The largest record text the service keeps.
const MAX_TEXT: usize = 16_000;

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ExtractionConfig {
    pub namespace_variables: Option<Map<String, Value>>,
}

impl ExtractionConfig {
    /// The namespace variables of `config`, if any (what a memory's namespace keys check).
    pub fn variables(config: Option<&Self>) -> Option<&Map<String, Value>> {
        config.and_then(|c| c.namespace_variables.as_ref())
    }

    /// 1 to 5 variables, lower-case names that are not the built-in ones, short values.
    pub fn check(&self) -> Answer<()> {
        let Some(vars) = &self.namespace_variables else {
            return Ok(());
        };
        if vars.is_empty() || vars.len() > 5 {
            return Err(invalid("namespaceVariables holds 1 to 5 entries"));
        }
        for (k, v) in vars {
            let name_ok = k.len() <= 32
                && k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !name_ok || ["actorid", "sessionid", "memorystrategyid"].contains(&k.as_str()) {
                return Err(invalid(format!("invalid namespace variable name {k:?}")));
            }
            let value_ok = v.as_str().is_some_and(|s| {
                (1..=64).contains(&s.len())
                    && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    })
            });
            if !value_ok {
                return Err(invalid(format!(
                    "invalid value for namespace variable {k:?}"
                )));
            }
        }
        Ok(())
    }
}

/// Where the content came from.
pub struct Source<'a> {
    pub actor: &'a str,
    pub session: &'a str,
    pub variables: Option<&'a ExtractionConfig>,
    /// The event's metadata, whose strictly consistent keys its records take.
    pub metadata: Option<&'a Map<String, Value>>,
    /// When it happened (the event's timestamp).
    pub at_ms: i64,
    /// From when the records it makes are seen.
    pub visible_ms: i64,
}

/// Makes the records `items` give under every strategy of `m`; returns how many changed.
pub fn from_items(tx: &Transaction, m: &MemoryRow, src: &Source, items: &[Value]) -> Answer<usize> {
    let lines: Vec<(String, String)> = items.iter().filter_map(line_of).collect();
    if lines.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    for s in &m.strategies {
        let Some(template) = s.namespace_templates.first() else {
            continue;
        };
        let namespace = resolve(template, src, &s.strategy_id);
        // A variable the event did not give: the service skips this strategy for it.
        if namespace.contains('{') {
            continue;
        }
        changed += if s.kind == "SUMMARIZATION" {
            summarize(tx, m, s, &namespace, src, &lines)?
        } else {
            keep_user_lines(tx, m, s, &namespace, src, &lines)?
        };
    }
    Ok(changed)
}

/// A payload item as (role, text): conversational items and json ones (as USER content);
/// blobs give nothing.
fn line_of(item: &Value) -> Option<(String, String)> {
    if let Some(c) = item.get("conversational") {
        let role = c["role"].as_str()?.to_string();
        return Some((role, readable(c["content"]["text"].as_str()?)));
    }
    let json = item.get("json")?.get("content")?;
    let text = match json {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(("USER".into(), text))
}

/// The text a message holds: the texts inside a Strands `SessionMessage`, else the text.
fn readable(text: &str) -> String {
    let inner = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        let parts: Vec<String> = v["message"]["content"]
            .as_array()?
            .iter()
            .filter_map(|c| c["text"].as_str().map(str::to_string))
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n"))
    });
    inner.unwrap_or_else(|| text.to_string())
}

/// The template with the source's values in place of its variables.
pub fn resolve(template: &str, src: &Source, strategy_id: &str) -> String {
    let mut out = template
        .replace("{actorId}", src.actor)
        .replace("{sessionId}", src.session)
        .replace("{memoryStrategyId}", strategy_id)
        .replace("{strategyId}", strategy_id);
    let vars = ExtractionConfig::variables(src.variables);
    for (k, v) in vars.into_iter().flatten() {
        if let Some(v) = v.as_str() {
            out = out.replace(&format!("{{{k}}}"), v);
        }
    }
    out
}

fn keep_user_lines(
    tx: &Transaction,
    m: &MemoryRow,
    s: &Strategy,
    namespace: &str,
    src: &Source,
    lines: &[(String, String)],
) -> Answer<usize> {
    let mut made = 0;
    // Records of events with other strictly consistent values are kept apart.
    let metadata = super::settings::strict_metadata(s.record_schema.as_ref(), src.metadata);
    let metadata_text = metadata.as_ref().map(Value::to_string);
    let statements = lines
        .iter()
        .filter(|(role, text)| role == "USER" && !text.trim_end().ends_with('?'));
    for (_, text) in statements {
        let text = tail(text);
        let known: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM records WHERE memory = ?1 AND namespace = ?2 AND strategy = ?3
                   AND text = ?4 AND metadata IS ?5",
                params![m.id, namespace, s.strategy_id, text, metadata_text],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            continue;
        }
        store::insert_record(
            tx,
            &NewRecord {
                memory: &m.id,
                strategy: Some(&s.strategy_id),
                namespace,
                text,
                ts_ms: src.at_ms,
                metadata: metadata.as_ref(),
                expires_ms: expires_ms(s),
                source: "extraction",
                visible_ms: src.visible_ms,
            },
        )?;
        made += 1;
    }
    Ok(made)
}

/// When a record strategy `s` makes now expires: its days after it is made, as the service
/// counts them.
fn expires_ms(s: &Strategy) -> Option<i64> {
    let days = s.record_expiry_days?;
    Some(wire::now_ms().saturating_add(days.saturating_mul(86_400_000)))
}

/// The session's transcript record, with `lines` added.
fn summarize(
    tx: &Transaction,
    m: &MemoryRow,
    s: &Strategy,
    namespace: &str,
    src: &Source,
    lines: &[(String, String)],
) -> Answer<usize> {
    let key = format!("summary:{}:{}", src.actor, src.session);
    let found: Option<(i64, String)> = tx
        .query_row(
            "SELECT rid, text FROM records WHERE memory = ?1 AND source = ?2 AND strategy = ?3",
            params![m.id, key, s.strategy_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let added: String = lines
        .iter()
        .map(|(role, text)| format!("{role}: {text}\n"))
        .collect();
    match found {
        Some((rid, old)) => {
            let text = format!("{old}{added}");
            store::set_text(tx, rid, tail(&text), src.at_ms)?;
        }
        None => {
            store::insert_record(
                tx,
                &NewRecord {
                    memory: &m.id,
                    strategy: Some(&s.strategy_id),
                    namespace,
                    text: tail(&added),
                    ts_ms: src.at_ms,
                    metadata: None,
                    expires_ms: expires_ms(s),
                    source: &key,
                    visible_ms: src.visible_ms,
                },
            )?;
        }
    }
    Ok(1)
}

/// The newest `MAX_TEXT` characters of `text`.
fn tail(text: &str) -> &str {
    match text.char_indices().rev().nth(MAX_TEXT - 1) {
        Some((i, _)) => &text[i..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_take_the_events_values() {
        let cfg: ExtractionConfig =
            serde_json::from_value(json!({"namespaceVariables": {"team": "blue"}})).unwrap();
        let src = Source {
            actor: "alice",
            session: "s1",
            variables: Some(&cfg),
            metadata: None,
            at_ms: 0,
            visible_ms: 0,
        };
        assert_eq!(
            resolve(
                "/strategies/{memoryStrategyId}/actors/{actorId}/{team}/{sessionId}/",
                &src,
                "st-1"
            ),
            "/strategies/st-1/actors/alice/blue/s1/"
        );
        assert!(cfg.check().is_ok());
        let bad: ExtractionConfig =
            serde_json::from_value(json!({"namespaceVariables": {"actorId": "x"}})).unwrap();
        assert!(bad.check().is_err());
    }

    #[test]
    fn strands_messages_are_read_for_their_text() {
        let msg = json!({"message": {"role": "user", "content": [{"text": "I like green tea"}]},
            "message_id": 0})
        .to_string();
        assert_eq!(readable(&msg), "I like green tea");
        assert_eq!(readable("plain words"), "plain words");
        let item = json!({"blob": "anything"});
        assert_eq!(line_of(&item), None);
    }

    #[test]
    fn long_texts_keep_their_end() {
        let long = "a".repeat(MAX_TEXT) + "end";
        assert!(tail(&long).ends_with("end"));
        assert_eq!(tail(&long).chars().count(), MAX_TEXT);
    }
}
