//! `${NAME}` references: how secrets live in the project file. The file holds the reference;
//! the value is read from the environment only when it is used (at deploy), so it is never
//! written to disk or printed.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::Diagnostic;

static REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}").expect("static regex"));
static WHOLE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$").expect("static regex"));

#[derive(Debug, thiserror::Error)]
#[error("environment variable {name} is not set (referenced by {field})")]
pub struct MissingEnv {
    pub name: String,
    pub field: String,
}

impl Diagnostic for MissingEnv {
    fn hint(&self) -> Option<String> {
        Some(format!(
            "export {}=… before running this command (the project file only holds the reference)",
            self.name
        ))
    }
}

/// True when `s` is exactly one `${NAME}` reference.
pub fn is_reference(s: &str) -> bool {
    WHOLE_REF.is_match(s)
}

/// `s` with every `${NAME}` replaced by its value; a missing variable is an error naming it.
pub fn expand(s: &str, field: &str) -> Result<String, MissingEnv> {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for c in REF.captures_iter(s) {
        let m = c.get(0).expect("whole match");
        let name = &c[1];
        let value = std::env::var(name).map_err(|_| MissingEnv {
            name: name.to_string(),
            field: field.to_string(),
        })?;
        out.push_str(&s[last..m.start()]);
        out.push_str(&value);
        last = m.end();
    }
    out.push_str(&s[last..]);
    Ok(out)
}

/// Every value of `vars` expanded; the field named in an error is `environment_variables.KEY`.
pub fn expand_all(
    vars: &std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>, MissingEnv> {
    vars.iter()
        .map(|(k, v)| Ok((k.clone(), expand(v, &format!("environment_variables.{k}"))?)))
        .collect()
}

/// What an output shows in place of a value: nothing of it.
pub const MASK: &str = "****";

/// Serializes a map's values as [`MASK`], keeping the keys: for request bodies that are
/// printed (`deploy --dry-run`) but may carry secrets.
pub fn serialize_masked<S: serde::Serializer>(
    vars: &std::collections::BTreeMap<String, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(vars.len()))?;
    for k in vars.keys() {
        m.serialize_entry(k, MASK)?;
    }
    m.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert!(is_reference("${GITHUB_CLIENT_SECRET}"));
        assert!(!is_reference("hunter2"));
        assert!(!is_reference("x${A}"));
        assert_eq!(expand("plain", "f").unwrap(), "plain");
        let e = expand("${AGENTCORE_SURELY_UNSET_VAR}", "identity.x.client_secret").unwrap_err();
        assert_eq!(e.name, "AGENTCORE_SURELY_UNSET_VAR");
        assert!(e.to_string().contains("identity.x.client_secret"));
        let path = std::env::var("PATH").unwrap();
        assert_eq!(expand("p=${PATH};", "f").unwrap(), format!("p={path};"));
    }
}
