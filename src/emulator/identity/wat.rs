//! Workload access tokens (WATs), as `dev` makes them: the workload (the agent) and the user
//! it acts for, signed with a key made when `dev` starts, so only this `dev` accepts them and
//! none outlives it. The cloud's tokens are opaque to agents too; the SDK only carries them.
//! Form: `agentcore-dev-wat.` + base64url(JSON) + `.` + base64url(HMAC-SHA256).

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

const PREFIX: &str = "agentcore-dev-wat.";

/// Who a token speaks for.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Wat {
    /// The workload identity's name.
    #[serde(rename = "w")]
    pub workload: String,
    /// The user: a user id, a JWT's subject, or none.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

pub struct Minter {
    key: hmac::Key,
}

impl Default for Minter {
    fn default() -> Self {
        let mut secret = [0u8; 32];
        aws_lc_rs::rand::fill(&mut secret).expect("the system's random source");
        Minter {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
        }
    }
}

impl Minter {
    pub fn mint(&self, workload: &str, user: Option<&str>) -> String {
        let body = serde_json::to_vec(&Wat {
            workload: workload.into(),
            user: user.map(str::to_string),
        })
        .expect("a plain struct");
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

/// The subject of a JWT (`sub`, with `iss` when the token has one), read without checking
/// its signature: `dev` checked it at the door, or the caller vouches for it as the service
/// lets a caller with GetWorkloadAccessTokenForJWT do.
pub fn jwt_subject(token: &str) -> Option<String> {
    let mut parts = token.split('.');
    let (_, claims, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims.trim_end_matches('=')).ok()?).ok()?;
    claims["sub"].as_str().map(str::to_string)
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
                user: Some("alice".into())
            })
        );
        let other = Minter::default();
        assert_eq!(other.read(&t), None, "another dev's key");
        let forged = t.replace(
            &URL_SAFE_NO_PAD.encode(br#"{"w":"agent","u":"alice"}"#),
            &URL_SAFE_NO_PAD.encode(br#"{"w":"agent","u":"mallory"}"#),
        );
        assert_eq!(m.read(&forged), None);
        let jwt = format!(
            "h.{}.s",
            URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","iss":"https://idp"}"#)
        );
        assert_eq!(jwt_subject(&jwt).as_deref(), Some("alice"));
        assert_eq!(jwt_subject("not-a-jwt"), None);
    }
}
