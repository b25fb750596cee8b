//! Whose a kept token and an authorization session are, under `dev`'s Identity: the vault
//! keeps a user's consent apart from the client's own M2M token and from every other user (a
//! user id `alice` is not the JWT user `alice`), a session URI polls only for the workload and
//! user that started it, a provider's refusal fails the session at once, and a reload of the
//! callback does not undo a consent. Raw data-plane calls, as an agent's SDK makes them, with
//! the test IdP as the provider.

mod common;
mod identity_kit;
mod jwt_idp;

use common::Dev;
use identity_kit::{APP_CALLBACK, browser, claims, identity_dev, post};
use jwt_idp::TestIdp;
use serde_json::{Value, json};

/// The configured agent's workload (named after it), with [`APP_CALLBACK`] registered.
const WORKLOAD: &str = "identity_agent";

/// A workload access token for `workload` and the user `body` names (`userId` or `userToken`).
fn wat(dev: &Dev, workload: &str, mut body: Value) -> String {
    body["workloadName"] = json!(workload);
    let path = match body.get("userToken") {
        Some(_) => "/identities/GetWorkloadAccessTokenForJWT",
        None => "/identities/GetWorkloadAccessTokenForUserId",
    };
    let (status, _, answer) = post(dev, path, body);
    assert_eq!(status, 200, "{answer}");
    answer["workloadAccessToken"].as_str().unwrap().to_string()
}

/// A JWT whose user is `sub` at the test IdP (`dev` takes a caller's word for it, as the
/// service takes a caller of GetWorkloadAccessTokenForJWT's).
fn jwt_of(idp: &TestIdp, sub: &str) -> String {
    let mut claims = idp.claims();
    claims["sub"] = json!(sub);
    jwt_idp::SigningKey::rsa("users").sign(&claims)
}

/// GetResourceOauth2Token for `test-idp` and the `profile` scope: `flow`, with `more`.
fn token(dev: &Dev, wat: &str, flow: &str, more: Value) -> (u16, Option<String>, Value) {
    let mut body = json!({"workloadIdentityToken": wat, "resourceCredentialProviderName": "test-idp",
        "scopes": ["profile"], "oauth2Flow": flow, "resourceOauth2ReturnUrl": APP_CALLBACK});
    for (k, v) in more.as_object().unwrap() {
        body[k] = v.clone();
    }
    post(dev, "/identities/oauth2/token", body)
}

/// Starts a user-federation session for `wat`: its authorization URL and session URI.
fn start(dev: &Dev, wat: &str) -> (String, String) {
    let (status, _, started) = token(dev, wat, "USER_FEDERATION", json!({}));
    assert_eq!(status, 200, "{started}");
    let url = started["authorizationUrl"].as_str();
    let url = url.unwrap_or_else(|| panic!("a session, not a token: {started}"));
    (
        url.to_string(),
        started["sessionUri"].as_str().unwrap().into(),
    )
}

/// The browser opens `auth_url` and the provider consents: dev's callback URL it is sent to.
fn consent(auth_url: &str) -> String {
    let browser = browser();
    let location = |url: &str| {
        let r = browser.get(url).send().unwrap();
        assert!(r.status().is_redirection(), "{url}: {}", r.status());
        r.headers()["location"].to_str().unwrap().to_string()
    };
    location(&location(auth_url))
}

fn poll(dev: &Dev, wat: &str, session: &str) -> (u16, Option<String>, Value) {
    token(dev, wat, "USER_FEDERATION", json!({"sessionUri": session}))
}

#[test]
fn a_machine_token_never_answers_for_a_users_consent() {
    let (_idp, _p, dev) = identity_dev();
    let alice = wat(&dev, WORKLOAD, json!({"userId": "alice"}));
    let (status, _, m2m) = token(&dev, &alice, "M2M", json!({}));
    assert_eq!(status, 200, "{m2m}");
    assert_eq!(
        claims(m2m["accessToken"].as_str().unwrap())["sub"],
        jwt_idp::CLIENT_ID
    );
    // The same workload, user, provider and scopes: still a session for alice to consent in.
    start(&dev, &alice);
}

/// An M2M token is asked with the request's custom parameters, which never replace a standard
/// one, and is kept per parameters: a token for one audience never answers for another.
/// (Every call here also authenticates the client with a secret that HTTP Basic garbles
/// unless it is form-encoded first, as RFC 6749 asks.)
#[test]
fn an_m2m_token_is_asked_and_kept_with_its_custom_parameters() {
    let (_idp, _p, dev) = identity_dev();
    let alice = wat(&dev, WORKLOAD, json!({"userId": "alice"}));
    let m2m = |params: Value| {
        let (status, _, answer) = token(&dev, &alice, "M2M", json!({"customParameters": params}));
        assert_eq!(status, 200, "{answer}");
        answer["accessToken"].as_str().unwrap().to_string()
    };
    // `grant_type` is the request's own: the provider still sees client_credentials.
    let a = m2m(json!({"audience": "api-a", "grant_type": "password"}));
    assert_eq!(claims(&a)["aud"], "api-a");
    let b = m2m(json!({"audience": "api-b"}));
    assert_eq!(
        claims(&b)["aud"],
        "api-b",
        "not api-a's token from the vault"
    );
    assert_eq!(
        m2m(json!({"grant_type": "password", "audience": "api-a"})),
        a
    );
    assert_eq!(claims(&m2m(json!({})))["aud"], "resources");
}

#[test]
fn a_session_is_polled_only_by_who_started_it_and_a_refusal_ends_it() {
    let (idp, _p, dev) = identity_dev();
    let alice = wat(&dev, WORKLOAD, json!({"userId": "alice"}));
    let (auth_url, session) = start(&dev, &alice);
    let others = [
        wat(&dev, WORKLOAD, json!({"userId": "mallory"})),
        wat(&dev, WORKLOAD, json!({"userToken": jwt_of(&idp, "alice")})),
        wat(&dev, "another-workload", json!({"userId": "alice"})),
    ];
    for other in &others {
        let (status, kind, answer) = poll(&dev, other, &session);
        assert_eq!(
            (status, kind.as_deref()),
            (403, Some("AccessDeniedException")),
            "{answer}"
        );
    }
    let (status, _, waiting) = poll(&dev, &alice, &session);
    assert_eq!(
        (status, &waiting["sessionStatus"]),
        (200, &json!("IN_PROGRESS"))
    );

    // The provider sends the user back with an error instead of a code (they declined).
    let callback = url::Url::parse(&consent(&auth_url)).unwrap();
    let state = callback
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1;
    let mut declined = callback.clone();
    declined
        .query_pairs_mut()
        .clear()
        .append_pair("error", "access_denied")
        .append_pair("state", &state);
    let page = browser().get(declined.as_str()).send().unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.text().unwrap().contains("access_denied"));
    let (status, _, failed) = poll(&dev, &alice, &session);
    assert_eq!((status, &failed["sessionStatus"]), (200, &json!("FAILED")));
    let late = browser().get(callback.as_str()).send().unwrap();
    assert_eq!(late.status(), 400, "the code comes too late");
}

#[test]
fn consent_is_kept_for_the_user_who_gave_it() {
    let (idp, _p, dev) = identity_dev();
    let alice_jwt = jwt_of(&idp, "alice");
    let alice = wat(&dev, WORKLOAD, json!({"userToken": alice_jwt}));
    let (auth_url, session) = start(&dev, &alice);
    let callback = consent(&auth_url);
    let to_app = browser().get(&callback).send().unwrap();
    assert!(to_app.status().is_redirection(), "{}", to_app.status());
    let reload = browser().get(&callback).send().unwrap();
    assert_eq!(reload.status(), 400, "a code is exchanged once");

    let complete = |user: Value| {
        post(
            &dev,
            "/identities/CompleteResourceTokenAuth",
            json!({"userIdentifier": user, "sessionUri": session}),
        )
    };
    let (status, kind, _) = complete(json!({"userId": "alice"}));
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("AccessDeniedException")),
        "the user id alice is not the JWT's alice"
    );
    assert_eq!(complete(json!({"userToken": alice_jwt})).0, 200);
    let (status, _, polled) = poll(&dev, &alice, &session);
    assert_eq!(status, 200, "{polled}");
    let consented = polled["accessToken"].as_str().unwrap().to_string();
    assert_eq!(claims(&consented)["sub"], "alice");

    let (_, _, again) = token(&dev, &alice, "USER_FEDERATION", json!({}));
    assert_eq!(again["accessToken"], json!(consented), "kept in the vault");
    let namesake = wat(&dev, WORKLOAD, json!({"userId": "alice"}));
    start(&dev, &namesake);
    let other_issuer = {
        let mut claims = idp.claims();
        claims["sub"] = json!("alice");
        claims["iss"] = json!("https://elsewhere.example");
        jwt_idp::SigningKey::rsa("users").sign(&claims)
    };
    start(
        &dev,
        &wat(&dev, WORKLOAD, json!({"userToken": other_issuer})),
    );
}
