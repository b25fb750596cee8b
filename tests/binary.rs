//! What the built executable is, as `build.rs` links it: at a fixed address for a dynamically
//! linked glibc build (no relocation at start-up), position-independent otherwise or when
//! built with `AGENTCORE_PIE=1`.

/// The ELF header's object type: 2 is a fixed-address executable, 3 a position-independent
/// one (or a shared object).
fn elf_type(path: &str) -> u16 {
    let bytes = std::fs::read(path).expect("the agentcore binary is readable");
    assert_eq!(&bytes[..4], b"\x7fELF", "{path} is not an ELF file");
    u16::from_le_bytes([bytes[16], bytes[17]])
}

#[cfg(target_os = "linux")]
#[test]
fn the_executable_is_linked_as_build_rs_says() {
    let dynamic_glibc = cfg!(all(target_env = "gnu", not(target_feature = "crt-static")));
    let keep_pie = !matches!(option_env!("AGENTCORE_PIE"), None | Some("") | Some("0"));
    let expected = if dynamic_glibc && !keep_pie { 2 } else { 3 };
    assert_eq!(elf_type(env!("CARGO_BIN_EXE_agentcore")), expected);
}
