//! `requestHeaderAllowlist`, checked as the service checks it on CreateAgentRuntime (the API
//! model's `HeaderName` pattern and list bounds, and the restricted names of the header
//! allowlist guide), so a list that the cloud would refuse is refused when the file is loaded.

/// How many names the service accepts in one allowlist.
pub const MAX_ALLOWLIST: usize = 20;
const MAX_NAME: usize = 256;
const CUSTOM_PREFIX: &str = "x-amzn-bedrock-agentcore-runtime-custom-";

/// Names the service will not forward, whatever the allowlist says (lowercase). The same
/// list as the official SDK's `RESTRICTED_HEADERS` and the guide's "restricted headers".
const RESTRICTED: &[&str] = &[
    // Authentication
    "proxy-authorization",
    "www-authenticate",
    // Content negotiation
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-location",
    "content-range",
    // Caching
    "cache-control",
    "etag",
    "expires",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "last-modified",
    "pragma",
    "vary",
    // Connection management
    "connection",
    "keep-alive",
    "proxy-connection",
    "upgrade",
    // Request context
    "host",
    "user-agent",
    "referer",
    "from",
    // Range and transfer
    "range",
    "accept-ranges",
    "transfer-encoding",
    "te",
    "trailer",
    // Server information
    "server",
    "date",
    "location",
    "retry-after",
    // Cookies
    "set-cookie",
    "cookie",
    // Security
    "content-security-policy",
    "content-security-policy-report-only",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "x-xss-protection",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    // CORS
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
    "access-control-request-method",
    "access-control-request-headers",
    "origin",
    // Client hints
    "accept-ch",
    "accept-ch-lifetime",
    "dpr",
    "width",
    "viewport-width",
    "downlink",
    "ect",
    "rtt",
    "save-data",
    // Experimental
    "clear-site-data",
    "feature-policy",
    "expect-ct",
    "public-key-pins",
    "public-key-pins-report-only",
    // Proxies
    "via",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
    "x-requested-with",
    "x-csrf-token",
    // IP spoofing and URL rewriting
    "true-client-ip",
    "x-client-ip",
    "x-cluster-client-ip",
    "x-originating-ip",
    "x-source-ip",
    "x-original-url",
    "x-original-host",
    "x-rewrite-url",
    // CDNs
    "cf-ray",
    "cf-connecting-ip",
    "x-amz-cf-id",
    "x-cache",
    "x-served-by",
    // Server push
    "link",
    // WebSocket
    "sec-websocket-key",
    "sec-websocket-accept",
    "sec-websocket-version",
    "sec-websocket-protocol",
    "sec-websocket-extensions",
];

/// True for a name the service never forwards into the container.
pub fn is_restricted(name: &str) -> bool {
    RESTRICTED.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// Why one name cannot be in an allowlist, or `None` when it can.
pub fn name_problem(n: &str) -> Option<String> {
    let lower = n.to_ascii_lowercase();
    if n.ends_with('*') {
        return Some(format!(
            "{n:?}: the service matches header names exactly (no wildcards); list each header, e.g. X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant"
        ));
    }
    let valid = n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && n.len() <= MAX_NAME;
    if !valid {
        return Some(format!(
            "{n:?} is not a valid header name: a letter, then up to 255 letters, digits, '-' or '_'"
        ));
    }
    if lower.starts_with("x-amz-")
        || (lower.starts_with("x-amzn-") && !lower.starts_with(CUSTOM_PREFIX))
    {
        return Some(format!(
            "{n:?} cannot be allowlisted: x-amz-* and x-amzn-* headers are reserved (except X-Amzn-Bedrock-AgentCore-Runtime-Custom-*)"
        ));
    }
    if is_restricted(&lower) {
        return Some(format!(
            "{n:?} is a restricted header: AgentCore Runtime never forwards it to an agent"
        ));
    }
    None
}

/// Everything wrong with an allowlist.
pub fn allowlist_problems(names: &[String]) -> Vec<String> {
    let mut problems: Vec<String> = names.iter().filter_map(|n| name_problem(n)).collect();
    if names.is_empty() {
        problems.push("the list is empty: name at least one header, or remove the setting".into());
    }
    if names.len() > MAX_ALLOWLIST {
        problems.push(format!(
            "{} headers listed; the service allows at most {MAX_ALLOWLIST}",
            names.len()
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for n in names {
        let lower = n.to_ascii_lowercase();
        if seen.contains(&lower) {
            problems.push(format!(
                "{n:?} is listed twice (names are compared ignoring case)"
            ));
        } else {
            seen.push(lower);
        }
    }
    problems
}

/// A warning when `Authorization` is listed for an agent without a JWT authorizer: allowed in
/// the file (the official toolkit writes it so), but the service forwards it only to JWT agents.
pub fn authorization_warning(names: &[String], jwt: bool) -> Option<String> {
    (!jwt && names.iter().any(|n| n.eq_ignore_ascii_case("authorization"))).then(|| {
        "Authorization is allowlisted, but the service forwards it only to agents with a customJWTAuthorizer; this agent will not see it".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn single_names() {
        assert!(name_problem("Authorization").is_none());
        assert!(name_problem("X-Api-Key").is_none());
        assert!(name_problem("X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant").is_none());
        assert!(name_problem("X-Amz-Date").unwrap().contains("reserved"));
        assert!(
            name_problem("X-Amzn-Trace-Id")
                .unwrap()
                .contains("reserved")
        );
        assert!(name_problem("Cookie").unwrap().contains("restricted"));
        assert!(
            name_problem("x-forwarded-for")
                .unwrap()
                .contains("restricted")
        );
        assert!(
            name_problem("X-Amzn-Bedrock-AgentCore-Runtime-Custom-*")
                .unwrap()
                .contains("no wildcards")
        );
        assert!(
            name_problem("1abc")
                .unwrap()
                .contains("not a valid header name")
        );
        assert!(name_problem("a b").is_some());
        assert!(name_problem(&format!("a{}", "b".repeat(255))).is_none());
        assert!(name_problem(&format!("a{}", "b".repeat(256))).is_some());
    }

    #[test]
    fn lists() {
        assert!(allowlist_problems(&names(&["X-A", "Authorization"])).is_empty());
        let p = allowlist_problems(&names(&["X-A", "x-a"]));
        assert!(p[0].contains("listed twice"), "{p:?}");
        let many: Vec<String> = (0..21).map(|i| format!("X-H{i}")).collect();
        assert!(allowlist_problems(&many)[0].contains("at most 20"));
        assert!(allowlist_problems(&[])[0].contains("empty"));
        assert!(authorization_warning(&names(&["authorization"]), false).is_some());
        assert!(authorization_warning(&names(&["authorization"]), true).is_none());
    }
}
