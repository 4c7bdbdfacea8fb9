//! `wmd repl`: definitions persist across inputs, blocks may span lines, errors are shown and
//! the session goes on. It calls the same library stages as `wmd run`.

use crate::{err, errln, out, outln};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};
use wmd::repl::{Reply, Session};

struct WmdHelper {
    names: Vec<String>,
}

impl Completer for WmdHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let start = line[..pos]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let word = &line[start..pos];
        let hits = self
            .names
            .iter()
            .filter(|n| !word.is_empty() && n.starts_with(word))
            .map(|n| Pair {
                display: n.clone(),
                replacement: n.clone(),
            })
            .collect();
        Ok((start, hits))
    }
}

impl Hinter for WmdHelper {
    type Hint = String;
}
impl Highlighter for WmdHelper {}
impl Helper for WmdHelper {}

impl Validator for WmdHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if !input.trim_start().starts_with(':') && wmd::syntax::is_incomplete(input) {
            return Ok(ValidationResult::Incomplete);
        }
        Ok(ValidationResult::Valid(None))
    }
}

fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".wmd_history"))
}

pub fn repl() -> u8 {
    let mut editor: Editor<WmdHelper, rustyline::history::DefaultHistory> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            errln!("error: cannot start the REPL: {e}");
            return 2;
        }
    };
    let mut session = Session::new();
    editor.set_helper(Some(WmdHelper {
        names: session.completions(),
    }));
    if let Some(p) = history_path() {
        let _ = editor.load_history(&p);
    }
    outln!(
        "wmd {} — :help for help, :quit to leave",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        match editor.readline("wmd> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                match session.input(&line) {
                    Reply::Quit => break,
                    Reply::Text(t) => out!("{t}"),
                    Reply::Error(t) => err!("{t}"),
                }
                if let Some(h) = editor.helper_mut() {
                    h.names = session.completions();
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                errln!("error: {e}");
                break;
            }
        }
    }
    if let Some(p) = history_path() {
        let _ = editor.save_history(&p);
    }
    0
}
