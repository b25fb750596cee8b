//! The official toolkit's multi-letter short flags (`-er`, `-rf`, `-ni`, …), which clap cannot
//! declare: rewritten to their long names before parsing, so scripts written for the official
//! CLI keep working. Only where a flag can stand: not as the value of an option
//! (`--description -dm`), not after `--`, and not inside a command `exec` runs
//! (`agentcore exec grep -er x /mnt`), which the command tree tells apart.

use std::ffi::OsString;

use crate::cli::Cli;

/// Each toolkit short flag and the long flag it stands for.
const FLAGS: &[(&str, &str)] = &[
    ("-er", "--execution-role"),
    ("-rf", "--requirements-file"),
    ("-ni", "--non-interactive"),
    ("-ac", "--authorizer-config"),
    ("-rha", "--request-header-allowlist"),
    ("-do", "--disable-otel"),
    ("-dm", "--disable-memory"),
    ("-env", "--env"),
    ("-ecr", "--ecr"),
    ("-dt", "--deployment-type"),
    ("-lb", "--local-build"),
    ("-frd", "--force-rebuild-deps"),
    ("-bt", "--bearer-token"),
];

fn long_of(arg: &OsString) -> Option<&'static str> {
    let s = arg.to_str()?;
    FLAGS.iter().find(|(short, _)| *short == s).map(|(_, l)| *l)
}

/// `args` (the program's name first) with the toolkit's short flags made long.
pub fn rewrite_args<I: IntoIterator<Item = OsString>>(args: I) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    // Most command lines have none: then the tree is not built (start-up time).
    if !args.iter().any(|a| long_of(a).is_some()) {
        return args;
    }
    let mut tree = Cli::whole_command();
    tree.build();
    let mut at = Position::new(&tree);
    for a in args.iter_mut().skip(1) {
        let long = long_of(a).filter(|_| at.flag_may_stand());
        let text = long.or(a.to_str());
        at.step(text);
        if let Some(long) = long {
            *a = long.into();
        }
    }
    args
}

/// Where in the command line the walk is: which (sub)command's flags apply, and whether the
/// next word is an option's value or literal text.
struct Position<'a> {
    cmd: &'a clap::Command,
    value_next: bool,
    literal: bool,
    positional_seen: bool,
}

impl<'a> Position<'a> {
    fn new(cmd: &'a clap::Command) -> Self {
        Position {
            cmd,
            value_next: false,
            literal: false,
            positional_seen: false,
        }
    }

    fn flag_may_stand(&self) -> bool {
        !self.value_next && !self.literal
    }

    /// Takes one word (`None`: not text, so neither a flag nor a subcommand's name).
    fn step(&mut self, word: Option<&str>) {
        if std::mem::take(&mut self.value_next) || self.literal {
            return;
        }
        let Some(w) = word else {
            return self.positional();
        };
        if w == "--" {
            self.literal = true;
        } else if let Some(name) = w.strip_prefix("--") {
            // `--name=value` carries its value; `--name value` takes the next word.
            if !name.contains('=') {
                self.value_next = self.takes_value(|a| a.get_long() == Some(name));
            }
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-a name`, or a cluster whose last flag takes the next word (`-qa name`).
            let last = shorts.chars().last();
            let sole_or_last = shorts
                .chars()
                .all(|c| !self.takes_value(|a| a.get_short() == Some(c)) || Some(c) == last);
            self.value_next = sole_or_last && self.takes_value(|a| a.get_short() == last);
        } else if let Some(sub) = self
            .cmd
            .find_subcommand(w)
            .filter(|_| !self.positional_seen)
        {
            *self = Position::new(sub);
        } else {
            self.positional();
        }
    }

    /// A positional word: past a trailing list (`exec`'s command), all is literal.
    fn positional(&mut self) {
        self.positional_seen = true;
        self.literal = (self.cmd.get_positionals()).any(|a| a.is_trailing_var_arg_set());
    }

    fn takes_value(&self, which: impl Fn(&clap::Arg) -> bool) -> bool {
        (self.cmd.get_arguments())
            .find(|a| which(a))
            .is_some_and(|a| a.get_action().takes_values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(args: &[&str]) -> Vec<String> {
        let args = std::iter::once("agentcore").chain(args.iter().copied());
        rewrite_args(args.map(OsString::from))
            .into_iter()
            .skip(1)
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn toolkit_flags_become_long_where_a_flag_can_stand() {
        assert_eq!(
            rewritten(&["configure", "-ni", "-e", "agent.py", "-er", "arn:x", "-dm"]),
            [
                "configure",
                "--non-interactive",
                "-e",
                "agent.py",
                "--execution-role",
                "arn:x",
                "--disable-memory"
            ]
        );
        assert_eq!(
            rewritten(&["-a", "-dm", "invoke", "{}", "-bt", "tok"]),
            ["-a", "-dm", "invoke", "{}", "--bearer-token", "tok"],
            "an option's value is not a flag, even a global option's"
        );
        assert_eq!(
            rewritten(&["--region=-dm", "configure", "-ni"]),
            ["--region=-dm", "configure", "--non-interactive"]
        );
    }

    #[test]
    fn a_command_exec_runs_and_what_follows_dashdash_are_left_as_they_are() {
        assert_eq!(
            rewritten(&["exec", "grep", "-er", "x", "/mnt"]),
            ["exec", "grep", "-er", "x", "/mnt"]
        );
        assert_eq!(
            rewritten(&["exec", "--timeout", "5", "--", "ls", "-lb"]),
            ["exec", "--timeout", "5", "--", "ls", "-lb"]
        );
        assert_eq!(rewritten(&["status"]), ["status"]);
    }
}
