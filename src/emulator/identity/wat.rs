//! Workload access tokens (WATs), as `dev` makes them: the workload (the agent) and the user
//! it acts for, signed with a key made when `dev` starts, so only this `dev` accepts them and
//! none outlives it. The cloud's tokens are opaque to agents too; the SDK only carries them.
//! Form: `agentcore-dev-wat.` + base64url(JSON) + `.` + base64url(HMAC-SHA256).
//!
//! A token made from a user's JWT (GetWorkloadAccessTokenForJWT, or an invocation of an agent
//! with a JWT authorizer) names that JWT by a number; the JWT itself stays in `dev`'s memory,
//! as the service keeps it, for on-behalf-of token exchange. The agent never sees it there.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

const PREFIX: &str = "agentcore-dev-wat.";
/// The inbound JWTs kept for on-behalf-of exchange: the newest this many, so a client sending
/// a new JWT with every call cannot grow `dev` without end (a few MB at most).
const MAX_INBOUND: usize = 4096;

/// The user a token acts for. The service tells two kinds apart, and so keeps their
/// credentials apart: a user id an IAM caller names, and a JWT's issuer and subject (a user
/// id `alice` is not the subject `alice` of any issuer, nor are two issuers' `alice`s one).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Hash)]
pub enum User {
    #[serde(rename = "id")]
    Id(String),
    #[serde(rename = "jwt")]
    Jwt { iss: String, sub: String },
}

/// Who a token speaks for.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Wat {
    /// The workload identity's name.
    #[serde(rename = "w")]
    pub workload: String,
    /// The user, or none.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The user's JWT it was made from, by its number in [`Minter`]'s memory.
    #[serde(rename = "j", default, skip_serializing_if = "Option::is_none")]
    pub inbound: Option<u64>,
}

pub struct Minter {
    key: hmac::Key,
    inbound: Mutex<Inbound>,
    /// Numbers a JWT by a hash keyed at start, so a client that sends the same JWT with every
    /// call is kept once, not once a call.
    ids: std::hash::RandomState,
}

/// Inbound JWTs by number, the oldest first out.
#[derive(Default)]
struct Inbound {
    by_id: HashMap<u64, String>,
    order: VecDeque<u64>,
}

impl Default for Minter {
    fn default() -> Self {
        let mut secret = [0u8; 32];
        aws_lc_rs::rand::fill(&mut secret).expect("the system's random source");
        Minter {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            inbound: Mutex::default(),
            ids: std::hash::RandomState::new(),
        }
    }
}

impl Minter {
    pub fn mint(&self, workload: &str, user: Option<&str>) -> String {
        self.sign(&Wat {
            workload: workload.into(),
            user: user.map(|u| User::Id(u.to_string())),
            inbound: None,
        })
    }

    /// A token for the user of `jwt`, which is kept for on-behalf-of exchange; `None` when
    /// `jwt` is not a JWT with a subject.
    pub fn mint_for_jwt(&self, workload: &str, jwt: &str) -> Option<String> {
        use std::hash::BuildHasher;
        let user = jwt_user(jwt)?;
        let id = self.ids.hash_one(jwt);
        {
            let mut kept = self.inbound.lock().unwrap_or_else(|p| p.into_inner());
            if !kept.by_id.contains_key(&id) {
                if kept.order.len() >= MAX_INBOUND
                    && let Some(old) = kept.order.pop_front()
                {
                    kept.by_id.remove(&old);
                }
                kept.order.push_back(id);
                kept.by_id.insert(id, jwt.to_string());
            }
        }
        Some(self.sign(&Wat {
            workload: workload.into(),
            user: Some(user),
            inbound: Some(id),
        }))
    }

    /// The user's JWT a token was made from, while `dev` still keeps it.
    pub fn inbound_jwt(&self, wat: &Wat) -> Option<String> {
        let kept = self.inbound.lock().unwrap_or_else(|p| p.into_inner());
        kept.by_id.get(&wat.inbound?).cloned()
    }

    fn sign(&self, wat: &Wat) -> String {
        let body = serde_json::to_vec(wat).expect("a plain struct");
        let body = URL_SAFE_NO_PAD.encode(body);
        let tag = hmac::sign(&self.key, body.as_bytes());
        format!("{PREFIX}{body}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// What a token this `dev` made says; `None` for anything else.
    pub fn read(&self, token: &str) -> Option<Wat> {
        let (body, tag) = token.strip_prefix(PREFIX)?.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(&self.key, body.as_bytes(), &tag).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
    }
}

/// The user of a JWT (`iss`, empty when it has none, and `sub`), read without checking its
/// signature: `dev` checked it at the door, or the caller vouches for it as the service lets a
/// caller with GetWorkloadAccessTokenForJWT do.
pub fn jwt_user(token: &str) -> Option<User> {
    let mut parts = token.split('.');
    let (_, claims, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims.trim_end_matches('=')).ok()?).ok()?;
    Some(User::Jwt {
        iss: claims["iss"].as_str().unwrap_or_default().to_string(),
        sub: claims["sub"].as_str()?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_say_who_they_are_for_and_cannot_be_forged() {
        let m = Minter::default();
        let t = m.mint("agent", Some("alice"));
        assert_eq!(
            m.read(&t),
            Some(Wat {
                workload: "agent".into(),
                user: Some(User::Id("alice".into())),
                inbound: None,
            })
        );
        let other = Minter::default();
        assert_eq!(other.read(&t), None, "another dev's key");
        let forged = t.replace(
            &URL_SAFE_NO_PAD.encode(br#"{"w":"agent","u":{"id":"alice"}}"#),
            &URL_SAFE_NO_PAD.encode(br#"{"w":"agent","u":{"id":"mallory"}}"#),
        );
        assert_ne!(forged, t);
        assert_eq!(m.read(&forged), None);
        let jwt = format!(
            "h.{}.s",
            URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","iss":"https://idp"}"#)
        );
        let alice = User::Jwt {
            iss: "https://idp".into(),
            sub: "alice".into(),
        };
        assert_eq!(jwt_user(&jwt), Some(alice.clone()));
        assert_eq!(jwt_user("not-a-jwt"), None);
        let from_jwt = m.read(&m.mint_for_jwt("agent", &jwt).unwrap()).unwrap();
        assert_eq!(from_jwt.user, Some(alice));
        assert_eq!(m.inbound_jwt(&from_jwt).as_ref(), Some(&jwt));
        m.mint_for_jwt("agent", &jwt);
        assert_eq!(
            m.inbound.lock().unwrap().order.len(),
            1,
            "one JWT, kept once"
        );
        assert_eq!(m.mint_for_jwt("agent", "not-a-jwt"), None);
    }

    #[test]
    fn users_of_two_kinds_or_issuers_are_not_one() {
        let m = Minter::default();
        let jwt = |iss: &str| {
            let claims = format!(r#"{{"sub":"alice","iss":"{iss}"}}"#);
            format!("h.{}.s", URL_SAFE_NO_PAD.encode(claims))
        };
        let read = |t: &str| m.read(t).unwrap().user;
        let from_jwt = read(&m.mint_for_jwt("agent", &jwt("https://idp")).unwrap());
        assert_ne!(
            read(&m.mint("agent", Some("alice"))),
            from_jwt,
            "the user id alice is not the JWT's alice"
        );
        assert_ne!(
            read(&m.mint_for_jwt("agent", &jwt("https://other")).unwrap()),
            from_jwt,
            "nor another issuer's alice"
        );
    }

    #[test]
    fn only_the_newest_inbound_jwts_are_kept() {
        let m = Minter::default();
        let jwt = |n: usize| {
            format!(
                "h.{}.s",
                URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"u{n}"}}"#))
            )
        };
        let first = m.read(&m.mint_for_jwt("agent", &jwt(0)).unwrap()).unwrap();
        for n in 1..=MAX_INBOUND {
            m.mint_for_jwt("agent", &jwt(n));
        }
        assert_eq!(m.inbound_jwt(&first), None, "the oldest made room");
        let last = m.read(&m.mint_for_jwt("agent", &jwt(0)).unwrap()).unwrap();
        assert_eq!(m.inbound_jwt(&last), Some(jwt(0)));
        let kept = m.inbound.lock().unwrap();
        assert_eq!(
            (kept.by_id.len(), kept.order.len()),
            (MAX_INBOUND, MAX_INBOUND)
        );
    }
}
