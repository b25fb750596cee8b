//! A client of dev's interactive shells (`/ws/shells`), speaking the service's frames:
//! channel 0 typed, 1 shown, 3 status, 4 window size, 0xFF close.

use serde_json::Value;

use super::Dev;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Agent `agent`'s shell `kept-shell` in `session`, over the service's WebSocket.
pub async fn open_shell(dev: &Dev, agent: &str, session: &str) -> Ws {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!(
        "{}/runtimes/{agent}/ws/shells?qualifier=DEFAULT&shellId=kept-shell",
        dev.url.replace("http://", "ws://")
    );
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert(super::SESSION_HEADER, session.parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

pub fn framed(channel: u8, payload: &[u8]) -> bytes::Bytes {
    let mut b = vec![channel];
    b.extend_from_slice(payload);
    b.into()
}

/// The next frame on `ws`, as its channel and payload, within 10 s.
pub async fn next_frame(ws: &mut Ws) -> (u8, Vec<u8>) {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a frame within 10 s");
        match m {
            Some(Ok(Message::Binary(b))) if !b.is_empty() => return (b[0], b[1..].to_vec()),
            Some(Ok(_)) => {}
            other => panic!("the shell's connection ended: {other:?}"),
        }
    }
}

/// The next status message (channel 3), skipping what the terminal shows.
pub async fn status_of(ws: &mut Ws) -> Value {
    loop {
        let (channel, payload) = next_frame(ws).await;
        if channel == 3 {
            return serde_json::from_slice(&payload).unwrap();
        }
    }
}

/// Types `line` into the shell, then reads what the terminal shows until it holds `until`.
pub async fn type_line(ws: &mut Ws, line: &str, until: &str) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let typed = Message::Binary(framed(0, line.as_bytes()));
    ws.send(typed).await.unwrap();
    shown_until(ws, until).await;
}

/// Reads what the terminal shows until it holds `text`.
pub async fn shown_until(ws: &mut Ws, text: &str) {
    let mut shown = String::new();
    while !shown.contains(text) {
        let (channel, payload) = next_frame(ws).await;
        assert_eq!(channel, 1, "before {text:?}: {shown}");
        shown.push_str(&String::from_utf8_lossy(&payload));
    }
}

/// Closes the shell as a client that is done with it does (channel 0xFF).
pub async fn close_shell(ws: &mut Ws) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    ws.send(Message::Binary(framed(0xFF, b""))).await.unwrap();
}
