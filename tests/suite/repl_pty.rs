//! The REPL as a person uses it: the built `wmd repl` in a pseudo-terminal (rexpect), with
//! the line editor live. Each test starts its own REPL with HOME in a temporary folder (so no
//! history is written to the real one), NO_COLOR set and ANSI escapes stripped from what is
//! read; every wait has a generous timeout.

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::process::Command;
use std::time::Duration;

/// Every expected output must appear within this long.
const TIMEOUT_MS: u64 = 30_000;

/// A REPL in a pseudo-terminal, and the temporary HOME it writes its history to.
fn repl() -> (PtySession, tempfile::TempDir) {
    let home = tempfile::tempdir().expect("temporary HOME");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wmd"));
    cmd.arg("repl")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let options = Options {
        timeout_ms: Some(TIMEOUT_MS),
        strip_ansi_escape_codes: true,
    };
    let mut p = spawn_with_options(cmd, options).expect("spawn wmd repl");
    p.exp_string("wmd> ").expect("first prompt");
    (p, home)
}

/// Send one line and wait for `reply`, then for the next prompt.
fn enter(p: &mut PtySession, line: &str, reply: &str) {
    p.send_line(line).expect("send");
    p.exp_string(reply)
        .unwrap_or_else(|e| panic!("after `{line}`, waiting for `{reply}`: {e}"));
    p.exp_string("wmd> ").expect("prompt");
}

/// Leave with Ctrl-D and wait for the process to end.
fn quit(mut p: PtySession) {
    p.send_control('d').expect("Ctrl-D");
    p.exp_eof().expect("the REPL ends on Ctrl-D");
}

#[test]
fn a_definition_persists_and_a_redefinition_replaces_it() {
    let (mut p, _home) = repl();
    enter(&mut p, "let a = 2", "defined a");
    enter(&mut p, "let b = a * 1000 + 7", "defined b");
    enter(&mut p, "b", "2007");
    enter(&mut p, "let a = 3", "redefined a");
    enter(&mut p, "b", "3007");
    quit(p);
}

#[test]
fn ctrl_c_interrupts_a_computation_and_keeps_the_session() {
    let (mut p, _home) = repl();
    enter(&mut p, "let keep = 41", "defined keep");
    enter(
        &mut p,
        "coulomb_gas slow { eigenvalues = 200; drift(x, i) = -x; init = uniform(-1, 1); dt = 0.0001; steps = 10000000 }",
        "defined slow",
    );
    p.send_line("slow.mean").expect("send");
    std::thread::sleep(Duration::from_millis(1000));
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("interrupted")
        .expect("the run stops on Ctrl-C");
    p.exp_string("wmd> ").expect("prompt");
    enter(&mut p, "keep + 1", "42");
    // Ctrl-C at the prompt clears the line and the session goes on
    p.send("let junk = ").expect("send");
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("wmd> ").expect("prompt after a cleared line");
    enter(&mut p, "keep * 2", "82");
    quit(p);
}

#[test]
fn an_open_block_continues_and_tab_completes_fields() {
    let (mut p, _home) = repl();
    p.send_line("report r {").expect("send");
    p.exp_string("...> ").expect("continuation prompt");
    p.send_line("  alpha_one = 1234").expect("send");
    p.exp_string("...> ").expect("continuation prompt");
    enter(&mut p, "}", "alpha_one");
    p.send("r.alp\t").expect("send");
    enter(&mut p, " + 1", "1235");
    enter(
        &mut p,
        "coulomb_gas g { eigenvalues = 13; drift(x, i) = -x; init = uniform(-1, 1); dt = 0.001; steps = 20 }",
        "defined g",
    );
    enter(&mut p, "g.dt * 1000", "1");
    p.send("cols(g.fin\t").expect("send");
    enter(&mut p, ")", "13");
    quit(p);
}
