//! The runtime's execution role: the configured one, or `AmazonBedrockAgentCoreSDKRuntime-
//! <region>-<sha256(agent)[:10]>` created with the trust and permission policies the official
//! toolkit uses (its `execution_role_policy.json.j2`, expressed here as JSON values), and
//! reused when it already exists.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::DeployError;
use crate::aws::error_parts;

pub fn role_name(region: &str, agent: &str) -> String {
    let digest = Sha256::digest(agent.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
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

/// The role's ARN; `Ok((arn, true))` when it was created now.
pub async fn ensure(
    iam: &aws_sdk_iam::Client,
    name: &str,
    trust: &Value,
    permissions: &Value,
    agent: &str,
) -> Result<(String, bool), DeployError> {
    match iam.get_role().role_name(name).send().await {
        Ok(out) => {
            return Ok((
                out.role().map(|r| r.arn().to_string()).unwrap_or_default(),
                false,
            ));
        }
        Err(e) => {
            let (code, message) = error_parts(&e);
            if code != "NoSuchEntity" {
                return Err(DeployError::aws("iam:GetRole", code, message));
            }
        }
    }
    let created = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust.to_string())
        .description(format!(
            "Execution role for BedrockAgentCore Runtime - {agent}"
        ))
        .send()
        .await
        .map_err(|e| {
            let (c, m) = error_parts(&e);
            DeployError::aws("iam:CreateRole", c, m)
        })?;
    iam.put_role_policy()
        .role_name(name)
        .policy_name(policy_name(agent))
        .policy_document(permissions.to_string())
        .send()
        .await
        .map_err(|e| {
            let (c, m) = error_parts(&e);
            DeployError::aws("iam:PutRolePolicy", c, m)
        })?;
    Ok((
        created
            .role()
            .map(|r| r.arn().to_string())
            .unwrap_or_default(),
        true,
    ))
}

/// Deletes a role this tool created: its inline policies first, as IAM requires.
pub async fn delete(iam: &aws_sdk_iam::Client, name: &str) -> Result<(), DeployError> {
    let policies = iam
        .list_role_policies()
        .role_name(name)
        .send()
        .await
        .map_err(|e| {
            let (c, m) = error_parts(&e);
            DeployError::aws("iam:ListRolePolicies", c, m)
        })?;
    for p in policies.policy_names() {
        iam.delete_role_policy()
            .role_name(name)
            .policy_name(p)
            .send()
            .await
            .map_err(|e| {
                let (c, m) = error_parts(&e);
                DeployError::aws("iam:DeleteRolePolicy", c, m)
            })?;
    }
    iam.delete_role()
        .role_name(name)
        .send()
        .await
        .map_err(|e| {
            let (c, m) = error_parts(&e);
            DeployError::aws("iam:DeleteRole", c, m)
        })?;
    Ok(())
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
