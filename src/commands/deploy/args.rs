//! `agentcore deploy`'s flags.

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct DeployArgs {
    /// Image platform (AgentCore Runtime runs linux/arm64)
    #[arg(long, default_value = "linux/arm64")]
    pub platform: String,
    /// Do not use the engine's build cache
    #[arg(long)]
    pub no_cache: bool,
    /// Print the plan (with request bodies) and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Return once the runtime is created or updated, without waiting for READY
    #[arg(long)]
    pub no_wait: bool,
    /// Seconds to wait for the runtime to be READY
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
    /// Seconds to wait for the DEFAULT endpoint once the runtime is READY
    #[arg(long, default_value_t = 30, hide = true)]
    pub endpoint_grace: u64,
    /// Seconds to wait for the agent's memory to be ACTIVE
    #[arg(long, default_value_t = 300)]
    pub memory_timeout: u64,
    /// Deploy without memory if creating it fails (default: the deploy fails)
    #[arg(long)]
    pub skip_memory_on_failure: bool,
    /// After the deploy, create or move this named endpoint to the new version (blue/green:
    /// deploy with --endpoint staging, try it, then `agentcore endpoint update prod --version N`)
    #[arg(long, value_name = "NAME")]
    pub endpoint: Option<String>,
    /// Build the image on CodeBuild (arm64) instead of here: for hosts that cannot build
    /// linux/arm64 (x86-64 without QEMU)
    #[arg(long, conflicts_with = "local_build")]
    pub remote_build: bool,
    /// Build the image here even when this host cannot run arm64 build steps
    #[arg(long)]
    pub local_build: bool,
    /// Seconds to wait for a remote build
    #[arg(long, default_value_t = 1800)]
    pub build_timeout: u64,
    /// Direct code deployment: install the dependencies again instead of reusing the cached
    /// arm64 layer
    #[arg(long)]
    pub force_rebuild_deps: bool,
    /// S3 bucket for the code package or the remote build's source (saved as aws.s3_path;
    /// default: bedrock-agentcore-codebuild-sources-ACCOUNT-REGION, created when missing)
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,
    /// When the agent's name is taken by a runtime this project did not deploy (another
    /// project's, or one made outside agentcore), update that runtime instead of stopping
    #[arg(long, visible_alias = "auc")]
    pub auto_update_on_conflict: bool,
    /// Leave the account's Transaction Search (spans into CloudWatch's aws/spans, which
    /// `agentcore traces` reads) as it is
    #[arg(long)]
    pub no_transaction_search: bool,
}
