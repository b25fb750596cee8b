//! AgentCore Identity under `dev`: an agent on the official SDK's decorators (Python) or
//! wrappers (TypeScript) gets an M2M token
//! by a real client-credentials grant, a user-federation token through a real
//! authorization-code flow that the test drives as the user and the application would, and an
//! API key from the environment; forged tokens and unknown providers get the service's errors,
//! and a user-federation request whose return URL its workload did not register is refused.

mod common;
mod identity_kit;
mod jwt_idp;

use common::{Dev, Project, sid};
use identity_kit::{
    APP_CALLBACK, CLIENT_ENV, browser, claims, configured, identity_dev, identity_project, post,
    python_agent,
};
use jwt_idp::TestIdp;
use serde_json::{Value, json};

/// The TypeScript agent (`tests/fixtures/node_identity_agent`), without node_modules.
fn typescript_agent() -> Project {
    let p = Project::empty();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/node_identity_agent");
    for f in ["package.json", "package-lock.json", "src/agent.ts"] {
        p.write(f, &std::fs::read_to_string(fixture.join(f)).unwrap());
    }
    p
}

fn call(dev: &Dev, session: &str, body: Value, user: Option<&str>) -> Value {
    let mut req = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
        .json(&body);
    if let Some(u) = user {
        req = req.header("X-Amzn-Bedrock-AgentCore-Runtime-User-Id", u);
    }
    let resp = req.send().unwrap();
    let status = resp.status();
    let text = resp.text().unwrap();
    assert!(status.is_success(), "{status}: {text}\n{}", dev.log());
    serde_json::from_str(&text).unwrap()
}

#[test]
fn an_agent_gets_tokens_and_keys_from_dev() {
    let idp = TestIdp::start_blocking(&[]);
    gets_tokens_and_keys(&idp, identity_project(&idp, python_agent(), "agent.py"));
}

#[test]
fn a_typescript_agent_gets_tokens_and_keys_from_dev() {
    let idp = TestIdp::start_blocking(&[]);
    gets_tokens_and_keys(
        &idp,
        identity_project(&idp, typescript_agent(), "src/agent.ts"),
    );
}

/// An API key, an M2M token (once from the provider, then from the vault) and alice's
/// user-federation token, each asked for by the agent in `p`.
fn gets_tokens_and_keys(idp: &TestIdp, p: Project) {
    let [id, secret] = CLIENT_ENV;
    let env = [id, secret, ("SEARCH_API_KEY", "sk-test-123")];
    let callback_env = format!("APP_CALLBACK_URL={APP_CALLBACK}");
    let dev = Dev::start_with_env(p.path(), &["--env", &callback_env], &env);
    let session = sid("identity");

    let key = call(&dev, &session, json!({"mode": "key"}), None);
    assert_eq!(key["key"], "sk-test-123");
    assert!(!p.read(".bedrock_agentcore.yaml").contains("sk-test-123"));

    let m2m = call(&dev, &session, json!({"mode": "m2m"}), None);
    let token = m2m["token"].as_str().unwrap();
    assert_eq!(claims(token)["sub"], jwt_idp::CLIENT_ID);
    assert_eq!(claims(token)["scope"], "read");
    let again = call(&dev, &session, json!({"mode": "m2m"}), None);
    assert_eq!(again["token"], token, "kept in the vault");
    assert_eq!(idp.tokens_issued(), 1);

    let federated = user_federation(&dev, &session);
    assert_eq!(
        claims(&federated)["sub"],
        "alice",
        "the consenting user's token"
    );
    assert_eq!(claims(&federated)["scope"], "profile");
    assert_eq!(idp.tokens_issued(), 2);
}

/// The agent asks for alice's token; the test opens the URL it prints (the provider consents
/// for alice and sends the browser to dev, which sends it to the application's callback), then
/// completes the session as the application: first as the wrong user, then as alice.
fn user_federation(dev: &Dev, session: &str) -> String {
    let agent = {
        let (url, session) = (dev.agent_url(), session.to_string());
        std::thread::spawn(move || {
            let resp = reqwest::blocking::Client::builder()
                .timeout(std::time::Duration::from_secs(120))
                .build()
                .unwrap()
                .post(url)
                .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
                .header("X-Amzn-Bedrock-AgentCore-Runtime-User-Id", "alice")
                .json(&json!({"mode": "user"}))
                .send()
                .unwrap();
            resp.json::<Value>().unwrap()
        })
    };
    let log = dev.wait_log("AUTH_URL ");
    let auth_url = log
        .lines()
        .find_map(|l| l.split("AUTH_URL ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    let browser = browser();
    let location = |url: &str| {
        let r = browser.get(url).send().unwrap();
        assert!(r.status().is_redirection(), "{url}: {}", r.status());
        r.headers()["location"].to_str().unwrap().to_string()
    };
    assert!(auth_url.starts_with(&dev.url), "dev's own URL: {auth_url}");
    let to_provider = location(&auth_url);
    let used = browser.get(&auth_url).send().unwrap();
    assert_eq!(used.status(), 400, "an authorization URL is single-use");
    let to_dev = location(&to_provider);
    assert!(to_dev.starts_with(&dev.url), "{to_dev}");
    let to_app = location(&to_dev);
    assert!(to_app.starts_with(APP_CALLBACK), "{to_app}");
    let session_uri = url::Url::parse(&to_app)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "session_id")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let complete = |user: &str| {
        post(
            dev,
            "/identities/CompleteResourceTokenAuth",
            json!({"userIdentifier": {"userId": user}, "sessionUri": session_uri}),
        )
    };
    let (status, kind, _) = complete("mallory");
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("AccessDeniedException"))
    );
    assert_eq!(complete("alice").0, 200);
    let answer = agent.join().unwrap();
    answer["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_string()
}

#[test]
fn identity_calls_get_the_services_errors() {
    let dir = tempfile::tempdir().unwrap();
    let dev = Dev::start(dir.path(), &[]);
    let forged = "agentcore-dev-wat.eyJ3IjoiYSJ9.AAAA";
    let (status, kind, _) = post(
        &dev,
        "/identities/api-key",
        json!({"workloadIdentityToken": forged, "resourceCredentialProviderName": "x"}),
    );
    assert_eq!(
        (status, kind.as_deref()),
        (403, Some("AccessDeniedException"))
    );
    let (_, _, wat) = post(
        &dev,
        "/identities/GetWorkloadAccessTokenForUserId",
        json!({"workloadName": "bundled_agent", "userId": "alice"}),
    );
    let wat = wat["workloadAccessToken"].as_str().unwrap().to_string();
    let (status, kind, body) = post(
        &dev,
        "/identities/oauth2/token",
        json!({"workloadIdentityToken": wat, "resourceCredentialProviderName": "nobody",
            "scopes": [], "oauth2Flow": "M2M"}),
    );
    assert_eq!(
        (status, kind.as_deref()),
        (404, Some("ResourceNotFoundException")),
        "{body}"
    );
    let (status, kind, _) = post(
        &dev,
        "/identities/GetWorkloadAccessToken",
        json!({"workloadName": "x"}),
    );
    assert_eq!(
        (status, kind.as_deref()),
        (400, Some("ValidationException"))
    );
}

/// The service's rule, on the SDK's local fallback path (a workload of its own, made with no
/// return URL): user federation is refused until the URL it uses is registered; once `dev`'s
/// own completion page is, `dev` binds the token after consent with no application.
#[test]
fn user_federation_needs_a_registered_return_url() {
    let (_idp, _p, dev) = identity_dev();
    let name = "workload-0a1b2c3d";
    let made = post(
        &dev,
        "/identities/CreateWorkloadIdentity",
        json!({"name": name}),
    );
    assert_eq!(made.0, 201, "{}", made.2);
    let (_, _, wat) = post(
        &dev,
        "/identities/GetWorkloadAccessTokenForUserId",
        json!({"workloadName": name, "userId": "alice"}),
    );
    let wat = wat["workloadAccessToken"].as_str().unwrap().to_string();
    let ask = |url: Option<&str>| {
        post(
            &dev,
            "/identities/oauth2/token",
            json!({"workloadIdentityToken": wat, "resourceCredentialProviderName": "test-idp",
                "scopes": ["profile"], "oauth2Flow": "USER_FEDERATION",
                "resourceOauth2ReturnUrl": url}),
        )
    };
    let refused = |(status, kind, body): (u16, Option<String>, Value), says: &str| {
        assert_eq!(
            (status, kind.as_deref()),
            (400, Some("ValidationException"))
        );
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    };
    let none_registered = "You must register and use at least one ResourceOauth2ReturnUrl on \
                           your workload identity to use this flow";
    refused(ask(Some(APP_CALLBACK)), none_registered);

    let complete = format!("{}/_agentcore/identity/complete", dev.url);
    let (status, _, updated) = post(
        &dev,
        "/identities/UpdateWorkloadIdentity",
        json!({"name": name, "allowedResourceOauth2ReturnUrls": [APP_CALLBACK, complete]}),
    );
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["allowedResourceOauth2ReturnUrls"],
        json!([APP_CALLBACK, complete])
    );
    refused(ask(Some("http://127.0.0.1:9/elsewhere")), "is not one of");
    refused(ask(None), none_registered);

    let (status, _, started) = ask(Some(&complete));
    assert_eq!(status, 200, "{started}");
    let browser = browser();
    let mut url = started["authorizationUrl"].as_str().unwrap().to_string();
    // dev's authorization URL, the provider's consent, then dev's callback, which answers.
    for _ in 0..2 {
        let r = browser.get(&url).send().unwrap();
        assert!(r.status().is_redirection(), "{url}: {}", r.status());
        url = r.headers()["location"].to_str().unwrap().to_string();
    }
    assert!(url.starts_with(&dev.url), "{url}");
    let done = browser.get(&url).send().unwrap();
    assert_eq!(done.status(), 200, "dev completes the binding itself");
    let (status, _, polled) = post(
        &dev,
        "/identities/oauth2/token",
        json!({"workloadIdentityToken": wat, "resourceCredentialProviderName": "test-idp",
            "scopes": ["profile"], "oauth2Flow": "USER_FEDERATION",
            "resourceOauth2ReturnUrl": complete, "sessionUri": started["sessionUri"]}),
    );
    assert_eq!(status, 200, "{polled}");
    let token = polled["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{polled}"));
    assert_eq!(claims(token)["sub"], "alice");
}

/// On-behalf-of exchange: a JWT agent's workload token carries the caller's JWT, which dev
/// trades at the provider by RFC 8693 (the agent's own M2M token as the actor); a workload
/// token from GetWorkloadAccessTokenForJWT trades it by RFC 7523's JWT grant on a provider
/// configured so; one made for a bare user id has no JWT to trade.
#[test]
fn a_users_jwt_is_exchanged_on_their_behalf() {
    let (_idp, _p, dev, user_jwt) = on_behalf_dev(python_agent(), "agent.py");
    the_agent_trades(&dev, &user_jwt);

    let trade = |wat: &str, provider: &str| {
        post(
            &dev,
            "/identities/oauth2/token",
            json!({"workloadIdentityToken": wat, "resourceCredentialProviderName": provider,
                "scopes": ["downstream"], "oauth2Flow": "ON_BEHALF_OF_TOKEN_EXCHANGE"}),
        )
    };
    let (_, _, wat) = post(
        &dev,
        "/identities/GetWorkloadAccessTokenForJWT",
        json!({"workloadName": "identity_agent", "userToken": user_jwt}),
    );
    let (status, _, traded) = trade(wat["workloadAccessToken"].as_str().unwrap(), "jwt-grant");
    assert_eq!(status, 200, "{traded}");
    let traded = claims(traded["accessToken"].as_str().unwrap());
    assert_eq!(
        (&traded["sub"], &traded["act"]),
        (&json!("alice"), &Value::Null)
    );

    let (_, _, bare) = post(
        &dev,
        "/identities/GetWorkloadAccessTokenForUserId",
        json!({"workloadName": "identity_agent", "userId": "alice"}),
    );
    let (status, kind, refused) = trade(bare["workloadAccessToken"].as_str().unwrap(), "test-idp");
    assert_eq!(
        (status, kind.as_deref()),
        (400, Some("ValidationException"))
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("made from the user's JWT"),
        "{refused}"
    );
}

/// The TypeScript SDK's `withAccessToken` on the same flow.
#[test]
fn a_typescript_agent_trades_its_callers_jwt() {
    let (_idp, _p, dev, user_jwt) = on_behalf_dev(typescript_agent(), "src/agent.ts");
    the_agent_trades(&dev, &user_jwt);
}

/// `p`'s agent behind the test IdP's JWT authorizer, with two providers that exchange
/// (`test-idp` by RFC 8693 with the M2M actor, `jwt-grant` by RFC 7523), running in dev; and
/// alice's JWT. The IdP and the project must outlive dev.
fn on_behalf_dev(p: Project, entry: &str) -> (TestIdp, Project, Dev, String) {
    let key = jwt_idp::SigningKey::rsa("users");
    let idp = TestIdp::start_blocking(&[&key]);
    let second = format!(
        "name=jwt-grant,vendor=CustomOauth2,client_id=${{TEST_CLIENT_ID}},client_secret=${{TEST_CLIENT_SECRET}},discovery_url={}",
        idp.discovery_url()
    );
    let authorizer = json!({"customJWTAuthorizer": idp.authorizer()}).to_string();
    let p = configured(
        &idp,
        p,
        entry,
        &[
            "--oauth2-provider",
            &second,
            "--authorizer-config",
            &authorizer,
        ],
    );
    // Each provider's exchange settings, written above its discovery URL.
    let with = |part: &str, config: &str| {
        part.replacen(
            "        discovery_url: ",
            &format!(
                "        on_behalf_of_token_exchange_config: {config}\n        discovery_url: "
            ),
            1,
        )
    };
    let yaml = p.read(".bedrock_agentcore.yaml");
    let (first, rest) = yaml.split_once("- name: jwt-grant").unwrap();
    let exchange = "{grant_type: TOKEN_EXCHANGE, token_exchange_grant_type_config: \
                    {actor_token_content: M2M, actor_token_scopes: [agent]}}";
    let yaml = format!(
        "{}- name: jwt-grant{}",
        with(first, exchange),
        with(rest, "{grant_type: JWT_AUTHORIZATION_GRANT}")
    );
    p.write(".bedrock_agentcore.yaml", &yaml);
    let dev = Dev::start_with_env(p.path(), &[], &CLIENT_ENV);
    let mut alice = idp.claims();
    alice["sub"] = json!("alice");
    let user_jwt = key.sign(&alice);

    (idp, p, dev, user_jwt)
}

/// The agent, called with alice's JWT, answers with her token traded at the provider. The
/// call also names mallory in the user-id header, which a JWT caller cannot use to act as
/// someone else: the workload token is alice's, from her JWT.
fn the_agent_trades(dev: &Dev, user_jwt: &str) {
    let resp = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", sid("obo"))
        .header("X-Amzn-Bedrock-AgentCore-Runtime-User-Id", "mallory")
        .bearer_auth(user_jwt)
        .json(&json!({"mode": "obo"}))
        .send()
        .unwrap();
    let status = resp.status();
    let answer: Value = resp.json().unwrap();
    assert!(status.is_success(), "{status}: {answer}\n{}", dev.log());
    let exchanged = claims(answer["token"].as_str().unwrap());
    assert_eq!(exchanged["sub"], "alice", "the caller's token, traded");
    assert_eq!(exchanged["scope"], "downstream");
    assert_eq!(
        exchanged["act"]["sub"],
        jwt_idp::CLIENT_ID,
        "the agent acts"
    );
    assert_eq!(exchanged["act"]["scope"], "agent");
}

/// `deploy`'s return-URL step ([`agentcore::cloud::workload::set_return_urls`]), sent by the
/// AWS SDK for Rust to `dev`'s control-plane calls: the SDK reads every answer (its required
/// fields included), the agent's workload then allows exactly the URLs sent, and a workload
/// that never appears is looked for until the retry gives up, with the service's error.
#[test]
fn deploys_return_url_step_sets_the_agents_workload() {
    use agentcore::cloud::{DeployError, wait, workload};
    let idp = TestIdp::start_blocking(&[]);
    let p = identity_project(&idp, python_agent(), "agent.py");
    let dev = Dev::start(p.path(), &[]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let control = rt.block_on(async {
        let creds = aws_credential_types::Credentials::new("test", "test", None, None, "test");
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-west-2"))
            .endpoint_url(&dev.url)
            .credentials_provider(creds)
            .load()
            .await;
        agentcore::aws::control(&conf)
    });
    let urls = vec![
        "https://app.example.com/oauth2/callback".to_string(),
        format!("{}/_agentcore/identity/complete", dev.url),
    ];
    let once = wait::Policy::fixed(std::time::Duration::from_millis(10), wait::Limit::Looks(2));
    rt.block_on(workload::set_return_urls(
        &control,
        "identity_agent",
        &urls,
        &once,
    ))
    .unwrap_or_else(|e| panic!("{e}\n{}", dev.log()));
    let (status, _, got) = post(
        &dev,
        "/identities/GetWorkloadIdentity",
        json!({"name": "identity_agent"}),
    );
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["allowedResourceOauth2ReturnUrls"], json!(urls));
    let read = rt
        .block_on(
            control
                .get_workload_identity()
                .name("identity_agent")
                .send(),
        )
        .unwrap_or_else(|e| panic!("{}", agentcore::aws::error_text(&e)));
    assert_eq!(read.allowed_resource_oauth2_return_urls(), urls.as_slice());
    // Times the service gives: made when dev started, changed by this update (not the
    // SDK's stand-in of 0 for a missing field).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (made, changed) = (read.created_time().secs(), read.last_updated_time().secs());
    assert!(
        now - 600 < made && made <= changed && changed <= now + 1,
        "{made} {changed} {now}"
    );

    let missing = rt.block_on(workload::set_return_urls(
        &control,
        "no_such_agent",
        &urls,
        &once,
    ));
    match missing {
        Err(DeployError::Aws { op, code, message }) => {
            assert_eq!(
                (op, code.as_str()),
                ("UpdateWorkloadIdentity", "ResourceNotFoundException")
            );
            assert!(message.contains("no_such_agent"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
