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
/// started and what that started in turn), by a second `docker exec` that walks `/proc`, and
/// waits for it to finish. A process that cleared its environment is not found; the
/// container's own end still stops it.
pub async fn exec_kill(engine: &Engine, container: &str, tag: &str) -> Result<(), DockerError> {
    use futures_util::StreamExt;
    // The tag is hex, so it needs no quoting. Two passes: a child forked while the first
    // walked past its number is found by the second.
    let script = format!(
        "for pass in 1 2; do for e in /proc/[0-9]*/environ; do \
           if tr '\\0' '\\n' < \"$e\" 2>/dev/null | grep -qx '{COMMAND_TAG}={tag}'; then \
             p=${{e#/proc/}}; kill -9 \"${{p%/environ}}\" 2>/dev/null; \
           fi; \
         done; done; true"
    );
    // Attached, so that its end (the output closing) says the kills are done.
    let (_, mut output) = sh_attached(engine, container, &script, None).await?;
    while output.next().await.is_some() {}
    Ok(())
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
