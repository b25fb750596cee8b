//! Flag types that several commands take: durations, the agent protocol, the log format.
//! Each command's own flags live in its module; only what is shared by more than one is here.

use std::time::Duration;

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum Protocol {
    Http,
    Mcp,
    A2a,
    Agui,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Mcp => "MCP",
            Protocol::A2a => "A2A",
            Protocol::Agui => "AGUI",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The longest duration a flag takes: enough for any session, small enough that adding it to
/// a clock never overflows.
const MAX_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);

/// A duration flag: seconds (`90`, `0.5`) or a number with a unit (`500ms`, `30s`, `15m`,
/// `1h`). Checked while parsing, so `inf`, `-1` or `NaN` are usage errors, not panics later.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let seconds = seconds_of(text)?;
    if seconds <= 0.0 {
        return Err("must be more than zero".into());
    }
    bounded(seconds)
}

/// [`parse_duration`] that also takes zero (`0`, `0s`): for delays one may switch off.
pub fn parse_delay(text: &str) -> Result<Duration, String> {
    let seconds = seconds_of(text)?;
    if seconds < 0.0 {
        return Err("must not be negative".into());
    }
    bounded(seconds)
}

/// The port of a running `agentcore dev`, for the commands that call it with `--local`: 1 to
/// 65535. Port 0 is only for `dev` itself (it picks a free one), so here it is a usage error
/// that says which port to give, rather than a connection refused later.
pub fn parse_dev_port(text: &str) -> Result<u16, String> {
    match text.trim().parse::<u16>() {
        Ok(0) => Err("port 0 names no emulator: give the port `agentcore dev` printed".into()),
        Ok(port) => Ok(port),
        Err(_) => Err("expected a port number from 1 to 65535".into()),
    }
}

fn bounded(seconds: f64) -> Result<Duration, String> {
    if seconds > MAX_DURATION.as_secs_f64() {
        return Err("must be at most 366 days".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn seconds_of(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let expected =
        || "expected a number of seconds (90, 0.5) or a number with a unit (500ms, 30s, 15m, 1h)";
    if number.trim().is_empty() {
        return Err(expected().into());
    }
    let scale = match unit {
        "" | "s" => 1.0,
        "ms" => 1e-3,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => {
            return Err(format!(
                "unknown unit {unit:?}: use ms, s, m or h (e.g. 500ms, 15m)"
            ));
        }
    };
    let value: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| expected().to_string())?;
    Ok(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dev_port_is_one_a_client_can_reach() {
        assert_eq!(parse_dev_port("8080"), Ok(8080));
        assert!(parse_dev_port("0").unwrap_err().contains("agentcore dev"));
        assert!(parse_dev_port("65536").is_err());
        assert!(parse_dev_port("http").is_err());
    }

    #[test]
    fn delays_may_be_zero() {
        assert_eq!(parse_delay("0"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("3s"), Ok(Duration::from_secs(3)));
        assert!(parse_delay("0x").is_err());
        assert!(parse_delay("-1").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in [
            "inf",
            "-1",
            "0",
            "NaN",
            "",
            "1e999",
            "10d",
            "1x",
            "-inf",
            "99999999999",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
