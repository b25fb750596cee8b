//! Which hosted agent a data-plane path names. The service finds a runtime by its ARN; `dev`
//! also takes the runtime id (`name-suffix`) and the bare name, the local shorthands the CLI
//! and the inspector use. What the cloud would not find, `dev` does not find either: the name
//! must be a hosted agent's, and where the project records where the agent lives (its deployed
//! ARN, its region and account) an ARN or id that disagrees names another runtime. A leaf.

/// Where a hosted agent lives in the cloud, as far as the project says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Home {
    /// The deployed runtime's ARN.
    pub arn: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

/// A runtime as a path names it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuntimeRef<'a> {
    pub name: &'a str,
    /// The id's 10-character suffix, when an id or ARN was given.
    suffix: Option<&'a str>,
    /// The ARN's region and account, when an ARN was given.
    region: Option<&'a str>,
    account: Option<&'a str>,
}

impl<'a> RuntimeRef<'a> {
    /// An ARN (`arn:PARTITION:bedrock-agentcore:REGION:ACCOUNT:runtime/ID`), an id or a name;
    /// `None` for an ARN of any other shape (another service, a missing part).
    pub fn parse(id: &'a str) -> Option<Self> {
        let (region, account, rest) = match id.strip_prefix("arn:") {
            Some(arn) => {
                let mut parts = arn.splitn(5, ':');
                let (partition, service) = (parts.next()?, parts.next()?);
                let (region, account, resource) = (parts.next()?, parts.next()?, parts.next()?);
                let rid = resource.strip_prefix("runtime/")?;
                let ok = partition.starts_with("aws")
                    && service == "bedrock-agentcore"
                    && !region.is_empty()
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit());
                if !ok || rid.is_empty() || rid.contains('/') {
                    return None;
                }
                (Some(region), Some(account), rid)
            }
            None => (None, None, id),
        };
        // A byte loop from the end, as in the guard's host check: cheaper than `rsplit_once`'s
        // searcher for a name this short, and this runs on every invocation.
        let (name, suffix) = match rest.bytes().rposition(|b| b == b'-') {
            Some(i)
                if rest.len() - i == 11
                    && rest.as_bytes()[i + 1..]
                        .iter()
                        .all(u8::is_ascii_alphanumeric) =>
            {
                (&rest[..i], Some(&rest[i + 1..]))
            }
            _ => (rest, None),
        };
        Some(RuntimeRef {
            name,
            suffix,
            region,
            account,
        })
    }

    /// Whether this names the agent `name` living at `home`: the name always; the suffix,
    /// region and account wherever both sides know them.
    pub fn names(&self, name: &str, home: &Home) -> bool {
        let agrees = |given: Option<&str>, known: Option<&str>| match (given, known) {
            (Some(g), Some(k)) => g == k,
            _ => true,
        };
        let deployed = home.arn.as_deref().and_then(RuntimeRef::parse);
        let (suffix, region, account) = match &deployed {
            Some(d) => (d.suffix, d.region, d.account),
            None => (None, home.region.as_deref(), home.account.as_deref()),
        };
        self.name == name
            && agrees(self.suffix, suffix)
            && agrees(self.region, region)
            && agrees(self.account, account)
    }
}

impl Home {
    /// Whether `id` (as the path gives it; `parsed` is [`RuntimeRef::parse`] of it) names the
    /// agent `name` living here: the recorded ARN exactly, whatever its shape (moto records
    /// `…:agent/UUID:N`), else by [`RuntimeRef::names`].
    pub fn named_by(&self, name: &str, id: &str, parsed: Option<&RuntimeRef>) -> bool {
        self.arn.as_deref() == Some(id) || parsed.is_some_and(|r| r.names(name, self))
    }
}

/// The runtime name inside an ARN (`…:runtime/my_agent-abcdefghij`), an id
/// (`my_agent-abcdefghij`) or a bare name; the whole text when it is none of those.
pub fn runtime_name(id: &str) -> &str {
    RuntimeRef::parse(id).map(|r| r.name).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str =
        "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/my_agent-abcdefghij";

    fn home() -> Home {
        Home {
            arn: Some(ARN.into()),
            region: Some("us-west-2".into()),
            account: Some("123456789012".into()),
        }
    }

    #[test]
    fn names_come_from_arns_ids_and_names() {
        assert_eq!(runtime_name(ARN), "my_agent");
        assert_eq!(runtime_name("my_agent-abcdefghij"), "my_agent");
        assert_eq!(runtime_name("my_agent"), "my_agent");
        assert_eq!(runtime_name("a-b"), "a-b");
        assert_eq!(runtime_name("my-agent-abcdefghij"), "my-agent");
        assert_eq!(runtime_name("my_agent-abcdefghi"), "my_agent-abcdefghi");
        assert_eq!(runtime_name("my_agent-abcdefghij-"), "my_agent-abcdefghij-");
    }

    #[test]
    fn a_deployed_agent_is_found_only_where_it_lives() {
        let h = home();
        let found = |id: &str| RuntimeRef::parse(id).is_some_and(|r| r.names("my_agent", &h));
        assert!(found(ARN));
        assert!(found("my_agent-abcdefghij"));
        assert!(found("my_agent"));
        assert!(!found(&ARN.replace("123456789012", "210987654321")));
        assert!(!found(&ARN.replace("us-west-2", "eu-west-1")));
        assert!(!found(&ARN.replace("abcdefghij", "zzzzzzzzzz")));
        assert!(!found("my_agent-zzzzzzzzzz"));
        assert!(!found("other_agent"));
        assert!(!found("arn%3Aaws%3Abedrock-agentcore"));
        assert!(!found(
            "arn:aws:lambda:us-west-2:123456789012:runtime/my_agent-abcdefghij"
        ));
        assert!(!found(
            "arn:aws:bedrock-agentcore:us-west-2:123:runtime/my_agent-abcdefghij"
        ));
    }

    #[test]
    fn a_recorded_arn_of_any_shape_names_its_agent() {
        let moto = "arn:aws:bedrock-agentcore:us-west-2:123456789012:agent/0b1c-2d:1";
        let h = Home {
            arn: Some(moto.into()),
            ..Home::default()
        };
        assert!(h.named_by("my_agent", moto, RuntimeRef::parse(moto).as_ref()));
        assert!(!h.named_by("my_agent", &moto.replace(":1", ":2"), None));
    }

    #[test]
    fn an_undeployed_agent_is_found_in_its_configured_region_and_account() {
        let h = Home {
            arn: None,
            ..home()
        };
        let found = |id: &str| RuntimeRef::parse(id).is_some_and(|r| r.names("my_agent", &h));
        assert!(found(&ARN.replace("abcdefghij", "zzzzzzzzzz")));
        assert!(!found(&ARN.replace("us-west-2", "eu-west-1")));
        let anywhere = Home::default();
        assert!(
            RuntimeRef::parse(&ARN.replace("us-west-2", "eu-west-1"))
                .is_some_and(|r| r.names("my_agent", &anywhere))
        );
    }
}
