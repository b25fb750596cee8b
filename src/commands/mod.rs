//! One module per subcommand, each owning its flags and a `run`; they are given a
//! [`Ctx`] (`crate::context`). Commands never use each other; what two share lives outside
//! `commands/`.

pub mod build;
pub mod completions;
pub mod configure;
pub mod deploy;
pub mod destroy;
pub mod dev;
pub mod dev_token;
pub mod endpoint;
pub mod exec;
pub mod init;
pub mod invoke;
pub mod logs;
pub mod memory;
pub mod rollback;
pub mod shell;
pub mod status;
pub mod stop_session;
pub mod traces;

pub use crate::context::{Ctx, Deployed, GlobalArgs};
