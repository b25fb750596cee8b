//! The parts of `destroy` for agents deployed without a local image: the S3 objects agentcore
//! uploaded (direct-code packages, remote-build sources; from the deploy history, so the
//! bucket's other objects stay), and the CodeBuild project and its service role when their
//! tags say agentcore created them.

use super::{Kind, Step};
use crate::cloud::history::History;
use crate::cloud::{remote, role, s3};

/// Deletes the recorded objects that are still there; marks them in the history.
pub(super) async fn delete_objects(
    s3c: &aws_sdk_s3::Client,
    account: &str,
    history: &mut History,
    steps: &mut Vec<Step>,
) {
    let objects: Vec<(String, String)> = history
        .live_objects()
        .iter()
        .map(|o| (o.bucket.clone(), o.key.clone()))
        .collect();
    for (bucket, key) in objects {
        let result = match s3::delete(s3c, &bucket, &key, account).await {
            Ok(existed) => {
                history.mark_object_deleted(&bucket, &key);
                Ok(if existed { "deleted" } else { "already gone" }.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        steps.push(Step {
            what: format!("s3://{bucket}/{key}"),
            kind: Kind::Objects,
            result,
        });
    }
}

/// The CodeBuild project, then its role, each only when tagged as agentcore's.
pub(super) async fn delete_builder(
    conf: &aws_config::SdkConfig,
    project: &str,
    role_arn: Option<&str>,
    steps: &mut Vec<Step>,
) {
    let cb = crate::aws::codebuild(conf);
    let result = match remote::is_ours(&cb, project).await {
        Ok(None) => Ok("already gone".to_string()),
        Ok(Some(false)) => Ok("kept: agentcore did not create it".to_string()),
        Ok(Some(true)) => remote::delete_project(&cb, project)
            .await
            .map(|_| "deleted".to_string())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    steps.push(Step {
        what: format!("codebuild project {project}"),
        kind: Kind::Builder,
        result,
    });
    let Some(arn) = role_arn else { return };
    let name = role::name_of(arn);
    let iam = crate::aws::iam(conf);
    let result = match role::owned_by_agentcore(&iam, name).await {
        Ok(None) => Ok("already gone".to_string()),
        Ok(Some(false)) => Ok("kept: agentcore did not create it".to_string()),
        Ok(Some(true)) => match role::delete(&iam, name).await {
            Ok(true) => Ok("deleted".to_string()),
            Ok(false) => Ok("already gone".to_string()),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    steps.push(Step {
        what: format!("codebuild role {name}"),
        kind: Kind::BuilderRole,
        result,
    });
}
