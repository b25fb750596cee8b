//! `agentcore destroy`'s flags.

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct DestroyArgs {
    /// List what would be deleted, delete nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation
    #[arg(long)]
    pub force: bool,
    /// Also delete the ECR repository
    #[arg(long)]
    pub delete_ecr_repo: bool,
    /// Also remove the agent from the project file
    #[arg(long)]
    pub remove_config: bool,
}
