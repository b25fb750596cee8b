//! Commands run inside containers (`docker exec`): one-off commands with their output as it
//! comes, and shells on a TTY with their window size.

use super::{DockerError, Engine};

/// A command started inside a container: its exec id, and what it writes as it writes it
/// (`true` for stderr).
pub struct ContainerExec {
    pub id: String,
    pub output: std::pin::Pin<Box<dyn futures_util::Stream<Item = (bool, bytes::Bytes)> + Send>>,
}

/// `sh -c command` inside container `container` (`docker exec`).
pub async fn exec_in(
    engine: &Engine,
    container: &str,
    command: &str,
) -> Result<ContainerExec, DockerError> {
    use bollard::container::LogOutput;
    use bollard::exec::StartExecResults;
    use futures_util::StreamExt;
    let config = bollard::models::ExecConfig {
        cmd: Some(vec!["sh".into(), "-c".into(), command.into()]),
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
        id: created.id,
        output: Box::pin(output),
    })
}

/// A shell on a TTY inside a container (`docker exec -it sh`): its exec id, what it shows,
/// and where to type.
pub struct ContainerTty {
    pub id: String,
    pub output: std::pin::Pin<Box<dyn futures_util::Stream<Item = (bool, bytes::Bytes)> + Send>>,
    pub input: std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>,
}

pub async fn exec_tty(engine: &Engine, container: &str) -> Result<ContainerTty, DockerError> {
    use bollard::exec::{StartExecOptions, StartExecResults};
    use futures_util::StreamExt;
    let config = bollard::models::ExecConfig {
        cmd: Some(vec!["sh".into(), "-i".into()]),
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(true),
        env: Some(vec!["TERM=xterm-256color".into()]),
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
