//! HTTP agents (the default, and AG-UI's transport): port 8080, `POST /invocations` and
//! `GET /ping`, sessions keyed by the runtime session header, errors in the service's
//! rest-json shape (`x-amzn-ErrorType` and `{"message"}`), the agent's failures as 424.

use axum::response::{IntoResponse, Response};

use crate::emulator::errors::ServiceError;

pub fn error_response(e: ServiceError) -> Response {
    e.into_response()
}
