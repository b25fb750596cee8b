//! The `agentcore` binary: parse, run, exit. All behaviour lives in the library.

/// mimalloc, not glibc's malloc: `dev` allocates and frees small buffers on every request on
/// both runtime threads, and glibc's malloc, free and consolidation were about a quarter of its
/// time under load (bench/profile.sh; the numbers are in the README's benchmark notes).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    agentcore::main_entry()
}
