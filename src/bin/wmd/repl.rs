//! `wmd repl`: definitions persist across inputs, blocks may span lines (continued at a
//! `...> ` prompt), errors are shown and the session goes on. It calls the same library
//! stages as `wmd run`. Ctrl-C during a computation stops it and keeps the session; Ctrl-C at
//! the prompt clears the line (or the open block); Ctrl-D leaves.

use crate::{err, errln, out, outln};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::sync::atomic::Ordering;
use wmd::repl::{Reply, Session};

/// The prompt of a new input.
const PROMPT: &str = "wmd> ";
/// The prompt of a line that continues an open block.
const CONTINUE: &str = "...> ";

/// The editor's helper: it owns the session, so completion always sees the definitions as
/// they stand after the last input.
struct WmdHelper {
    session: Session,
}

impl Completer for WmdHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, names) = self.session.complete(line, pos);
        let hits = names
            .into_iter()
            .map(|n| Pair {
                display: n.clone(),
                replacement: n,
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
impl Validator for WmdHelper {}

type WmdEditor = Editor<WmdHelper, rustyline::history::DefaultHistory>;

fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".wmd_history"))
}

/// What reading one input gave.
enum Read {
    Input(String),
    /// Ctrl-C: the line or the open block is dropped.
    Cleared,
    Quit,
}

/// Read one input: a line, and while it leaves a block open, the lines that continue it.
fn read_input(editor: &mut WmdEditor) -> Read {
    let mut text = String::new();
    loop {
        let prompt = if text.is_empty() { PROMPT } else { CONTINUE };
        match editor.readline(prompt) {
            Ok(line) => {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&line);
                let command = text.trim_start().starts_with(':');
                if command || !wmd::syntax::is_incomplete(&text) {
                    return Read::Input(text);
                }
            }
            Err(ReadlineError::Interrupted) => return Read::Cleared,
            Err(ReadlineError::Eof) => return Read::Quit,
            Err(e) => {
                errln!("error: {e}");
                return Read::Quit;
            }
        }
    }
}

/// Make Ctrl-C during a computation raise the session's interrupt flag (at the prompt the
/// editor reads Ctrl-C as a key instead).
fn install_interrupt(session: &Session) {
    let flag = session.options.interrupt.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
        errln!("warning: Ctrl-C will not interrupt computations: {e}");
    }
}

pub fn repl() -> u8 {
    let mut editor: WmdEditor = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            errln!("error: cannot start the REPL: {e}");
            return 2;
        }
    };
    let session = Session::new();
    install_interrupt(&session);
    editor.set_helper(Some(WmdHelper { session }));
    if let Some(p) = history_path() {
        let _ = editor.load_history(&p);
    }
    outln!(
        "wmd {} — :help for help, :quit to leave",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        let line = match read_input(&mut editor) {
            Read::Input(line) => line,
            Read::Cleared => continue,
            Read::Quit => break,
        };
        if line.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(line.as_str());
        let Some(helper) = editor.helper_mut() else {
            break;
        };
        match helper.session.input(&line) {
            Reply::Quit => break,
            Reply::Text(t) => out!("{t}"),
            Reply::Error(t) => err!("{t}"),
        }
    }
    if let Some(p) = history_path() {
        let _ = editor.save_history(&p);
    }
    0
}
