//! The agent's Python when the project brings none (no `--python`, no `.venv`): `python3` when
//! it already has every package the dependency file names (and uvicorn, which serves the
//! agent); else an environment made from that file, kept under `.bedrock_agentcore/<agent>/venv`
//! and reused while the file is unchanged (remade from scratch when it changes). `uv` makes it
//! when it is installed, else `python3 -m venv` and pip; with neither, an error at start-up
//! naming what is missing and the command that fixes it, rather than a 424 at the first invoke.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::DevError;
use crate::output::Printer;
use crate::project::{Dependencies, DependencyKind};

/// Distribution names a requirements file lists (versions, extras, markers, options, `-r`
/// includes and URLs left out: what remains is what `python3` must already have).
fn requirement_names(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('-') && !l.contains("://"))
        .filter_map(|l| {
            let end = l
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
                .unwrap_or(l.len());
            let name = &l[..end];
            // Extras stay (`a2a-sdk[http-server]`): what they pull in must be there too.
            let extras = l[end..]
                .trim_start()
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .map(|(e, _)| format!("[{}]", e.replace(' ', "")))
                .unwrap_or_default();
            (!name.is_empty()).then(|| format!("{name}{extras}"))
        })
        .collect()
}

/// Names in `[project].dependencies` of a pyproject.toml.
fn pyproject_names(text: &str) -> Vec<String> {
    let Some(start) = text.find("dependencies") else {
        return Vec::new();
    };
    let rest = &text[start..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    if close < open {
        return Vec::new();
    }
    let items: Vec<String> = rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    requirement_names(&items.join("\n"))
}

/// The distributions an agent needs from its dependency file, plus uvicorn.
pub fn needed(deps: &Dependencies) -> Vec<String> {
    let text = std::fs::read_to_string(&deps.path).unwrap_or_default();
    let mut names = match deps.kind {
        DependencyKind::Requirements => requirement_names(&text),
        DependencyKind::Pyproject => pyproject_names(&text),
    };
    if !names.iter().any(|n| n.eq_ignore_ascii_case("uvicorn")) {
        names.push("uvicorn".into());
    }
    names
}

/// The names `python` cannot find (importlib.metadata), or all of them when it cannot run.
fn missing(python: &str, names: &[String]) -> Vec<String> {
    // A name with extras is there when the distribution and what each extra requires are.
    let probe = r#"
import importlib.metadata as m, re, sys
def has(spec):
    name, _, extras = spec.partition("[")
    try:
        d = m.distribution(name)
    except Exception:
        return False
    for extra in filter(None, extras.rstrip("]").split(",")):
        for req in d.requires or []:
            if re.search(r"extra\s*==\s*['\"]%s['\"]" % re.escape(extra), req):
                try:
                    m.distribution(re.match(r"[A-Za-z0-9_.-]+", req).group(0))
                except Exception:
                    return False
    return True
for n in sys.argv[1:]:
    if not has(n):
        print(n)
"#;
    match Command::new(python)
        .arg("-c")
        .arg(probe)
        .args(names)
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
        _ => names.to_vec(),
    }
}

/// `python3`, or the path of an environment made for the agent.
pub fn python_for(
    agent: &str,
    deps: &Dependencies,
    state_dir: &Path,
    printer: &Printer,
) -> Result<String, DevError> {
    let names = needed(deps);
    let lacking = missing("python3", &names);
    if lacking.is_empty() {
        return Ok("python3".into());
    }
    let maker = match which::which("uv") {
        Ok(uv) => Maker::Uv(uv),
        Err(_) if has_venv_module() => Maker::Pip,
        Err(_) => {
            return Err(DevError::MissingPackages {
                agent: agent.to_string(),
                missing: lacking,
                file: deps.path.clone(),
            });
        }
    };
    let venv = state_dir.join(agent).join("venv");
    let python = venv.join("bin/python");
    let stamp = venv.join(".agentcore-deps");
    let hash = file_hash(&deps.path);
    if python.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) {
        return Ok(python.to_string_lossy().into_owned());
    }
    printer.status(format!(
        "agent {agent}: python3 lacks {}; making its environment from {} with {} (once per change of that file; kept in {})",
        lacking.join(", "),
        deps.path.display(),
        maker.name(),
        venv.display()
    ));
    let failed = |why: String| DevError::Environment {
        agent: agent.to_string(),
        tool: maker.name(),
        why,
    };
    // Made from scratch: an environment of the old file may hold what the new one dropped,
    // and uv refuses to make one over an existing directory.
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(|e| failed(format!("cannot remove the old environment: {e}")))?;
    }
    maker.make(&venv, deps).map_err(failed)?;
    let _ = std::fs::write(&stamp, &hash);
    Ok(python.to_string_lossy().into_owned())
}

/// What makes an environment.
enum Maker {
    Uv(PathBuf),
    /// `python3 -m venv`, then the environment's own pip.
    Pip,
}

impl Maker {
    fn name(&self) -> &'static str {
        match self {
            Maker::Uv(_) => "uv",
            Maker::Pip => "python3 -m venv and pip",
        }
    }

    fn make(&self, venv: &Path, deps: &Dependencies) -> Result<(), String> {
        let python = venv.join("bin/python");
        // A requirements file goes to the installer as it is (its options, includes and
        // URLs); a pyproject's dependencies by name, as pip cannot read it as requirements.
        let mut wanted: Vec<std::ffi::OsString> = match deps.kind {
            DependencyKind::Requirements => vec!["-r".into(), deps.path.clone().into()],
            DependencyKind::Pyproject if matches!(self, Maker::Uv(_)) => {
                vec!["-r".into(), deps.path.clone().into()]
            }
            DependencyKind::Pyproject => needed(deps).into_iter().map(Into::into).collect(),
        };
        wanted.push("uvicorn".into());
        match self {
            Maker::Uv(uv) => {
                run(Command::new(uv).args(["venv", "--quiet"]).arg(venv))?;
                run(Command::new(uv)
                    .args(["pip", "install", "--quiet", "--python"])
                    .arg(&python)
                    .args(&wanted))
            }
            Maker::Pip => {
                run(Command::new("python3").args(["-m", "venv"]).arg(venv))?;
                run(Command::new(&python)
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                    ])
                    .args(&wanted))
            }
        }
    }
}

/// Whether `python3` can make environments (Debian splits the venv module out).
fn has_venv_module() -> bool {
    Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `cmd`; its last lines of stderr when it fails.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    Err(lines[lines.len().saturating_sub(5)..].join("\n"))
}

fn file_hash(p: &Path) -> String {
    crate::digest::sha256_hex(std::fs::read(p).unwrap_or_default())
}

/// Where dev keeps what it makes for a project's agents.
pub fn state_dir(project_dir: &Path) -> PathBuf {
    project_dir.join(".bedrock_agentcore")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_dependency_files() {
        let req = "# comment\nbedrock-agentcore>=1.0\nstrands-agents[otel] ; python_version>'3.9'\n-r other.txt\nhttps://x/y.whl\nmcp<2\n";
        assert_eq!(
            requirement_names(req),
            ["bedrock-agentcore", "strands-agents[otel]", "mcp"]
        );
        let py = "[project]\nname = \"x\"\ndependencies = [\n  \"bedrock-agentcore>=1\",\n  'uvicorn',\n]\n";
        assert_eq!(pyproject_names(py), ["bedrock-agentcore", "uvicorn"]);
    }
}
