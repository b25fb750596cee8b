//! The AWS side of an agent, shared by the commands that create, change, read and delete it:
//! the runtime and its requests, versions and endpoints, the execution role, ECR, S3 uploads,
//! CodeBuild remote builds, memory and identity providers, and the deploy history the project
//! file keeps. Clients come from `crate::aws`; nothing here prints except through the printer
//! it is given.

pub mod ecr;
pub mod endpoint;
mod error;
pub mod history;
pub mod identity;
pub mod logs;
pub mod memory;
pub mod remote;
pub mod request;
pub mod role;
pub mod runtime;
pub mod s3;

pub use error::DeployError;
