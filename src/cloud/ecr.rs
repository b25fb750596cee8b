//! The ECR repository: the configured one (a URI, or a bare name looked up with
//! DescribeRepositories), or `bedrock-agentcore-<sanitized agent>` found or created; and the
//! registry login (GetAuthorizationToken) for the push.

use base64::Engine as _;

use aws_sdk_ecr::operation::batch_delete_image::BatchDeleteImageError;
use aws_sdk_ecr::operation::create_repository::CreateRepositoryError;
use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;

use super::DeployError;
use crate::aws::{error_parts, service_is};

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
        Err(e)
            if service_is(
                &e,
                DescribeRepositoriesError::is_repository_not_found_exception,
            ) =>
        {
            Ok(None)
        }
        Err(e) => {
            let (code, message) = error_parts(&e);
            Err(DeployError::aws("ecr:DescribeRepositories", code, message))
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
            // Created by someone else meanwhile: fine, use it.
            if service_is(
                &e,
                CreateRepositoryError::is_repository_already_exists_exception,
            ) && let Some(uri) = describe(ecr, name).await?
            {
                return Ok(uri);
            }
            let (code, message) = error_parts(&e);
            Err(DeployError::aws("ecr:CreateRepository", code, message))
        }
    }
}

/// (username, password) for the registry, from GetAuthorizationToken.
pub async fn login(ecr: &aws_sdk_ecr::Client) -> Result<(String, String), DeployError> {
    let out = ecr
        .get_authorization_token()
        .send()
        .await
        .map_err(DeployError::of("ecr:GetAuthorizationToken"))?;
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

/// What became of one image `destroy` asked ECR to delete.
pub enum Deleted {
    Gone,
    /// ECR no longer had it.
    AlreadyGone,
    Failed(String),
}

/// Deletes the images with these tags, and only those (in batches of 100, as the API allows);
/// `None` when the repository itself is gone. Deleting by tag removes that tag; ECR deletes an
/// image once its last tag goes, so an image someone else also tagged stays for them.
pub async fn delete_tags(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
    tags: &[String],
) -> Result<Option<Vec<(String, Deleted)>>, DeployError> {
    use aws_sdk_ecr::types::{ImageFailureCode, ImageIdentifier};
    let mut out = Vec::new();
    for chunk in tags.chunks(100) {
        let ids = chunk
            .iter()
            .map(|t| ImageIdentifier::builder().image_tag(t).build())
            .collect();
        let answer = match ecr
            .batch_delete_image()
            .repository_name(repository)
            .set_image_ids(Some(ids))
            .send()
            .await
        {
            Ok(a) => a,
            Err(e) if service_is(&e, BatchDeleteImageError::is_repository_not_found_exception) => {
                return Ok(None);
            }
            Err(e) => {
                let (c, m) = error_parts(&e);
                return Err(DeployError::aws("ecr:BatchDeleteImage", c, m));
            }
        };
        for tag in chunk {
            let failure = answer
                .failures()
                .iter()
                .find(|f| f.image_id().and_then(|i| i.image_tag()) == Some(tag.as_str()));
            let result = match failure {
                None => Deleted::Gone,
                Some(f)
                    if matches!(
                        f.failure_code(),
                        Some(ImageFailureCode::ImageNotFound)
                            | Some(ImageFailureCode::ImageTagDoesNotMatchDigest)
                    ) =>
                {
                    Deleted::AlreadyGone
                }
                Some(f) => Deleted::Failed(format!(
                    "{}: {}",
                    f.failure_code().map(|c| c.as_str()).unwrap_or("Failure"),
                    f.failure_reason().unwrap_or_default()
                )),
            };
            out.push((tag.clone(), result));
        }
    }
    Ok(Some(out))
}

/// How many images the repository holds (tagged or not).
pub async fn image_count(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
) -> Result<usize, DeployError> {
    let mut n = 0;
    let mut pages = ecr
        .list_images()
        .repository_name(repository)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(DeployError::of("ecr:ListImages"))?;
        n += page.image_ids().len();
    }
    Ok(n)
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
