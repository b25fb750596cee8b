//! `agentcore`: a CLI and local emulator for AWS Bedrock AgentCore Runtime.
//!
//! The binary is a thin shell around [`main_entry`]; everything else is here so tests can call
//! it. ARCHITECTURE.md is the map. Layers, top down: `cli` (the command tree and dispatch),
//! `commands/*` (one module per subcommand, owning its flags; none uses another; each given a
//! `context::Ctx`), the modules
//! they share (`setup` configures an agent, `image` builds its image, `cloud` is the AWS side of
//! a deployed agent, `dataplane` calls an agent, `emulator` is the local AgentCore Runtime that
//! `dev` serves), and below them `config` (the project file), `project` (what a source tree
//! contains), `build_context`, `templates`, `aws` (the one place SDK clients are made),
//! `docker` (the one facade over the Docker Engine); leaves any layer uses: `args` (shared
//! flag types), `output` (stdout/stderr, command results), `error` (rendering and exit
//! codes), `envref`, `prompt`, `digest`.

pub mod args;
pub mod aws;
pub mod build_context;
pub mod cli;
pub mod cloud;
pub mod commands;
pub mod compat;
pub mod config;
pub mod context;
pub mod dataplane;
pub mod digest;
pub mod docker;
pub mod emulator;
pub mod envref;
pub mod error;
pub mod image;
pub mod output;
pub mod project;
pub mod prompt;
pub mod setup;
pub mod templates;

use std::process::ExitCode;

use clap::Parser;

/// Parses the command line, runs the command, renders any error, returns the exit status.
pub fn main_entry() -> ExitCode {
    let args = compat::rewrite_args(std::env::args_os());
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let g = &cli.global;
    let printer = output::Printer::new(g.output, g.quiet, g.verbose, g.no_color);
    init_logging(g.verbose, g.quiet, printer.color);
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            return ExitCode::from(1);
        }
    };
    let ctx = context::Ctx {
        global: cli.global.clone(),
        printer,
        cwd,
    };
    // reqwest is built without a crypto provider of its own: every HTTPS client uses aws-lc's,
    // the one the AWS SDK uses (an error means one is installed already, which is as good).
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut builder = match cli.command.single_threaded() {
        true => tokio::runtime::Builder::new_current_thread(),
        false => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(cli::run(&ctx, &cli.command));
    // Agent processes and servers are stopped by their owners; don't wait on stray blocking tasks.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_passed_status() {
                eprint!("{}", error::render(&e, ctx.printer.color));
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Diagnostics on stderr: agentcore's own at the level `-q`/`-v` say, other crates' only from
/// `-v` on. The AWS SDK warns in its own words (a credential provider's `ProviderError { …
/// }` dump while it tries the next one), and what matters of it reaches the user as
/// agentcore's error. Colour follows the printer's (`--no-color`, `NO_COLOR`, a terminal).
fn init_logging(verbose: u8, quiet: bool, color: bool) {
    use tracing_subscriber::EnvFilter;
    let (ours, others) = match (quiet, verbose) {
        (true, _) => ("error", "off"),
        (_, 0) => ("warn", "off"),
        (_, 1) => ("info", "warn"),
        _ => ("debug", "info"),
    };
    let filter = EnvFilter::try_from_env("AGENTCORE_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("agentcore={ours},{others}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .without_time()
        .with_target(false)
        .try_init();
}
