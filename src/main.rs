//! The `agentcore` binary: parse, run, exit. All behaviour lives in the library.

fn main() -> std::process::ExitCode {
    agentcore::main_entry()
}
