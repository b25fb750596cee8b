//! The runtime's execution role: the configured one, or `AmazonBedrockAgentCoreSDKRuntime-
//! <region>-<sha256(agent)[:10]>` created with the trust and permission policies the official
//! toolkit uses (its `execution_role_policy.json.j2`, expressed here as JSON values), and
//! reused when it already exists.

use serde_json::{Value, json};

use aws_sdk_iam::operation::delete_role::DeleteRoleError;
use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::operation::list_role_policies::ListRolePoliciesError;

use super::DeployError;
use crate::aws::service_is;

pub fn role_name(region: &str, agent: &str) -> String {
    let hex = crate::digest::sha256_hex(agent);
    format!("AmazonBedrockAgentCoreSDKRuntime-{region}-{}", &hex[..10])
}

pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Only AgentCore in this account and region may assume the role.
pub fn trust_policy(account: &str, region: &str) -> Value {
    let p = partition(region);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AssumeRolePolicy",
            "Effect": "Allow",
            "Principal": { "Service": "bedrock-agentcore.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": { "aws:SourceAccount": account },
                "ArnLike": { "aws:SourceArn": format!("arn:{p}:bedrock-agentcore:{region}:{account}:*") }
            }
        }]
    })
}

/// What the runtime needs: pull its image, write logs, traces and metrics, use its memory and
/// identity, call Bedrock models.
pub fn permissions_policy(
    account: &str,
    region: &str,
    agent: &str,
    repository: Option<&str>,
    protocol: &str,
    memory_id: Option<&str>,
) -> Value {
    let p = partition(region);
    let repo_arn = match repository {
        Some(r) => format!("arn:{p}:ecr:{region}:{account}:repository/{r}"),
        None => format!("arn:{p}:ecr:{region}:{account}:repository/*"),
    };
    let logs =
        format!("arn:{p}:logs:{region}:{account}:log-group:/aws/bedrock-agentcore/runtimes/*");
    let mut statements = vec![
        json!({ "Sid": "ECRImageAccess", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": [repo_arn] }),
        json!({ "Sid": "ECRTokenAccess", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*" }),
        json!({ "Effect": "Allow", "Action": ["logs:DescribeLogStreams", "logs:CreateLogGroup"], "Resource": [logs] }),
        json!({ "Effect": "Allow", "Action": ["logs:DescribeLogGroups"], "Resource": [format!("arn:{p}:logs:{region}:{account}:log-group:*")] }),
        json!({ "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [format!("{logs}:log-stream:*")] }),
        json!({ "Effect": "Allow", "Action": ["logs:PutResourcePolicy"], "Resource": [format!("arn:{p}:logs:{region}:{account}:log-group:/aws/bedrock-agentcore/runtimes/{agent}-*")] }),
        json!({ "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], "Resource": ["*"] }),
        json!({ "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*", "Condition": { "StringEquals": { "cloudwatch:namespace": "bedrock-agentcore" } } }),
        json!({ "Sid": "BedrockAgentCoreIdentity", "Effect": "Allow",
            "Action": ["bedrock-agentcore:GetResourceApiKey", "bedrock-agentcore:GetResourceOauth2Token"],
            "Resource": [
                format!("arn:{p}:bedrock-agentcore:{region}:{account}:token-vault/default"),
                format!("arn:{p}:bedrock-agentcore:{region}:{account}:token-vault/default/*"),
                format!("arn:{p}:bedrock-agentcore:{region}:{account}:workload-identity-directory/default"),
                format!("arn:{p}:bedrock-agentcore:{region}:{account}:workload-identity-directory/default/*")
            ] }),
        json!({ "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
            "Resource": [
                format!("arn:{p}:secretsmanager:{region}:{account}:secret:bedrock-agentcore-identity!default/oauth2/*"),
                format!("arn:{p}:secretsmanager:{region}:{account}:secret:bedrock-agentcore-identity!default/apikey/*")
            ] }),
        json!({ "Effect": "Allow", "Action": ["bedrock-agentcore:GetWorkloadAccessTokenForUserId"],
            "Resource": [format!("arn:{p}:bedrock-agentcore:{region}:{account}:workload-identity-directory/default/workload-identity/{agent}-*")] }),
        json!({ "Sid": "BedrockModelInvocation", "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail"],
            "Resource": [format!("arn:{p}:bedrock:*::foundation-model/*"), format!("arn:{p}:bedrock:{region}:{account}:*")] }),
        json!({ "Effect": "Allow", "Action": ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"], "Resource": "*",
            "Condition": { "StringEquals": { "aws:CalledViaLast": "bedrock.amazonaws.com" } } }),
        json!({ "Effect": "Allow",
            "Action": ["bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter", "bedrock-agentcore:StopCodeInterpreterSession", "bedrock-agentcore:GetCodeInterpreter", "bedrock-agentcore:GetCodeInterpreterSession", "bedrock-agentcore:ListCodeInterpreterSessions"],
            "Resource": [format!("arn:{p}:bedrock-agentcore:{region}:aws:code-interpreter/*")] }),
        json!({ "Effect": "Allow", "Action": ["sts:GetWebIdentityToken"], "Resource": "*" }),
    ];
    if protocol == "A2A" {
        statements.push(json!({ "Effect": "Allow", "Action": ["bedrock-agentcore:InvokeAgentRuntime", "bedrock-agentcore:InvokeAgentRuntimeForUser"],
            "Resource": [format!("arn:{p}:bedrock-agentcore:{region}:{account}:runtime/{agent}-*")] }));
    }
    let memory = match memory_id {
        Some(id) => format!("arn:{p}:bedrock-agentcore:{region}:{account}:memory/{id}"),
        None => format!("arn:{p}:bedrock-agentcore:{region}:{account}:memory/{agent}_mem-*"),
    };
    statements.push(json!({ "Sid": "BedrockAgentCoreMemory", "Effect": "Allow",
        "Action": ["bedrock-agentcore:CreateEvent", "bedrock-agentcore:GetEvent", "bedrock-agentcore:GetMemory", "bedrock-agentcore:GetMemoryRecord", "bedrock-agentcore:ListActors", "bedrock-agentcore:ListEvents", "bedrock-agentcore:ListMemoryRecords", "bedrock-agentcore:ListSessions", "bedrock-agentcore:DeleteEvent", "bedrock-agentcore:DeleteMemoryRecord", "bedrock-agentcore:RetrieveMemoryRecords"],
        "Resource": [memory] }));
    json!({ "Version": "2012-10-17", "Statement": statements })
}

pub fn policy_name(agent: &str) -> String {
    format!("BedrockAgentCoreRuntimeExecutionPolicy-{agent}")
}

/// The tag `deploy` puts on a role it creates: how a later deploy knows the role is its own
/// even when the project file never recorded it (a deploy interrupted right after creating it).
const OWNER_TAG: (&str, &str) = ("agentcore:created-by", "agentcore");

/// An execution role found or made by [`find_or_create`].
pub struct Found {
    pub arn: String,
    /// agentcore made it (now or earlier): its policy is agentcore's to keep current.
    pub ours: bool,
    pub created: bool,
}

/// True when a role of that name exists; any answer but "no such role" is an error.
pub async fn exists(iam: &aws_sdk_iam::Client, name: &str) -> Result<bool, DeployError> {
    match iam.get_role().role_name(name).send().await {
        Ok(_) => Ok(true),
        Err(e) if service_is(&e, GetRoleError::is_no_such_entity_exception) => Ok(false),
        Err(e) => Err(DeployError::of("iam:GetRole")(e)),
    }
}

/// Whether the role carries agentcore's tag; `None` when there is no such role.
pub async fn owned_by_agentcore(
    iam: &aws_sdk_iam::Client,
    name: &str,
) -> Result<Option<bool>, DeployError> {
    if !exists(iam, name).await? {
        return Ok(None);
    }
    let tags = iam
        .list_role_tags()
        .role_name(name)
        .send()
        .await
        .map_err(DeployError::of("iam:ListRoleTags"))?;
    Ok(Some(tags.tags().iter().any(|t| {
        t.key() == OWNER_TAG.0 && t.value() == OWNER_TAG.1
    })))
}

/// The role called `name`, created (tagged as agentcore's) when there is none.
pub async fn find_or_create(
    iam: &aws_sdk_iam::Client,
    name: &str,
    trust: &Value,
    agent: &str,
) -> Result<Found, DeployError> {
    let description = format!("Execution role for BedrockAgentCore Runtime - {agent}");
    find_or_create_as(iam, name, trust, agent, &description).await
}

/// [`find_or_create`] with the description a new role gets.
pub async fn find_or_create_as(
    iam: &aws_sdk_iam::Client,
    name: &str,
    trust: &Value,
    agent: &str,
    description: &str,
) -> Result<Found, DeployError> {
    match iam.get_role().role_name(name).send().await {
        Ok(out) => {
            let tags = iam
                .list_role_tags()
                .role_name(name)
                .send()
                .await
                .map_err(DeployError::of("iam:ListRoleTags"))?;
            let ours = tags
                .tags()
                .iter()
                .any(|t| t.key() == OWNER_TAG.0 && t.value() == OWNER_TAG.1);
            return Ok(Found {
                arn: out.role().map(|r| r.arn().to_string()).unwrap_or_default(),
                ours,
                created: false,
            });
        }
        Err(e) if service_is(&e, GetRoleError::is_no_such_entity_exception) => {}
        Err(e) => return Err(DeployError::of("iam:GetRole")(e)),
    }
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .expect("key and value set")
    };
    let created = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .description(description)
        .tags(tag(OWNER_TAG.0, OWNER_TAG.1))
        .tags(tag("agentcore:agent", agent))
        .send()
        .await
        .map_err(DeployError::of("iam:CreateRole"))?;
    Ok(Found {
        arn: created
            .role()
            .map(|r| r.arn().to_string())
            .unwrap_or_default(),
        ours: true,
        created: true,
    })
}

/// Puts the role's permissions policy, replacing what it had: every deploy does this for a
/// role agentcore made, so a role left without one (an interrupted deploy) or with a stale
/// one (the agent's memory changed) is put right.
pub async fn apply_policy(
    iam: &aws_sdk_iam::Client,
    role: &str,
    agent: &str,
    permissions: &Value,
) -> Result<(), DeployError> {
    put_policy(iam, role, &policy_name(agent), permissions).await
}

/// Puts one inline policy on a role, replacing a policy of that name.
pub async fn put_policy(
    iam: &aws_sdk_iam::Client,
    role: &str,
    policy: &str,
    permissions: &Value,
) -> Result<(), DeployError> {
    iam.put_role_policy()
        .role_name(role)
        .policy_name(policy)
        .policy_document(permissions.to_string())
        .send()
        .await
        .map_err(DeployError::of("iam:PutRolePolicy"))?;
    Ok(())
}

/// Deletes a role this tool created: its inline policies first, as IAM requires. `Ok(false)`
/// when it was already gone.
pub async fn delete(iam: &aws_sdk_iam::Client, name: &str) -> Result<bool, DeployError> {
    let policies = match iam.list_role_policies().role_name(name).send().await {
        Ok(p) => p,
        Err(e) if service_is(&e, ListRolePoliciesError::is_no_such_entity_exception) => {
            return Ok(false);
        }
        Err(e) => return Err(DeployError::of("iam:ListRolePolicies")(e)),
    };
    for p in policies.policy_names() {
        iam.delete_role_policy()
            .role_name(name)
            .policy_name(p)
            .send()
            .await
            .map_err(DeployError::of("iam:DeleteRolePolicy"))?;
    }
    detach_managed(iam, name).await?;
    match iam.delete_role().role_name(name).send().await {
        Ok(_) => Ok(true),
        Err(e) if service_is(&e, DeleteRoleError::is_no_such_entity_exception) => Ok(false),
        Err(e) => Err(DeployError::of("iam:DeleteRole")(e)),
    }
}

/// Detaches the managed policies someone attached to the role (IAM refuses to delete a role
/// that has any, with DeleteConflict); the policies themselves stay, as the toolkit leaves them.
async fn detach_managed(iam: &aws_sdk_iam::Client, name: &str) -> Result<(), DeployError> {
    let mut pages = iam
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(DeployError::of("iam:ListAttachedRolePolicies"))?;
        for arn in page
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn())
        {
            iam.detach_role_policy()
                .role_name(name)
                .policy_arn(arn)
                .send()
                .await
                .map_err(DeployError::of("iam:DetachRolePolicy"))?;
        }
    }
    Ok(())
}

/// The role name in a role ARN (after its last `/`, so paths are dropped).
pub fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_official_scheme() {
        let n = role_name("us-west-2", "my_agent");
        assert!(n.starts_with("AmazonBedrockAgentCoreSDKRuntime-us-west-2-"));
        assert_eq!(
            n.len(),
            "AmazonBedrockAgentCoreSDKRuntime-us-west-2-".len() + 10
        );
        assert!(n.len() <= 64, "IAM role names are at most 64 characters");
    }

    #[test]
    fn policies_are_scoped() {
        let t = trust_policy("123456789012", "eu-west-1");
        assert_eq!(
            t["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
            "arn:aws:bedrock-agentcore:eu-west-1:123456789012:*"
        );
        let p = permissions_policy("123456789012", "eu-west-1", "a", Some("repo"), "A2A", None);
        let text = p.to_string();
        assert!(text.contains("repository/repo"));
        assert!(
            text.contains("runtime/a-*"),
            "A2A agents may invoke runtimes"
        );
    }
}
