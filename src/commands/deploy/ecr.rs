//! The ECR repository: the configured one (a URI, or a bare name looked up with
//! DescribeRepositories), or `bedrock-agentcore-<sanitized agent>` found or created; and the
//! registry login (GetAuthorizationToken) for the push.

use base64::Engine as _;

use super::DeployError;
use crate::aws::error_parts;

/// The official rule: lowercase, anything outside `[a-z0-9._/-]` becomes `-`, runs of `-`/`_`
/// collapse to one `-`, at most 200 characters.
pub fn auto_repository_name(agent: &str) -> String {
    let lower: String = agent
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = String::new();
    let mut prev_sep = false;
    for c in format!("bedrock-agentcore-{lower}").chars() {
        let sep = c == '-' || c == '_';
        if sep && prev_sep {
            out.pop();
            out.push('-');
            continue;
        }
        out.push(c);
        prev_sep = sep;
    }
    out.chars().take(200).collect()
}

/// A full repository URI (`<registry>/<name>`), as opposed to a bare repository name.
pub fn is_uri(s: &str) -> bool {
    s.split_once('/')
        .is_some_and(|(host, _)| host.contains('.'))
}

/// The repository name inside a URI.
pub fn name_of(uri: &str) -> &str {
    uri.split_once('/').map(|(_, n)| n).unwrap_or(uri)
}

pub enum Repo {
    Existing(String),
    /// Missing; created unless dry-running.
    ToCreate(String),
}

/// The URI of `name`, if it exists.
pub async fn describe(
    ecr: &aws_sdk_ecr::Client,
    name: &str,
) -> Result<Option<String>, DeployError> {
    match ecr
        .describe_repositories()
        .repository_names(name)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .repositories()
            .first()
            .and_then(|r| r.repository_uri())
            .map(str::to_string)),
        Err(e) => {
            let (code, message) = error_parts(&e);
            if code == "RepositoryNotFoundException" {
                Ok(None)
            } else {
                Err(DeployError::aws("ecr:DescribeRepositories", code, message))
            }
        }
    }
}

pub async fn resolve(
    ecr: &aws_sdk_ecr::Client,
    configured: Option<&str>,
    auto_create: bool,
    agent: &str,
) -> Result<Repo, DeployError> {
    match configured {
        Some(c) if is_uri(c) => Ok(Repo::Existing(c.to_string())),
        Some(name) => describe(ecr, name)
            .await?
            .map(Repo::Existing)
            .ok_or_else(|| DeployError::RepositoryNotFound(name.to_string())),
        None if auto_create => {
            let name = auto_repository_name(agent);
            Ok(match describe(ecr, &name).await? {
                Some(uri) => Repo::Existing(uri),
                None => Repo::ToCreate(name),
            })
        }
        None => Err(DeployError::NoRepository(agent.to_string())),
    }
}

pub async fn create(ecr: &aws_sdk_ecr::Client, name: &str) -> Result<String, DeployError> {
    match ecr.create_repository().repository_name(name).send().await {
        Ok(out) => Ok(out
            .repository()
            .and_then(|r| r.repository_uri())
            .unwrap_or_default()
            .to_string()),
        Err(e) => {
            let (code, message) = error_parts(&e);
            // Created by someone else meanwhile: fine, use it.
            if code == "RepositoryAlreadyExistsException"
                && let Some(uri) = describe(ecr, name).await?
            {
                return Ok(uri);
            }
            Err(DeployError::aws("ecr:CreateRepository", code, message))
        }
    }
}

/// (username, password) for the registry, from GetAuthorizationToken.
pub async fn login(ecr: &aws_sdk_ecr::Client) -> Result<(String, String), DeployError> {
    let out = ecr.get_authorization_token().send().await.map_err(|e| {
        let (c, m) = error_parts(&e);
        DeployError::aws("ecr:GetAuthorizationToken", c, m)
    })?;
    let token = out
        .authorization_data()
        .first()
        .and_then(|d| d.authorization_token())
        .ok_or_else(|| {
            DeployError::aws(
                "ecr:GetAuthorizationToken",
                "EmptyAnswer".into(),
                "no authorization data".into(),
            )
        })?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|e| {
            DeployError::aws(
                "ecr:GetAuthorizationToken",
                "BadToken".into(),
                e.to_string(),
            )
        })?;
    let text = String::from_utf8_lossy(&decoded);
    let (user, pass) = text.split_once(':').ok_or_else(|| {
        DeployError::aws(
            "ecr:GetAuthorizationToken",
            "BadToken".into(),
            "token is not user:password".into(),
        )
    })?;
    Ok((user.to_string(), pass.to_string()))
}

/// Deletes every image in the repository (in batches of 100, as the API allows).
pub async fn delete_images(ecr: &aws_sdk_ecr::Client, name: &str) -> Result<usize, DeployError> {
    use aws_sdk_ecr::types::ImageIdentifier;
    let mut ids: Vec<ImageIdentifier> = Vec::new();
    let mut pages = ecr
        .list_images()
        .repository_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            let (c, m) = error_parts(&e);
            DeployError::aws("ecr:ListImages", c, m)
        })?;
        ids.extend(page.image_ids().iter().cloned());
    }
    for chunk in ids.chunks(100) {
        ecr.batch_delete_image()
            .repository_name(name)
            .set_image_ids(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| {
                let (c, m) = error_parts(&e);
                DeployError::aws("ecr:BatchDeleteImage", c, m)
            })?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names() {
        assert_eq!(
            auto_repository_name("My_Agent"),
            "bedrock-agentcore-my_agent"
        );
        assert_eq!(auto_repository_name("a__b"), "bedrock-agentcore-a-b");
        assert!(is_uri("123456789012.dkr.ecr.us-west-2.amazonaws.com/repo"));
        assert!(!is_uri("repo"));
        assert_eq!(
            name_of("123456789012.dkr.ecr.us-west-2.amazonaws.com/team/repo"),
            "team/repo"
        );
    }
}
