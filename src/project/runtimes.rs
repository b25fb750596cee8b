//! The managed runtimes direct code deployment runs, with the service's published deprecation
//! and block dates ("Supported language runtimes and deprecation policy" in the AgentCore
//! developer guide): after its deprecation date a runtime still deploys; from its block date
//! the service refuses to create or update a runtime with it. A deploy checks here before any
//! AWS call; when the project does not pin a Python, it targets the newest one not deprecated.

use chrono::NaiveDate;

/// One managed runtime of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedRuntime {
    /// `PYTHON_3_13`, as `CreateAgentRuntime` takes it.
    pub id: &'static str,
    /// `3.13`
    pub version: &'static str,
    deprecated: (i32, u32, u32),
    blocked: (i32, u32, u32),
}

/// The Python rows, newest first.
pub const PYTHON: &[ManagedRuntime] = &[
    py("PYTHON_3_14", "3.14", (2030, 6, 30), (2030, 8, 31)),
    py("PYTHON_3_13", "3.13", (2029, 6, 30), (2029, 8, 31)),
    py("PYTHON_3_12", "3.12", (2028, 10, 31), (2029, 1, 10)),
    py("PYTHON_3_11", "3.11", (2026, 6, 30), (2026, 8, 31)),
    py("PYTHON_3_10", "3.10", (2026, 6, 30), (2026, 8, 31)),
];

/// The Node.js rows, newest first.
pub const NODE: &[ManagedRuntime] = &[py("NODE_22", "22", (2027, 4, 30), (2027, 7, 1))];

/// A row of either table, by its id (`NODE_22`, `PYTHON_3_13`).
pub fn by_id(id: &str) -> Option<&'static ManagedRuntime> {
    PYTHON.iter().chain(NODE).find(|r| r.id == id)
}

const fn py(
    id: &'static str,
    version: &'static str,
    deprecated: (i32, u32, u32),
    blocked: (i32, u32, u32),
) -> ManagedRuntime {
    ManagedRuntime {
        id,
        version,
        deprecated,
        blocked,
    }
}

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in the table")
}

/// Where a runtime stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Supported,
    /// Deploys still; blocked from `blocked`.
    Deprecated {
        blocked: NaiveDate,
    },
    /// The service refuses to create or update with it since `since`.
    Blocked {
        since: NaiveDate,
    },
    /// Not a runtime the service offers.
    Unknown,
}

impl ManagedRuntime {
    pub fn standing(&self, today: NaiveDate) -> Standing {
        let blocked = date(self.blocked);
        if today >= blocked {
            Standing::Blocked { since: blocked }
        } else if today >= date(self.deprecated) {
            Standing::Deprecated { blocked }
        } else {
            Standing::Supported
        }
    }
}

/// The row for a Python version (`3.12`).
pub fn python(version: &str) -> Option<&'static ManagedRuntime> {
    PYTHON.iter().find(|r| r.version == version)
}

/// The standing of a Python version on `today`.
pub fn standing(version: &str, today: NaiveDate) -> Standing {
    python(version).map_or(Standing::Unknown, |r| r.standing(today))
}

/// The newest Python runtime that is neither deprecated nor blocked on `today` and that
/// `requires` (a `requires-python` specifier, when the project has one) allows; failing that,
/// the newest one not blocked.
pub fn newest_python(today: NaiveDate, requires: Option<&str>) -> &'static ManagedRuntime {
    let allowed = |r: &&ManagedRuntime| requires.is_none_or(|spec| allows(spec, r.version));
    PYTHON
        .iter()
        .filter(allowed)
        .find(|r| r.standing(today) == Standing::Supported)
        .or_else(|| {
            PYTHON
                .iter()
                .filter(allowed)
                .find(|r| !matches!(r.standing(today), Standing::Blocked { .. }))
        })
        .unwrap_or(&PYTHON[0])
}

/// Whether a PEP 440 `requires-python` specifier (`>=3.10,<3.13`) allows `3.MINOR`. Clauses
/// it cannot read allow everything: the deploy's dependency resolution judges those.
pub fn allows(spec: &str, version: &str) -> bool {
    let minor = |v: &str| -> Option<u32> {
        let mut parts = v.trim().trim_end_matches(".*").split('.');
        (parts.next()? == "3").then_some(())?;
        parts.next()?.parse().ok()
    };
    let Some(m) = minor(version) else {
        return false;
    };
    spec.split(',').all(|clause| {
        let clause = clause.trim();
        let op_len = clause
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(clause.len());
        let (op, v) = clause.split_at(op_len);
        let Some(bound) = minor(v) else {
            return true;
        };
        match op.trim() {
            ">=" | "~=" => m >= bound,
            ">" => m > bound,
            "<=" => m <= bound,
            "<" => m < bound,
            "==" => m == bound,
            "!=" => m != bound,
            _ => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_table_decides_on_the_day() {
        assert_eq!(standing("3.11", day(2026, 6, 1)), Standing::Supported);
        assert_eq!(
            standing("3.11", day(2026, 7, 1)),
            Standing::Deprecated {
                blocked: day(2026, 8, 31)
            }
        );
        assert_eq!(
            standing("3.10", day(2026, 12, 4)),
            Standing::Blocked {
                since: day(2026, 8, 31)
            }
        );
        assert_eq!(standing("3.12", day(2026, 12, 4)), Standing::Supported);
        assert_eq!(standing("3.9", day(2026, 12, 4)), Standing::Unknown);
    }

    #[test]
    fn the_newest_allowed_runtime_is_chosen() {
        let today = day(2026, 12, 4);
        assert_eq!(newest_python(today, None).id, "PYTHON_3_14");
        assert_eq!(newest_python(today, Some(">=3.10,<3.13")).id, "PYTHON_3_12");
        assert_eq!(newest_python(today, Some("~=3.12")).id, "PYTHON_3_14");
        assert_eq!(newest_python(today, Some("==3.13.*")).id, "PYTHON_3_13");
        // Everything it allows is deprecated: the newest that still deploys.
        assert_eq!(
            newest_python(day(2029, 7, 1), Some("<3.14")).id,
            "PYTHON_3_13"
        );
    }

    #[test]
    fn specifiers_are_read_clause_by_clause() {
        assert!(allows(">=3.10", "3.14"));
        assert!(!allows(">=3.10, <3.12", "3.12"));
        assert!(allows("<=3.12", "3.12"));
        assert!(!allows(">3.12", "3.12"));
        assert!(allows("!=3.11", "3.12"));
        assert!(allows("whatever", "3.12"));
    }
}
