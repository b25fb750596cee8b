//! Commands run inside containers (`docker exec`): one-off commands with their output as it
//! comes, and shells on a TTY with their window size.

use super::{DockerError, Engine};

/// The variable that marks every process of one command started by [`exec_in`]: the engine
/// has no call that ends an exec, so [`exec_kill`] finds the command's processes by it.
const COMMAND_TAG: &str = "AGENTCORE_COMMAND_TAG";

/// A command started inside a container: its exec id, the tag its processes carry, and what
/// it writes as it writes it (`true` for stderr).
pub struct ContainerExec {
    pub id: String,
    pub tag: String,
    pub output: std::pin::Pin<Box<dyn futures_util::Stream<Item = (bool, bytes::Bytes)> + Send>>,
}

/// `sh -c command` inside container `container` (`docker exec`), its processes marked with a
/// tag of their own in their environment.
pub async fn exec_in(
    engine: &Engine,
    container: &str,
    command: &str,
) -> Result<ContainerExec, DockerError> {
    use bollard::container::LogOutput;
    use futures_util::StreamExt;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let env = vec![format!("{COMMAND_TAG}={tag}")];
    let (id, output) = sh_attached(engine, container, command, Some(env)).await?;
    let output = output.filter_map(|item| async move {
        match item.ok()? {
            LogOutput::StdErr { message } => Some((true, message)),
            LogOutput::StdOut { message } | LogOutput::Console { message } => {
                Some((false, message))
            }
            LogOutput::StdIn { .. } => None,
        }
    });
    Ok(ContainerExec {
        id,
        tag,
        output: Box::pin(output),
    })
}

/// Kills every process in `container` that carries the command tag `tag` (what [`exec_in`]
/// started and what that started in turn), and every descendant of one (a process that
/// cleared its environment, `env -i`, is found by its parent), by a second `docker exec`
/// that walks `/proc`, and waits for it to finish. A process that both cleared its
/// environment and left its parent (a daemon's double fork) is not found; the container's
/// own end still stops it.
pub async fn exec_kill(engine: &Engine, container: &str, tag: &str) -> Result<(), DockerError> {
    use futures_util::StreamExt;
    // Attached, so that its end (the output closing) says the kills are done.
    let (_, mut output) = sh_attached(engine, container, &kill_script(tag), None).await?;
    while output.next().await.is_some() {}
    Ok(())
}

/// The script [`exec_kill`] runs: `sh`, `tr` and `grep`, as busybox has them. The tag is hex, so it
/// needs no quoting. The set of pids grows with children of its members until it stops
/// growing; a process's parent is the second field after its name in `/proc/N/stat` (the
/// name, in parentheses, may hold spaces). Two passes: a child forked while the first walked
/// past its number is found by the second.
fn kill_script(tag: &str) -> String {
    format!(
        "for pass in 1 2; do \
           found=' '; \
           for e in /proc/[0-9]*/environ; do \
             if {{ tr '\\0' '\\n' < \"$e\"; }} 2>/dev/null | grep -qx '{COMMAND_TAG}={tag}'; then \
               p=${{e#/proc/}}; found=\"$found${{p%/environ}} \"; \
             fi; \
           done; \
           grew=1; \
           while [ $grew = 1 ]; do \
             grew=0; \
             for s in /proc/[0-9]*/stat; do \
               {{ read -r line < \"$s\"; }} 2>/dev/null || continue; \
               set -- ${{line##*) }}; p=${{s#/proc/}}; p=${{p%/stat}}; \
               case \"$found\" in *\" $p \"*) continue;; esac; \
               case \"$found\" in *\" $2 \"*) found=\"$found$p \"; grew=1;; esac; \
             done; \
           done; \
           for p in $found; do kill -9 \"$p\" 2>/dev/null; done; \
         done; true"
    )
}

type ExecOutput = std::pin::Pin<
    Box<
        dyn futures_util::Stream<
                Item = Result<bollard::container::LogOutput, bollard::errors::Error>,
            > + Send,
    >,
>;

/// Starts `sh -c script` in `container` with its stdout and stderr attached: the exec's id and
/// its output.
async fn sh_attached(
    engine: &Engine,
    container: &str,
    script: &str,
    env: Option<Vec<String>>,
) -> Result<(String, ExecOutput), DockerError> {
    use bollard::exec::StartExecResults;
    let config = bollard::models::ExecConfig {
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        env,
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        ..Default::default()
    };
    let d = &engine.docker;
    let created = d
        .create_exec(container, config)
        .await
        .map_err(DockerError::Api)?;
    let started = d
        .start_exec(&created.id, None)
        .await
        .map_err(DockerError::Api)?;
    let StartExecResults::Attached { output, .. } = started else {
        return Err(DockerError::Api(
            bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "the engine started the command detached".into(),
            },
        ));
    };
    Ok((created.id, output))
}

/// A shell on a TTY inside a container (`docker exec -it sh`): its exec id, the tag its
/// processes carry (for [`exec_kill`]), what it shows, and where to type.
pub struct ContainerTty {
    pub id: String,
    pub tag: String,
    pub output: std::pin::Pin<Box<dyn futures_util::Stream<Item = (bool, bytes::Bytes)> + Send>>,
    pub input: std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>,
}

pub async fn exec_tty(engine: &Engine, container: &str) -> Result<ContainerTty, DockerError> {
    use bollard::exec::{StartExecOptions, StartExecResults};
    use futures_util::StreamExt;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let config = bollard::models::ExecConfig {
        // Without job control (`+m`), as the local shell: a job started with `&` stays in the
        // shell's process group, and the hangup when the shell exits reaches it too.
        cmd: Some(vec!["sh".into(), "-i".into(), "+m".into()]),
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(true),
        env: Some(vec![
            "TERM=xterm-256color".into(),
            format!("{COMMAND_TAG}={tag}"),
        ]),
        ..Default::default()
    };
    let d = &engine.docker;
    let created = d
        .create_exec(container, config)
        .await
        .map_err(DockerError::Api)?;
    let options = StartExecOptions {
        detach: false,
        tty: true,
        output_capacity: None,
    };
    let started = d
        .start_exec(&created.id, Some(options))
        .await
        .map_err(DockerError::Api)?;
    let StartExecResults::Attached { output, input } = started else {
        return Err(DockerError::Api(
            bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "the engine started the shell detached".into(),
            },
        ));
    };
    let output = output.filter_map(|item| async move {
        use bollard::container::LogOutput;
        match item.ok()? {
            LogOutput::StdOut { message } | LogOutput::Console { message } => {
                Some((false, message))
            }
            LogOutput::StdErr { message } => Some((true, message)),
            LogOutput::StdIn { .. } => None,
        }
    });
    Ok(ContainerTty {
        id: created.id,
        tag,
        output: Box::pin(output),
        input,
    })
}

/// Tells a TTY `docker exec` its window's new size.
pub async fn exec_resize(engine: &Engine, exec: &str, cols: u16, rows: u16) {
    let size = bollard::exec::ResizeExecOptions {
        height: rows,
        width: cols,
    };
    let _ = engine.docker.resize_exec(exec, size).await;
}

/// A finished `docker exec`'s exit code.
pub async fn exec_exit_code(engine: &Engine, exec: &str) -> Option<i64> {
    engine.docker.inspect_exec(exec).await.ok()?.exit_code
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    /// Whether process `pid` has ended (gone, or a zombie nobody has reaped yet).
    fn ended(pid: &str) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| {
            s.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z'))
        })
    }

    #[test]
    fn the_kill_script_ends_tagged_processes_and_those_that_cleared_their_environment() {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        // The second job clears its environment: only its parent tells it apart.
        let tree = "sleep 3018 & echo $!; env -i sh -c 'sleep 3019; true' & echo $!; wait";
        let mut sh = std::process::Command::new("sh")
            .args(["-c", tree])
            .env(COMMAND_TAG, &tag)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = std::io::BufReader::new(sh.stdout.take().unwrap());
        let jobs: Vec<String> = out.lines().take(2).map(Result::unwrap).collect();
        let killed = std::process::Command::new("sh")
            .args(["-c", &kill_script(&tag)])
            .status()
            .unwrap();
        assert!(killed.success());
        assert!(
            sh.wait().unwrap().code().is_none(),
            "the tagged shell was killed"
        );
        let left: Vec<&String> = jobs.iter().filter(|pid| !ended(pid)).collect();
        for pid in &left {
            // Not left behind by a failure: a job holds the test's output open.
            let _ = std::process::Command::new("kill")
                .args(["-9", pid])
                .status();
        }
        assert!(left.is_empty(), "jobs {left:?} ran on");
    }
}
