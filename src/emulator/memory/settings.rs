//! A memory's metadata settings, as `CreateMemory` takes them and `GetMemory` shows them:
//! `indexedKeys` (the record metadata keys a filter may name, each with its type),
//! `namespaceKeys` (the custom namespace variables and the values `CreateEvent` may give
//! them) and `streamDeliveryResources` (kept and shown; `dev` has no Kinesis to deliver to).
//! They are kept as one JSON text in the memory's row, in the wire's own shape. A strategy's
//! `memoryRecordSchema` is checked against them here, and its strictly consistent keys read.
//!
//! What they change: a record search or listing may filter only on an indexed key, with an
//! operator and a value of the key's type, or on the service's own keys (the record's
//! creation and update times, its type); any other key is the service's ValidationException.
//! A namespace variable a memory declares must be one of its allowed values and match its
//! pattern when a `CreateEvent` or `IngestData` gives it.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::filters::RecordMetadataFilter;
use super::wire::{Answer, invalid};
use crate::emulator::errors;

/// Keys every record has, filterable without being indexed.
pub const CREATED_AT: &str = "x-amz-agentcore-memory-createdAt";
pub const UPDATED_AT: &str = "x-amz-agentcore-memory-updatedAt";
pub const RECORD_TYPE: &str = "x-amz-agentcore-memory-recordType";
/// The prefix of those keys: a memory may not index a key of its own under it.
const RESERVED: &str = "x-amz-agentcore-memory-";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexed_keys: Vec<IndexedKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespace_keys: Vec<NamespaceKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_delivery_resources: Option<Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct IndexedKey {
    pub key: String,
    /// STRING, STRINGLIST or NUMBER.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NamespaceKey {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<NamespaceValidation>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceValidation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_pattern: Option<String>,
}

/// What `CreateMemory` carries of them, unchecked.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SettingsIn {
    indexed_keys: Option<Vec<IndexedKey>>,
    #[serde(default)]
    namespace_keys: Vec<NamespaceKey>,
    stream_delivery_resources: Option<Value>,
}

impl SettingsIn {
    /// The settings, held to the model's limits.
    pub fn checked(self) -> Answer<Settings> {
        if self.indexed_keys.as_ref().is_some_and(Vec::is_empty) {
            return Err(invalid("indexedKeys holds 1 to 10 keys"));
        }
        checked(Settings {
            indexed_keys: self.indexed_keys.unwrap_or_default(),
            namespace_keys: self.namespace_keys,
            stream_delivery_resources: self.stream_delivery_resources,
        })
    }
}

/// `s`, held to the model's limits (a memory's whole settings, as made or as updated).
pub fn checked(s: Settings) -> Answer<Settings> {
    if !s.indexed_keys.is_empty() {
        check_indexed(&s.indexed_keys)?;
    }
    check_namespace_keys(&s.namespace_keys)?;
    if let Some(d) = &s.stream_delivery_resources {
        check_stream(d)?;
    }
    Ok(s)
}

fn check_indexed(keys: &[IndexedKey]) -> Answer<()> {
    if keys.len() > 10 {
        return Err(invalid("a memory indexes at most 10 keys"));
    }
    let mut seen = HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        let field = format!("indexedKeys.{}.member.key", i + 1);
        static KEY: OnceLock<regex::Regex> = OnceLock::new();
        let re = errors::pattern(&KEY, r"^[a-zA-Z0-9\s._:/=+@-]*$");
        errors::constraint(&field, &k.key, 1..=128, re)?;
        if k.key.starts_with(RESERVED) {
            return Err(invalid(format!(
                "indexed key {:?} uses the reserved prefix {RESERVED}",
                k.key
            )));
        }
        if !["STRING", "STRINGLIST", "NUMBER"].contains(&k.kind.as_str()) {
            return Err(invalid(format!(
                "indexed key {:?} has type {:?}; it must be STRING, STRINGLIST or NUMBER",
                k.key, k.kind
            )));
        }
        if !seen.insert(k.key.as_str()) {
            return Err(invalid(format!("indexed key {:?} is given twice", k.key)));
        }
    }
    Ok(())
}

fn check_namespace_keys(keys: &[NamespaceKey]) -> Answer<()> {
    if keys.len() > 5 {
        return Err(invalid("namespaceKeys holds at most 5 keys"));
    }
    static KEY: OnceLock<regex::Regex> = OnceLock::new();
    static VALUE: OnceLock<regex::Regex> = OnceLock::new();
    let mut seen = HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        let field = format!("namespaceKeys.{}.member", i + 1);
        let re = errors::pattern(&KEY, "^[a-z][a-z0-9]*$");
        errors::constraint(&format!("{field}.key"), &k.key, 1..=32, re)?;
        if !seen.insert(k.key.as_str()) {
            return Err(invalid(format!("namespace key {:?} is given twice", k.key)));
        }
        let Some(v) = &k.validation else { continue };
        if let Some(values) = &v.allowed_values {
            if values.is_empty() || values.len() > 10 {
                return Err(invalid(format!(
                    "{field}.validation.allowedValues holds 1 to 10 values"
                )));
            }
            let re = errors::pattern(&VALUE, "^[a-z0-9][a-z0-9-_]*$");
            for value in values {
                errors::constraint(
                    &format!("{field}.validation.allowedValues"),
                    value,
                    1..=64,
                    re,
                )?;
            }
        }
        if let Some(p) = &v.regex_pattern {
            if !(1..=64).contains(&p.chars().count()) {
                return Err(invalid(format!(
                    "{field}.validation.regexPattern must be 1 to 64 characters"
                )));
            }
            regex::Regex::new(p).map_err(|_| {
                invalid(format!(
                    "{field}.validation.regexPattern {p:?} is not a regular expression"
                ))
            })?;
        }
    }
    Ok(())
}

/// `{resources: [{kinesis: {dataStreamArn, contentConfigurations: [{type, level?}]}}]}`.
fn check_stream(s: &Value) -> Answer<()> {
    let bad = |why: &str| invalid(format!("streamDeliveryResources: {why}"));
    let resources = s
        .get("resources")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("resources is required"))?;
    if resources.len() > 1 {
        return Err(bad("resources holds at most 1 item"));
    }
    for r in resources {
        let kinesis = r
            .get("kinesis")
            .filter(|_| r.as_object().is_some_and(|o| o.len() == 1))
            .ok_or_else(|| bad("each resource names exactly one kind: kinesis"))?;
        let arn = kinesis.get("dataStreamArn").and_then(Value::as_str);
        if !arn.is_some_and(|a| a.starts_with("arn:") && a.split(':').count() >= 6) {
            return Err(bad(
                "kinesis.dataStreamArn must be a Kinesis data stream ARN",
            ));
        }
        let configs = kinesis
            .get("contentConfigurations")
            .and_then(Value::as_array);
        let [config] = configs.map(Vec::as_slice).unwrap_or_default() else {
            return Err(bad("kinesis.contentConfigurations holds exactly 1 item"));
        };
        if config.get("type").and_then(Value::as_str) != Some("MEMORY_RECORDS") {
            return Err(bad("a content configuration's type must be MEMORY_RECORDS"));
        }
        let level = config.get("level").and_then(Value::as_str);
        if !matches!(level, None | Some("METADATA_ONLY" | "FULL_CONTENT")) {
            return Err(bad(
                "a content configuration's level is METADATA_ONLY or FULL_CONTENT",
            ));
        }
    }
    Ok(())
}

impl Settings {
    /// Whether a record search or listing may use `filters`: each names a key the memory
    /// indexes (or one of the service's own), with an operator and a value of its type.
    pub fn check_filters(&self, filters: &[RecordMetadataFilter]) -> Answer<()> {
        filters.iter().try_for_each(|f| self.check_filter(f))
    }

    fn check_filter(&self, f: &RecordMetadataFilter) -> Answer<()> {
        let key = f.left.metadata_key.as_str();
        let kind = match key {
            CREATED_AT | UPDATED_AT => "DATETIME",
            RECORD_TYPE => "STRING",
            _ => match self.indexed_keys.iter().find(|k| k.key == key) {
                Some(k) => k.kind.as_str(),
                None => {
                    return Err(invalid(format!(
                        "Filter key '{key}' is not a valid filter key"
                    )));
                }
            },
        };
        let (operators, value): (&[&str], &str) = match kind {
            "DATETIME" => (&["BEFORE", "AFTER"], "dateTimeValue"),
            "STRINGLIST" => (&["CONTAINS"], "stringValue"),
            "NUMBER" => (
                &[
                    "EQUALS_TO",
                    "GREATER_THAN",
                    "GREATER_THAN_OR_EQUALS",
                    "LESS_THAN",
                    "LESS_THAN_OR_EQUALS",
                ],
                "numberValue",
            ),
            _ => (&["EQUALS_TO"], "stringValue"),
        };
        let op = f.operator.as_str();
        if matches!(op, "EXISTS" | "NOT_EXISTS") {
            return Ok(());
        }
        if !operators.contains(&op) {
            return Err(invalid(format!(
                "Operator {op} cannot be applied to filter key '{key}' of type {kind}; use {}",
                operators.join(", ")
            )));
        }
        let given = f.right.as_ref().map(|r| &r.metadata_value);
        if given.is_none_or(|v| v.get(value).is_none()) {
            return Err(invalid(format!(
                "Filter key '{key}' is of type {kind}: compare it with a {value}"
            )));
        }
        Ok(())
    }

    /// Whether `vars` (an event's `namespaceVariables`) give each declared key a value its
    /// validation allows (every rule must pass). Keys not declared are left alone.
    pub fn check_variables(&self, vars: Option<&Map<String, Value>>) -> Answer<()> {
        for (name, value) in vars.into_iter().flatten() {
            let declared = self.namespace_keys.iter().find(|k| &k.key == name);
            let Some(rules) = declared.and_then(|k| k.validation.as_ref()) else {
                continue;
            };
            let value = value.as_str().unwrap_or_default();
            if let Some(allowed) = &rules.allowed_values
                && !allowed.iter().any(|a| a == value)
            {
                return Err(invalid(format!(
                    "Namespace variable '{name}' value '{value}' is not one of the allowed values: {}",
                    allowed.join(", ")
                )));
            }
            if let Some(p) = &rules.regex_pattern {
                // Checked when the memory was made; anchored, so the whole value must match.
                let re =
                    regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| invalid(e.to_string()))?;
                if !re.is_match(value) {
                    return Err(invalid(format!(
                        "Namespace variable '{name}' value '{value}' does not match the pattern {p}"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// A strategy's `memoryRecordSchema` (`{metadataSchema: [{key, type?, extractionType?,
/// extractionConfig?}]}`, 1 to 20 entries), held to the service's rules for the keys copied
/// from events: at most 3 `STRICTLY_CONSISTENT` ones, each a `STRING` key the memory
/// indexes, with no extraction config, and none on a summary strategy.
pub fn check_record_schema(kind: &str, schema: &Value, s: &Settings) -> Answer<()> {
    let entries = schema.get("metadataSchema").and_then(Value::as_array);
    let Some(entries) = entries.filter(|e| (1..=20).contains(&e.len())) else {
        return Err(invalid(
            "memoryRecordSchema.metadataSchema holds 1 to 20 entries",
        ));
    };
    let mut strict = 0;
    for e in entries {
        let Some(key) = e.get("key").and_then(Value::as_str) else {
            return Err(invalid("each metadataSchema entry needs a key"));
        };
        if e.get("extractionType").and_then(Value::as_str) != Some("STRICTLY_CONSISTENT") {
            continue;
        }
        strict += 1;
        let indexed = s.indexed_keys.iter().find(|k| k.key == key);
        let why = if kind == "SUMMARIZATION" {
            Some("a summary strategy cannot have one")
        } else if e
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t != "STRING")
        {
            Some("it must be of type STRING")
        } else if e.get("extractionConfig").is_some() {
            Some("it takes no extractionConfig")
        } else if indexed.is_none_or(|k| k.kind != "STRING") {
            Some("it must be one of the memory's indexedKeys, of type STRING")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(invalid(format!(
                "STRICTLY_CONSISTENT metadata key '{key}': {why}"
            )));
        }
    }
    if strict > 3 {
        return Err(invalid(
            "a strategy has at most 3 STRICTLY_CONSISTENT metadata keys",
        ));
    }
    Ok(())
}

/// The metadata a strategy's records take from an event: the event's value of each of the
/// schema's `STRICTLY_CONSISTENT` keys, as it was sent. `None` when there is none.
pub fn strict_metadata(
    schema: Option<&Value>,
    event: Option<&Map<String, Value>>,
) -> Option<Value> {
    let (schema, event) = (schema?, event?);
    let entries = schema.get("metadataSchema").and_then(Value::as_array)?;
    let copied: Map<String, Value> = entries
        .iter()
        .filter(|e| e.get("extractionType").and_then(Value::as_str) == Some("STRICTLY_CONSISTENT"))
        .filter_map(|e| e.get("key").and_then(Value::as_str))
        .filter_map(|k| Some((k.to_string(), event.get(k)?.clone())))
        .collect();
    (!copied.is_empty()).then_some(Value::Object(copied))
}

/// What a record holds under one of the service's own keys, as a filter reads it.
pub fn system_value(key: &str, created_ms: i64, updated_ms: i64) -> Option<Value> {
    let seconds = |ms: i64| serde_json::json!({ "dateTimeValue": ms as f64 / 1000.0 });
    match key {
        CREATED_AT => Some(seconds(created_ms)),
        UPDATED_AT => Some(seconds(updated_ms)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(v: Value) -> Answer<Settings> {
        serde_json::from_value::<SettingsIn>(v).unwrap().checked()
    }

    fn filter(key: &str, op: &str, value: Value) -> RecordMetadataFilter {
        serde_json::from_value(json!({"left": {"metadataKey": key}, "operator": op,
            "right": {"metadataValue": value}}))
        .unwrap()
    }

    #[test]
    fn only_indexed_and_system_keys_filter_and_by_their_type() {
        let s = settings(
            json!({"indexedKeys": [{"key": "priority", "type": "NUMBER"},
            {"key": "tags", "type": "STRINGLIST"}]}),
        )
        .unwrap();
        let ok = |f| s.check_filters(&[f]).is_ok();
        assert!(ok(filter(
            "priority",
            "GREATER_THAN",
            json!({"numberValue": 2})
        )));
        assert!(ok(filter(
            "tags",
            "CONTAINS",
            json!({"stringValue": "vip"})
        )));
        assert!(ok(filter(CREATED_AT, "AFTER", json!({"dateTimeValue": 1}))));
        let err = s
            .check_filters(&[filter("team", "EQUALS_TO", json!({"stringValue": "x"}))])
            .unwrap_err();
        assert!(
            err.message.contains("'team' is not a valid filter key"),
            "{}",
            err.message
        );
        assert!(!ok(filter(
            "priority",
            "EQUALS_TO",
            json!({"stringValue": "2"})
        )));
        assert!(!ok(filter(
            "tags",
            "EQUALS_TO",
            json!({"stringValue": "vip"})
        )));
        assert!(!ok(filter(
            CREATED_AT,
            "EQUALS_TO",
            json!({"dateTimeValue": 1})
        )));
    }

    #[test]
    fn settings_are_held_to_the_model() {
        let key = |k: &str, t: &str| json!({"indexedKeys": [{"key": k, "type": t}]});
        assert!(settings(key("priority", "NUMBER")).is_ok());
        assert!(settings(key("priority", "DATE")).is_err());
        assert!(settings(key("x-amz-agentcore-memory-mine", "STRING")).is_err());
        assert!(settings(json!({"indexedKeys": []})).is_err());
        let twice = json!({"indexedKeys": [{"key": "a", "type": "STRING"}, {"key": "a", "type": "NUMBER"}]});
        assert!(settings(twice).is_err());
        assert!(settings(json!({"namespaceKeys": [{"key": "Team"}]})).is_err());
        let bad_re =
            json!({"namespaceKeys": [{"key": "team", "validation": {"regexPattern": "(["}}]});
        assert!(settings(bad_re).is_err());
        let stream = |level: &str| {
            json!({"streamDeliveryResources": {"resources": [{"kinesis": {
            "dataStreamArn": "arn:aws:kinesis:us-west-2:123456789012:stream/s",
            "contentConfigurations": [{"type": "MEMORY_RECORDS", "level": level}]}}]}})
        };
        assert!(settings(stream("FULL_CONTENT")).is_ok());
        assert!(settings(stream("EVERYTHING")).is_err());
    }

    #[test]
    fn strictly_consistent_keys_follow_the_services_rules() {
        let keys: Vec<Value> = ["a", "b", "c", "d"]
            .iter()
            .map(|k| json!({"key": k, "type": "STRING"}))
            .collect();
        let s = settings(json!({ "indexedKeys": keys })).unwrap();
        let schema = |keys: &[&str]| {
            json!({"metadataSchema": keys.iter().map(|k| json!({"key": k,
                "extractionType": "STRICTLY_CONSISTENT"})).collect::<Vec<_>>()})
        };
        assert!(check_record_schema("SEMANTIC", &schema(&["a", "b", "c"]), &s).is_ok());
        assert!(check_record_schema("SEMANTIC", &schema(&["a", "b", "c", "d"]), &s).is_err());
        assert!(check_record_schema("SUMMARIZATION", &schema(&["a"]), &s).is_err());
        assert!(check_record_schema("SEMANTIC", &schema(&["z"]), &s).is_err());
        let event = json!({"a": {"stringValue": "x"}, "other": {"stringValue": "y"}});
        assert_eq!(
            strict_metadata(Some(&schema(&["a", "b"])), event.as_object()),
            Some(json!({"a": {"stringValue": "x"}}))
        );
    }

    #[test]
    fn declared_namespace_variables_are_validated() {
        let s = settings(json!({"namespaceKeys": [
            {"key": "team", "validation": {"allowedValues": ["blue", "red"]}},
            {"key": "region", "validation": {"regexPattern": "eu-[a-z]+"}},
            {"key": "free"}]}))
        .unwrap();
        let vars = |v: Value| s.check_variables(v.as_object());
        assert!(
            vars(json!({"team": "blue", "region": "eu-west", "free": "x", "other": "y"})).is_ok()
        );
        assert!(vars(json!({"team": "green"})).is_err());
        assert!(vars(json!({"region": "us-east"})).is_err());
        assert!(
            vars(json!({"region": "xeu-west"})).is_err(),
            "the whole value must match"
        );
    }
}
