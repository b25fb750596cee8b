//! `customClaims` of a `customJWTAuthorizer`: one rule per claim, in the service's shape
//! (`inboundTokenClaimName`, `inboundTokenClaimValueType` STRING or STRING_ARRAY,
//! `authorizingClaimMatchValue` with `claimMatchOperator` EQUALS, CONTAINS or CONTAINS_ANY and
//! `claimMatchValue` holding `matchValueString` or `matchValueStringList`).
//!
//! EQUALS applies to a STRING claim; CONTAINS (the claim array holds the value, or every value of
//! a list) and CONTAINS_ANY (it holds at least one of the list) to a STRING_ARRAY claim.

use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq)]
enum Match {
    Equals(String),
    ContainsAll(Vec<String>),
    ContainsAny(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRule {
    pub name: String,
    rule: Match,
}

impl ClaimRule {
    pub fn from_config(v: &Value) -> Result<Self, String> {
        let name = v
            .get("inboundTokenClaimName")
            .and_then(Value::as_str)
            .ok_or("each customClaims entry needs inboundTokenClaimName")?
            .to_string();
        let bad = |what: &str| format!("customClaims entry for '{name}': {what}");
        let kind = v
            .get("inboundTokenClaimValueType")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("inboundTokenClaimValueType must be STRING or STRING_ARRAY"))?;
        let m = v
            .get("authorizingClaimMatchValue")
            .ok_or_else(|| bad("authorizingClaimMatchValue is required"))?;
        let op = m
            .get("claimMatchOperator")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("claimMatchOperator must be EQUALS, CONTAINS or CONTAINS_ANY"))?;
        let value = m.get("claimMatchValue");
        let one = value
            .and_then(|c| c.get("matchValueString"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let list: Option<Vec<String>> = value
            .and_then(|c| c.get("matchValueStringList"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
        let rule = match (kind, op) {
            ("STRING", "EQUALS") => {
                Match::Equals(one.ok_or_else(|| bad("EQUALS needs matchValueString"))?)
            }
            ("STRING_ARRAY", "CONTAINS") => Match::ContainsAll(match (one, list) {
                (Some(s), _) => vec![s],
                (None, Some(l)) if !l.is_empty() => l,
                _ => return Err(bad("CONTAINS needs matchValueString")),
            }),
            ("STRING_ARRAY", "CONTAINS_ANY") => Match::ContainsAny(
                list.filter(|l| !l.is_empty())
                    .ok_or_else(|| bad("CONTAINS_ANY needs matchValueStringList"))?,
            ),
            ("STRING" | "STRING_ARRAY", _) => {
                return Err(bad(&format!(
                    "claimMatchOperator {op} does not apply to a {kind} claim (EQUALS is for STRING; CONTAINS and CONTAINS_ANY for STRING_ARRAY)"
                )));
            }
            _ => {
                return Err(bad(
                    "inboundTokenClaimValueType must be STRING or STRING_ARRAY",
                ));
            }
        };
        Ok(ClaimRule { name, rule })
    }

    /// Passes, or says which claim failed (never its value: a claim may be personal data).
    pub fn check(&self, claims: &Map<String, Value>) -> Result<(), String> {
        let claim = claims.get(&self.name);
        let ok = match (&self.rule, claim) {
            (Match::Equals(want), Some(Value::String(got))) => got == want,
            (Match::ContainsAll(want), Some(Value::Array(got))) => want
                .iter()
                .all(|w| got.iter().any(|g| g.as_str() == Some(w))),
            (Match::ContainsAny(want), Some(Value::Array(got))) => want
                .iter()
                .any(|w| got.iter().any(|g| g.as_str() == Some(w))),
            _ => false,
        };
        if ok {
            Ok(())
        } else if claim.is_none() {
            Err(format!(
                "the token has no '{}' claim, which customClaims requires",
                self.name
            ))
        } else {
            Err(format!(
                "the token's '{}' claim does not match customClaims",
                self.name
            ))
        }
    }

    /// A claim value that satisfies this rule: what the local identity provider puts in the
    /// tokens it mints for an agent.
    pub fn satisfying_value(&self) -> Value {
        match &self.rule {
            Match::Equals(s) => json!(s),
            Match::ContainsAll(l) => json!(l),
            Match::ContainsAny(l) => json!([l[0]]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: &str, op: &str, value: Value) -> Result<ClaimRule, String> {
        ClaimRule::from_config(&json!({
            "inboundTokenClaimName": "dept",
            "inboundTokenClaimValueType": kind,
            "authorizingClaimMatchValue": {"claimMatchOperator": op, "claimMatchValue": value}
        }))
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn operators_match_as_the_service_describes() {
        let eq = rule("STRING", "EQUALS", json!({"matchValueString": "eng"})).unwrap();
        assert!(eq.check(&claims(json!({"dept": "eng"}))).is_ok());
        assert!(eq.check(&claims(json!({"dept": "ops"}))).is_err());
        assert!(eq.check(&claims(json!({"dept": ["eng"]}))).is_err());
        assert!(
            eq.check(&claims(json!({})))
                .unwrap_err()
                .contains("no 'dept' claim")
        );

        let c = rule(
            "STRING_ARRAY",
            "CONTAINS",
            json!({"matchValueString": "admin"}),
        )
        .unwrap();
        assert!(c.check(&claims(json!({"dept": ["x", "admin"]}))).is_ok());
        assert!(c.check(&claims(json!({"dept": ["x"]}))).is_err());

        let any = rule(
            "STRING_ARRAY",
            "CONTAINS_ANY",
            json!({"matchValueStringList": ["r", "w"]}),
        )
        .unwrap();
        assert!(any.check(&claims(json!({"dept": ["w"]}))).is_ok());
        assert!(any.check(&claims(json!({"dept": ["x"]}))).is_err());
        for r in [&eq, &c, &any] {
            assert!(
                r.check(&claims(json!({"dept": r.satisfying_value()})))
                    .is_ok()
            );
        }
    }

    #[test]
    fn bad_rules_are_explained() {
        assert!(
            rule("STRING", "CONTAINS", json!({"matchValueString": "x"}))
                .unwrap_err()
                .contains("does not apply")
        );
        assert!(
            rule("NUMBER", "EQUALS", json!({"matchValueString": "x"}))
                .unwrap_err()
                .contains("STRING or STRING_ARRAY")
        );
        assert!(
            rule("STRING_ARRAY", "CONTAINS_ANY", json!({}))
                .unwrap_err()
                .contains("matchValueStringList")
        );
        assert!(
            ClaimRule::from_config(&json!({}))
                .unwrap_err()
                .contains("inboundTokenClaimName")
        );
    }
}
