//! The JWT authorizer over real HTTP: an emulator served in-process in front of the bundled
//! agent, trusting a test identity provider (keys made here, discovery document and JWKS served
//! here). Each refusal is checked for the service's status, error type and message.

mod jwt_idp;

use std::sync::Arc;
use std::time::Duration;

use agentcore::emulator::auth::Authorizer;
use agentcore::emulator::hosts::bundled::BundledHost;
use agentcore::emulator::idp::LocalIdp;
use agentcore::emulator::{Agent, DevLog, Emulator, Running};
use jwt_idp::{SigningKey, TestIdp, now};
use serde_json::{Value, json};

const SESSION_HEADER: &str = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";

struct Served {
    url: String,
    _running: Running,
}

fn agent(name: &str, authorizer: Option<Authorizer>) -> Agent {
    Agent {
        name: name.into(),
        host: Arc::new(BundledHost),
        header_allowlist: vec![],
        authorizer: authorizer.map(Arc::new),
        protocol: agentcore::emulator::protocol::Protocol::Http,
        idle_timeout: Duration::from_secs(60),
        max_lifetime: Duration::from_secs(600),
        endpoints: Vec::new(),
        home: Default::default(),
    }
}

/// A `customJWTAuthorizer` as the project file gives it.
fn typed(cfg: &Value) -> agentcore::config::authorizer::CustomJwtAuthorizer {
    serde_json::from_value(cfg.clone()).unwrap()
}

/// Two agents: `jwt_agent` with `cfg` as its authorizer, and `iam_agent` without one.
async fn serve(cfg: &Value, local: Option<Arc<LocalIdp>>) -> Served {
    let idp = local.unwrap_or_else(|| Arc::new(LocalIdp::new().unwrap()));
    let emulator = Emulator {
        agents: vec![
            agent(
                "jwt_agent",
                Some(Authorizer::from_config(&typed(cfg), None).unwrap()),
            ),
            agent("iam_agent", None),
        ],
        default_agent: agentcore::emulator::call::AgentId(0),
        max_sessions: 10,
        passthrough_errors: false,
        log: DevLog {
            quiet: true,
            json: false,
            ..DevLog::default()
        },
        limits: Default::default(),
        quotas: Default::default(),
        access: Default::default(),
        idp,
        spare_instances: false,
        memory: None,
        identity: None,
        container_listener: None,
        storage: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let running = emulator.serve(listener).unwrap();
    Served {
        url,
        _running: running,
    }
}

async fn call(url: &str, agent: &str, auth: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!(
            "{url}/runtimes/{agent}/invocations?qualifier=DEFAULT"
        ))
        .header(SESSION_HEADER, format!("{:-<40}", uuid_like()))
        .json(&json!({"prompt": "hi"}));
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    req.send().await.unwrap()
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "s{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The status, the `x-amzn-ErrorType` and the message of a refusal.
async fn refusal(r: reqwest::Response) -> (u16, String, String) {
    let status = r.status().as_u16();
    let kind = r.headers()["x-amzn-errortype"]
        .to_str()
        .unwrap()
        .to_string();
    let body: Value = r.json().await.unwrap();
    (status, kind, body["message"].as_str().unwrap().to_string())
}

async fn assert_denied(url: &str, token: &str, why: &str) {
    let (status, kind, message) =
        refusal(call(url, "jwt_agent", Some(&format!("Bearer {token}"))).await).await;
    assert_eq!(
        (status, kind.as_str()),
        (403, "AccessDeniedException"),
        "{why}: {message}"
    );
    assert!(message.contains(why), "expected {why:?} in {message:?}");
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    if value.is_null() {
        claims.as_object_mut().unwrap().remove(key);
    } else {
        claims[key] = value;
    }
    claims
}

#[tokio::test]
async fn a_valid_token_passes_and_each_bad_one_is_refused_as_the_service_refuses_it() {
    let key = SigningKey::rsa("k1");
    let idp = TestIdp::start(&[&key]).await;
    let em = serve(&idp.authorizer(), None).await;
    let good = idp.claims();

    let r = call(
        &em.url,
        "jwt_agent",
        Some(&format!("Bearer {}", key.sign(&good))),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap().lines().next(), Some("data: \"hi\""));
    // Another allowed client, a token with several audiences and scopes: still fine.
    let also = with(
        with(good.clone(), "client_id", json!("client-2")),
        "aud",
        json!(["x", "agents"]),
    );
    assert_eq!(
        call(
            &em.url,
            "jwt_agent",
            Some(&format!("Bearer {}", key.sign(&also)))
        )
        .await
        .status(),
        200
    );

    // A verified token first and a forged one second: refused, so the agent can never be
    // handed the unchecked one.
    let forged = SigningKey::rsa("k1").sign(&with(good.clone(), "sub", json!("admin")));
    let twice = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!(
            "{}/runtimes/jwt_agent/invocations?qualifier=DEFAULT",
            em.url
        ))
        .header(SESSION_HEADER, format!("{:-<40}", uuid_like()))
        .header("Authorization", format!("Bearer {}", key.sign(&good)))
        .header("Authorization", format!("Bearer {forged}"))
        .json(&json!({"prompt": "hi"}))
        .send()
        .await
        .unwrap();
    let (status, kind, message) = refusal(twice).await;
    assert_eq!((status, kind.as_str()), (400, "ValidationException"));
    assert!(message.contains("more than one Authorization"), "{message}");

    let expired = with(good.clone(), "exp", json!(now() - 3600));
    assert_denied(&em.url, &key.sign(&expired), "the token has expired").await;
    let early = with(good.clone(), "nbf", json!(now() + 3600));
    assert_denied(&em.url, &key.sign(&early), "not valid yet").await;
    let aud = with(good.clone(), "aud", json!("someone-else"));
    assert_denied(
        &em.url,
        &key.sign(&aud),
        "audience (aud) is not in allowedAudience",
    )
    .await;
    let no_aud = with(good.clone(), "aud", Value::Null);
    assert_denied(&em.url, &key.sign(&no_aud), "no audience").await;
    let client = with(good.clone(), "client_id", json!("intruder"));
    assert_denied(
        &em.url,
        &key.sign(&client),
        "client_id 'intruder' is not in allowedClients",
    )
    .await;
    let iss = with(good.clone(), "iss", json!("https://evil.example"));
    assert_denied(&em.url, &key.sign(&iss), "issuer (iss) is not").await;
    let scope = with(good.clone(), "scope", json!("openid profile"));
    assert_denied(&em.url, &key.sign(&scope), "include none of allowedScopes").await;
    let claim = with(good.clone(), "dept", json!("sales"));
    assert_denied(
        &em.url,
        &key.sign(&claim),
        "'dept' claim does not match customClaims",
    )
    .await;
    // Right kid, wrong key: the signature cannot verify.
    let forger = SigningKey::rsa("k1");
    assert_denied(&em.url, &forger.sign(&good), "signature does not verify").await;
    let stranger = SigningKey::rsa("k-unknown");
    assert_denied(
        &em.url,
        &stranger.sign(&good),
        "no signing key with kid 'k-unknown'",
    )
    .await;
    assert_denied(&em.url, "not.a.jwt", "not a well-formed JWT").await;

    // No token: 401 with the service's WWW-Authenticate, this emulator in place of the cloud host.
    let r = call(&em.url, "jwt_agent", None).await;
    let www = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        www,
        format!(
            "Bearer resource_metadata=\"{}/runtimes/jwt_agent/invocations/.well-known/oauth-protected-resource?qualifier=DEFAULT\"",
            em.url
        )
    );
    assert_eq!(refusal(r).await.0, 401);
    let meta: Value = reqwest::get(www.split('"').nth(1).unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["authorization_servers"][0], idp.url);
    assert_eq!(meta["scopes_supported"], json!(["agent/invoke"]));

    // A runtime is SigV4 or JWT, never both: a JWT runtime refuses a SigV4 signature.
    let sigv4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/bedrock-agentcore/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";
    let (status, kind, message) = refusal(call(&em.url, "jwt_agent", Some(sigv4)).await).await;
    assert_eq!((status, kind.as_str()), (403, "AccessDeniedException"));
    assert!(
        message.starts_with("Authorization method mismatch"),
        "{message}"
    );
    assert_eq!(call(&em.url, "iam_agent", None).await.status(), 200);
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_unknown_kids_cause_no_refetch_storm() {
    let old = SigningKey::rsa("old");
    let idp = TestIdp::start(&[&old]).await;
    let em = serve(&idp.authorizer(), None).await;
    let ok = |k: &SigningKey| format!("Bearer {}", k.sign(&idp.claims()));

    assert_eq!(
        call(&em.url, "jwt_agent", Some(&ok(&old))).await.status(),
        200
    );
    assert_eq!(
        call(&em.url, "jwt_agent", Some(&ok(&old))).await.status(),
        200
    );
    assert_eq!(
        (idp.discovery_hits(), idp.jwks_hits()),
        (1, 1),
        "fetched once, then cached"
    );

    // The IdP rotates: the new kid is unknown to the cache, so the JWKS is fetched again once.
    let new = SigningKey::rsa("new");
    idp.publish(&[&old, &new]);
    assert_eq!(
        call(&em.url, "jwt_agent", Some(&ok(&new))).await.status(),
        200
    );
    assert_eq!((idp.discovery_hits(), idp.jwks_hits()), (1, 2));

    // Made-up kids, many at once: refused without going back to the IdP.
    let calls = (0..20).map(|i| {
        let t = format!(
            "Bearer {}",
            new.sign_as(&format!("ghost-{i}"), &idp.claims())
        );
        let url = em.url.clone();
        async move { call(&url, "jwt_agent", Some(&t)).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 403), "{statuses:?}");
    assert_eq!(
        (idp.discovery_hits(), idp.jwks_hits()),
        (1, 2),
        "no refetch storm"
    );
    assert_eq!(
        call(&em.url, "jwt_agent", Some(&ok(&new))).await.status(),
        200
    );
}

#[tokio::test]
async fn an_unreachable_identity_provider_is_a_clear_500() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = json!({"discoveryUrl": format!("http://127.0.0.1:{port}/.well-known/openid-configuration")});
    let em = serve(&cfg, None).await;
    let token = SigningKey::rsa("k").sign(&json!({"exp": now() + 60}));
    let (status, kind, message) =
        refusal(call(&em.url, "jwt_agent", Some(&format!("Bearer {token}"))).await).await;
    assert_eq!((status, kind.as_str()), (500, "InternalServerException"));
    assert!(
        message.contains(&format!(
            "cannot fetch http://127.0.0.1:{port}/.well-known/openid-configuration"
        )),
        "{message}"
    );
    assert!(!message.contains(&token));
}

#[tokio::test]
async fn websockets_get_the_same_checks() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
    let key = SigningKey::rsa("k1");
    let idp = TestIdp::start(&[&key]).await;
    let em = serve(&idp.authorizer(), None).await;
    let ws_url = format!("{}/runtimes/jwt_agent/ws", em.url.replacen("http", "ws", 1));
    let request = |auth: Option<String>| {
        let mut r = ws_url.as_str().into_client_request().unwrap();
        if let Some(a) = auth {
            r.headers_mut().insert("authorization", a.parse().unwrap());
        }
        r
    };
    let status = |e: tokio_tungstenite::tungstenite::Error| match e {
        tokio_tungstenite::tungstenite::Error::Http(r) => r.status().as_u16(),
        other => panic!("{other}"),
    };
    let e = tokio_tungstenite::connect_async(request(None))
        .await
        .unwrap_err();
    assert_eq!(status(e), 401);
    let expired = key.sign(&with(idp.claims(), "exp", json!(now() - 3600)));
    let e = tokio_tungstenite::connect_async(request(Some(format!("Bearer {expired}"))))
        .await
        .unwrap_err();
    assert_eq!(status(e), 403);

    let good = key.sign(&idp.claims());
    let (mut ws, _) = tokio_tungstenite::connect_async(request(Some(format!("Bearer {good}"))))
        .await
        .unwrap();
    ws.send(Message::Text("ping over ws".into())).await.unwrap();
    let reply = ws.next().await.unwrap().unwrap();
    assert_eq!(reply.into_text().unwrap().as_str(), "ping over ws");
}

#[tokio::test]
async fn the_local_identity_provider_mints_tokens_an_agent_accepts() {
    let local = Arc::new(LocalIdp::new().unwrap());
    // The agent's own IdP is far away; with --local-idp its authorizer trusts the emulator's.
    let cfg = json!({
        "discoveryUrl": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_x/.well-known/openid-configuration",
        "allowedClients": ["app-client"], "allowedAudience": ["agents"], "allowedScopes": ["agent/invoke"],
        "customClaims": [{"inboundTokenClaimName": "roles", "inboundTokenClaimValueType": "STRING_ARRAY",
            "authorizingClaimMatchValue": {"claimMatchOperator": "CONTAINS_ANY", "claimMatchValue": {"matchValueStringList": ["admin", "ops"]}}}]
    });
    let emulator = Emulator {
        agents: vec![
            agent(
                "jwt_agent",
                Some(Authorizer::from_config(&typed(&cfg), Some(local.clone())).unwrap()),
            ),
            agent("iam_agent", None),
        ],
        default_agent: agentcore::emulator::call::AgentId(0),
        max_sessions: 10,
        passthrough_errors: false,
        log: DevLog {
            quiet: true,
            json: false,
            ..DevLog::default()
        },
        limits: Default::default(),
        quotas: Default::default(),
        access: Default::default(),
        idp: local,
        spare_instances: false,
        memory: None,
        identity: None,
        container_listener: None,
        storage: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _running = emulator.serve(listener).unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let token = |form: Vec<(&'static str, &'static str)>| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            client
                .post(format!("{url}/_agentcore/token"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };

    let r = token(vec![
        ("grant_type", "client_credentials"),
        ("agent", "jwt_agent"),
    ])
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    let t = v["access_token"].as_str().unwrap();
    assert_eq!(
        call(&url, "jwt_agent", Some(&format!("Bearer {t}")))
            .await
            .status(),
        200
    );

    // Asked for another client, it gets one, and the agent refuses it.
    let r = token(vec![("agent", "jwt_agent"), ("client_id", "other")]).await;
    let t = r.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _, message) =
        refusal(call(&url, "jwt_agent", Some(&format!("Bearer {t}"))).await).await;
    assert_eq!(status, 403);
    assert!(message.contains("client_id 'other'"), "{message}");

    // The discovery document and JWKS are real: a client can verify tokens with them.
    let doc: Value = client
        .get(format!("{url}/_agentcore/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], format!("{url}/_agentcore"));
    let jwks: Value = client
        .get(doc["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "EC");

    let r = token(vec![("agent", "iam_agent")]).await;
    assert_eq!(r.status(), 400);
    assert!(
        r.json::<Value>().await.unwrap()["error_description"]
            .as_str()
            .unwrap()
            .contains("has no JWT authorizer")
    );
    let r = token(vec![("grant_type", "password")]).await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
}

#[tokio::test]
async fn without_local_idp_an_agent_with_a_foreign_idp_gets_no_local_token() {
    let key = SigningKey::rsa("k1");
    let idp = TestIdp::start(&[&key]).await;
    let em = serve(&idp.authorizer(), None).await;
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/_agentcore/token", em.url))
        .form(&[("agent", "jwt_agent")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_target");
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains(&idp.discovery_url())
    );
}
