//! Metadata: the limits on what an event or a record may carry, and the filter expressions
//! `ListEvents` (`EQUALS_TO`, `EXISTS`, `NOT_EXISTS`) and the record searches (those, plus
//! `CONTAINS`, `BEFORE`/`AFTER` and the number comparisons) apply. Every expression of a
//! request must match (AND), as Strands' `stateType` plus `agentId` filter expects.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::wire::{Answer, invalid};

#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Left {
    pub metadata_key: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Right {
    pub metadata_value: Value,
}

/// One filter expression (events and records share the shape; records take more operators).
#[derive(Deserialize, Debug, Clone)]
pub struct EventMetadataFilter {
    pub left: Left,
    pub operator: String,
    pub right: Option<Right>,
}

pub type RecordMetadataFilter = EventMetadataFilter;

const EVENT_OPERATORS: &[&str] = &["EQUALS_TO", "EXISTS", "NOT_EXISTS"];
const RECORD_OPERATORS: &[&str] = &[
    "EQUALS_TO",
    "EXISTS",
    "NOT_EXISTS",
    "BEFORE",
    "AFTER",
    "CONTAINS",
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUALS",
    "LESS_THAN",
    "LESS_THAN_OR_EQUALS",
];

/// An event's `metadata`: at most 15 keys of 1 to 128 characters, each a `{stringValue}` of
/// at most 256.
pub fn check_event_metadata(m: &Map<String, Value>) -> Answer<()> {
    if m.len() > 15 {
        return Err(invalid("metadata holds at most 15 entries"));
    }
    for (k, v) in m {
        if !(1..=128).contains(&k.chars().count()) || !metadata_text(k) {
            return Err(invalid(format!(
                "metadata key {k:?} must be 1 to 128 of letters, digits, spaces and ._:/=+@-"
            )));
        }
        let Some(s) = v.get("stringValue").and_then(Value::as_str) else {
            return Err(invalid(format!(
                "metadata value of {k:?} must be {{\"stringValue\": …}}"
            )));
        };
        if s.chars().count() > 256 || !metadata_text(s) {
            return Err(invalid(format!(
                "metadata value of {k:?} must be up to 256 of letters, digits, spaces and ._:/=+@-"
            )));
        }
    }
    Ok(())
}

/// The model's pattern for event metadata keys and values, `[a-zA-Z0-9\s._:/=+@-]*` (the
/// SDKs check lengths, not patterns, so the service is the one to refuse).
fn metadata_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "\t\n\u{b}\u{c}\r ._:/=+@-".contains(c))
}

/// A record's `metadata`: 1 to 20 keys, each value one of the four kinds.
pub fn check_record_metadata(m: &Map<String, Value>) -> Answer<()> {
    if m.is_empty() || m.len() > 20 {
        return Err(invalid("record metadata holds 1 to 20 entries"));
    }
    let kinds = [
        "stringValue",
        "stringListValue",
        "numberValue",
        "dateTimeValue",
    ];
    for (k, v) in m {
        if k.starts_with("x-amz-agentcore-memory-") {
            return Err(invalid(format!(
                "metadata key {k:?}: metadata keys cannot use the reserved prefix x-amz-agentcore-memory-"
            )));
        }
        let one = v
            .as_object()
            .filter(|o| o.len() == 1 && kinds.iter().any(|kind| o.contains_key(*kind)));
        if one.is_none() {
            return Err(invalid(format!(
                "metadata value of {k:?} must hold exactly one of {}",
                kinds.join(", ")
            )));
        }
    }
    Ok(())
}

pub fn check_event_filters(f: &[EventMetadataFilter]) -> Answer<()> {
    check_filters(f, EVENT_OPERATORS)
}

pub fn check_record_filters(f: &[RecordMetadataFilter]) -> Answer<()> {
    check_filters(f, RECORD_OPERATORS)
}

fn check_filters(f: &[EventMetadataFilter], operators: &[&str]) -> Answer<()> {
    if f.is_empty() || f.len() > 5 {
        return Err(invalid("metadata filters hold 1 to 5 expressions"));
    }
    for e in f {
        if !operators.contains(&e.operator.as_str()) {
            return Err(invalid(format!(
                "operator {:?} is not one of {}",
                e.operator,
                operators.join(", ")
            )));
        }
        let needs_value = !matches!(e.operator.as_str(), "EXISTS" | "NOT_EXISTS");
        if needs_value && e.right.is_none() {
            return Err(invalid(format!(
                "operator {} needs a right-hand metadataValue",
                e.operator
            )));
        }
    }
    Ok(())
}

impl EventMetadataFilter {
    /// Whether `metadata` (an event's or a record's) passes this expression.
    pub fn matches(&self, metadata: Option<&Value>) -> bool {
        self.holds(metadata.and_then(|m| m.get(&self.left.metadata_key)))
    }

    /// Whether `have`, the value under this expression's key (if any), passes it.
    pub fn holds(&self, have: Option<&Value>) -> bool {
        let want = self.right.as_ref().map(|r| &r.metadata_value);
        match (self.operator.as_str(), have, want) {
            ("EXISTS", h, _) => h.is_some(),
            ("NOT_EXISTS", h, _) => h.is_none(),
            (_, None, _) | (_, _, None) => false,
            ("EQUALS_TO", Some(h), Some(w)) => equals(h, w),
            ("CONTAINS", Some(h), Some(w)) => contains(h, w),
            (op, Some(h), Some(w)) => compare(op, h, w),
        }
    }
}

/// The same value: numbers and times by value (3 is 3.0: the wire's numbers are doubles),
/// anything else as written.
fn equals(have: &Value, want: &Value) -> bool {
    for kind in ["numberValue", "dateTimeValue"] {
        let of = |v: &Value| v.get(kind).and_then(Value::as_f64);
        if let (Some(h), Some(w)) = (of(have), of(want)) {
            return h == w;
        }
    }
    have == want
}

/// A string holding the wanted string, or a list holding one of the wanted strings.
fn contains(have: &Value, want: &Value) -> bool {
    let wanted: Vec<&str> = match (want.get("stringValue"), want.get("stringListValue")) {
        (Some(s), _) => s.as_str().into_iter().collect(),
        (_, Some(l)) => l
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect(),
        _ => vec![],
    };
    if let Some(s) = have.get("stringValue").and_then(Value::as_str) {
        return wanted.iter().any(|w| s.contains(w));
    }
    let list = have.get("stringListValue").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|s| wanted.contains(&s))
}

/// Numbers and times (epoch seconds) compared; BEFORE and AFTER read times.
fn compare(op: &str, have: &Value, want: &Value) -> bool {
    let num = |v: &Value| {
        v.get("numberValue")
            .or_else(|| v.get("dateTimeValue"))
            .and_then(Value::as_f64)
    };
    let (Some(h), Some(w)) = (num(have), num(want)) else {
        return false;
    };
    match op {
        "GREATER_THAN" | "AFTER" => h > w,
        "GREATER_THAN_OR_EQUALS" => h >= w,
        "LESS_THAN" | "BEFORE" => h < w,
        "LESS_THAN_OR_EQUALS" => h <= w,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn filter(v: Value) -> EventMetadataFilter {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn event_metadata_is_held_to_the_models_pattern() {
        let md = |k: &str, v: &str| {
            json!({ k: {"stringValue": v} })
                .as_object()
                .unwrap()
                .clone()
        };
        assert!(check_event_metadata(&md("stateType", "user@host: a/b=c+d")).is_ok());
        assert!(check_event_metadata(&md("k!", "v")).is_err());
        assert!(check_event_metadata(&md("k", "v,é#")).is_err());
    }

    #[test]
    fn expressions_match_as_the_service_matches_them() {
        let md = json!({"stateType": {"stringValue": "AGENT"}, "n": {"numberValue": 3}});
        let eq = filter(
            json!({"left": {"metadataKey": "stateType"}, "operator": "EQUALS_TO",
            "right": {"metadataValue": {"stringValue": "AGENT"}}}),
        );
        assert!(eq.matches(Some(&md)));
        let other = filter(
            json!({"left": {"metadataKey": "stateType"}, "operator": "EQUALS_TO",
            "right": {"metadataValue": {"stringValue": "SESSION"}}}),
        );
        assert!(!other.matches(Some(&md)));
        let gone = filter(json!({"left": {"metadataKey": "x"}, "operator": "NOT_EXISTS"}));
        assert!(gone.matches(Some(&md)) && gone.matches(None));
        let gt = filter(
            json!({"left": {"metadataKey": "n"}, "operator": "GREATER_THAN",
            "right": {"metadataValue": {"numberValue": 2}}}),
        );
        assert!(gt.matches(Some(&md)));
        assert!(check_event_filters(&[gt]).is_err(), "not an event operator");
        for (n, hit) in [(json!(3.0), true), (json!(3), true), (json!(3.5), false)] {
            let eq = filter(
                json!({"left": {"metadataKey": "n"}, "operator": "EQUALS_TO",
                "right": {"metadataValue": {"numberValue": n}}}),
            );
            assert_eq!(eq.matches(Some(&md)), hit, "{n}");
        }
        let as_time = filter(
            json!({"left": {"metadataKey": "n"}, "operator": "EQUALS_TO",
            "right": {"metadataValue": {"dateTimeValue": 3}}}),
        );
        assert!(!as_time.matches(Some(&md)), "a number is not a time");
    }
}
