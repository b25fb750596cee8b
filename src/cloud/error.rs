//! The error of every AWS operation an agent's deploy, rollback or teardown makes: which call
//! failed and why, with a hint that says what to do.

use super::remote;
use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{op} failed: {code}: {message}")]
    Aws {
        op: &'static str,
        code: String,
        message: String,
    },
    #[error("ECR repository {0:?} does not exist")]
    RepositoryNotFound(String),
    #[error("agent {0} has no ECR repository and ecr_auto_create is off")]
    NoRepository(String),
    #[error("agent {0} has no execution role and execution_role_auto_create is off")]
    NoRole(String),
    #[error("{what} is {status}: {reason}")]
    Failed {
        what: String,
        status: String,
        reason: String,
    },
    #[error("timed out after {seconds}s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
    #[error(
        "runtime {id} is still {status} after {seconds}s: an earlier change is still being applied"
    )]
    Busy {
        id: String,
        status: String,
        seconds: u64,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "agent {agent} is deployed in {recorded} (runtime {runtime}); this deploy would go to {now}"
    )]
    Elsewhere {
        agent: String,
        runtime: String,
        recorded: String,
        now: String,
    },
    #[error(
        "a runtime named {name} already exists ({id}), and this project did not deploy it (it records no runtime id for the agent)"
    )]
    NameTaken { name: String, id: String },
    #[error("the image is {actual}, but AgentCore Runtime needs {expected}")]
    WrongPlatform { actual: String, expected: String },
    #[error("the image is {mb} MB, over the {limit_mb} MB AgentCore Runtime accepts")]
    ImageTooLarge { mb: u64, limit_mb: u64 },
    #[error(
        "this machine ({arch}) cannot build the linux/arm64 image AgentCore Runtime runs: it is not arm64 and has no QEMU emulation registered"
    )]
    NoArmBuild { arch: String },
    #[error("S3 bucket {0} (aws.s3_path) does not exist or is not this account's")]
    BucketNotFound(String),
    #[error("{}", remote_failure(.0))]
    RemoteBuildFailed(remote::Failure),
    #[error(
        "runtime {runtime} is deployed, but its workload identity {workload} did not take the return URLs in identity.workload.return_urls: {cause}; run `agentcore deploy` again, or set them with the control plane's UpdateWorkloadIdentity"
    )]
    ReturnUrls {
        runtime: String,
        workload: String,
        cause: Box<DeployError>,
    },
}

fn remote_failure(f: &remote::Failure) -> String {
    let mut s = format!("remote build {} {} in phase {}", f.id, f.status, f.phase);
    if !f.reason.is_empty() {
        s.push_str(&format!(": {}", f.reason));
    }
    if !f.last_lines.is_empty() {
        s.push_str("\nlast lines of its log:");
        for l in &f.last_lines {
            s.push_str(&format!("\n    {l}"));
        }
    }
    s
}

impl DeployError {
    pub fn aws(op: &'static str, code: String, message: String) -> Self {
        DeployError::Aws { op, code, message }
    }

    /// The error for a failed call of `op`, for `map_err`.
    pub fn of<E>(
        op: &'static str,
    ) -> impl Fn(
        aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
    ) -> Self
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    {
        move |e| {
            let (code, message) = crate::aws::error_parts(&e);
            DeployError::aws(op, code, message)
        }
    }
}

impl Diagnostic for DeployError {
    fn hint(&self) -> Option<String> {
        match self {
            DeployError::Aws { code, op, .. } if code.contains("AccessDenied") || code == "UnauthorizedOperation" => {
                Some(format!("the credentials are not allowed to call {op}; check the IAM policy of the caller (`aws sts get-caller-identity`)"))
            }
            DeployError::Aws { code, .. } if code.contains("Throttl") => Some("AWS is throttling; wait a moment and deploy again".into()),
            DeployError::Aws { code, .. } if code == "Transport" => Some("check the network, or AWS_ENDPOINT_URL if you use a stand-in".into()),
            DeployError::RepositoryNotFound(_) => Some("create it, or let agentcore create one: `agentcore configure --ecr auto`".into()),
            DeployError::NoRepository(_) => Some("set one with `agentcore configure --ecr URI`, or `--ecr auto`".into()),
            DeployError::NoRole(_) => Some("set one with `agentcore configure --execution-role ARN`, or `--execution-role auto`".into()),
            DeployError::Failed { .. } => Some("see `agentcore status` and the runtime's CloudWatch logs".into()),
            DeployError::Timeout { .. } => Some("the deployment may still finish: check `agentcore status`, or deploy with a longer `--timeout`".into()),
            DeployError::Elsewhere { .. } => Some(
                "deploy with the recorded region (`--region`) and credentials for the recorded account (`--profile`); to move the agent, `agentcore destroy` it where it is first".into(),
            ),
            DeployError::NameTaken { .. } => Some(
                "to update that runtime from this project, deploy with `--auto-update-on-conflict`; otherwise give the agent another name (`agentcore configure -n NAME`)".into(),
            ),
            DeployError::Busy { .. } => Some("wait for it to finish (`agentcore status` shows it), then deploy again; `--timeout` waits longer".into()),
            DeployError::NoArmBuild { .. } => Some(
                "deploy without building here: `agentcore deploy --remote-build` (CodeBuild builds the image on arm64), or `agentcore configure -dt direct_code_deploy` (a zip of the code, no Docker at all); with QEMU installed (`apt-get install qemu-user-static binfmt-support`), `--local-build` builds here".into(),
            ),
            DeployError::BucketNotFound(_) => Some(
                "create it, or remove aws.s3_path from the project file to let agentcore create its own bucket".into(),
            ),
            DeployError::RemoteBuildFailed(f) => Some(format!(
                "the whole log: `aws codebuild batch-get-builds --ids {}` names its log stream; fix the Dockerfile or the code, then deploy again",
                f.id
            )),
            DeployError::ImageTooLarge { .. } => Some(
                "start from a slim base image, leave data, models and build output out with `.dockerignore`, and drop unused dependencies (`docker history` shows which layers are large)".into(),
            ),
            DeployError::WrongPlatform { .. } => Some(
                "build for linux/arm64: install QEMU emulation (binfmt) or build on an arm64 machine; the base image must have an arm64 variant".into(),
            ),
            _ => None,
        }
    }
}
