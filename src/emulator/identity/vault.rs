//! The token vault: the tokens `dev` got from providers, kept per workload, user, provider,
//! scopes and grant, as the service's vault keeps them, and per the custom parameters they were
//! asked with (an `audience` makes another token); in memory only, and handed out until
//! shortly before the provider said they end.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::wat::User;

/// Tokens kept at once: past this the vault starts over (agents then get new tokens).
const MAX_KEPT: usize = 1000;

/// How a kept token was got. A user-federation token is a user's consent, an M2M token the
/// client's own: one never answers a request for the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grant {
    M2m,
    UserFederation,
}

/// What the vault keeps a token under.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VaultKey {
    workload: String,
    user: Option<User>,
    provider: String,
    /// Sorted: the order an agent names them in does not matter.
    scopes: Vec<String>,
    grant: Grant,
    /// Sorted by name, as the caller passes them.
    custom: Vec<(String, String)>,
}

impl VaultKey {
    pub fn new(
        workload: &str,
        user: Option<User>,
        provider: &str,
        scopes: &[String],
        grant: Grant,
        custom: &[(String, String)],
    ) -> Self {
        let mut scopes = scopes.to_vec();
        scopes.sort();
        VaultKey {
            workload: workload.into(),
            user,
            provider: provider.into(),
            scopes,
            grant,
            custom: custom.to_vec(),
        }
    }
}

/// When a token the provider says lasts `expires_in` seconds stops being handed out: 30 s
/// early, so an agent is not given one that ends on its way.
pub fn lifetime(expires_in: Option<u64>) -> Option<Instant> {
    expires_in.map(|s| Instant::now() + Duration::from_secs(s.saturating_sub(30)))
}

/// The kept tokens, each with when it stops being handed out.
#[derive(Default)]
pub struct Vault(Mutex<HashMap<VaultKey, (String, Option<Instant>)>>);

impl Vault {
    /// The token kept under `key`, while it lasts.
    pub fn kept(&self, key: &VaultKey) -> Option<String> {
        let vault = self.0.lock().unwrap_or_else(|p| p.into_inner());
        vault
            .get(key)
            .filter(|(_, until)| until.is_none_or(|u| u > Instant::now()))
            .map(|(t, _)| t.clone())
    }

    pub fn keep(&self, key: VaultKey, token: String, until: Option<Instant>) {
        let mut vault = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if vault.len() >= MAX_KEPT {
            vault.clear();
        }
        vault.insert(key, (token, until));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: &[&str]) -> VaultKey {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let user = Some(User::Id("alice".into()));
        VaultKey::new("agent", user, "idp", &scopes, Grant::UserFederation, &[])
    }

    /// A token is handed out until 30 s before the provider said it ends; one without a
    /// lifetime is kept.
    #[test]
    fn kept_tokens_end_when_the_provider_said() {
        let vault = Vault::default();
        vault.keep(key(&["short"]), "t1".into(), lifetime(Some(20)));
        vault.keep(key(&["long"]), "t2".into(), lifetime(Some(3600)));
        vault.keep(key(&["open"]), "t3".into(), lifetime(None));
        assert_eq!(vault.kept(&key(&["short"])), None);
        assert_eq!(vault.kept(&key(&["long"])).as_deref(), Some("t2"));
        assert_eq!(vault.kept(&key(&["open"])).as_deref(), Some("t3"));
    }

    #[test]
    fn a_key_is_its_grant_and_its_scopes_in_any_order() {
        let vault = Vault::default();
        vault.keep(key(&["b", "a"]), "consented".into(), None);
        assert_eq!(vault.kept(&key(&["a", "b"])).as_deref(), Some("consented"));
        let mut m2m = key(&["a", "b"]);
        m2m.grant = Grant::M2m;
        assert_eq!(vault.kept(&m2m), None);
    }
}
