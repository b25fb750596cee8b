//! Links the `agentcore` executable at a fixed address on Linux with glibc (`-no-pie`).
//!
//! A position-independent executable is relocated by the dynamic loader at every start: for
//! this binary about 83,000 relative relocations, written into some 300 pages of
//! `.data.rel.ro`, each a copy-on-write page fault before `main` runs. That was about half of
//! the CLI's start-up (the README's benchmark notes have the measurements). A fixed-address
//! executable needs none of it. What it gives up is address randomisation of the executable
//! image alone (shared libraries, the heap, the stack and mimalloc's arenas stay randomised),
//! the trade Go makes by default for the same reason. `AGENTCORE_PIE=1` at build time keeps
//! the platform's default, for a packager whose policy asks for PIE.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=AGENTCORE_PIE");
    let cfg = |name: &str| std::env::var(name).unwrap_or_default();
    // A dynamically linked glibc executable only: where rustc links a static binary (musl,
    // `+crt-static`) it asks for `-static-pie`, which `-no-pie` must not contradict.
    let dynamic_glibc = cfg("CARGO_CFG_TARGET_OS") == "linux"
        && cfg("CARGO_CFG_TARGET_ENV") == "gnu"
        && !cfg("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static");
    let keep_pie = !matches!(cfg("AGENTCORE_PIE").as_str(), "" | "0");
    if dynamic_glibc && !keep_pie {
        // Only the executable: the library and the tests that link it are unchanged.
        println!("cargo:rustc-link-arg-bin=agentcore=-no-pie");
    }
}
