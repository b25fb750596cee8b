//! The AWS side of an agent, shared by the commands that create, change, read and delete it:
//! the runtime and its requests, versions and endpoints, the execution role, ECR, S3 uploads,
//! CodeBuild remote builds, memory, identity providers and the runtime's workload identity,
//! the deploy history the project file keeps, and the one wait every "look again until it is
//! ready" goes through (`wait`).
//! Clients come from `crate::aws`; nothing here prints except through the printer it is given.

pub mod ecr;
pub mod endpoint;
mod error;
pub mod extra_fields;
pub mod history;
pub mod identity;
pub mod logs;
pub mod memory;
pub mod remote;
pub mod request;
pub mod role;
pub mod runtime;
pub mod s3;
pub mod wait;
pub mod workload;

pub use error::DeployError;
