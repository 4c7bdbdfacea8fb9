//! Replays every input the fuzzer saved as a crasher (`tests/fuzz_crashers/<target>/`) through
//! the harness function of its target: none may panic or hang. Passes when the folders are
//! empty or missing.

use super::support::repo_path;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

/// Stack of the thread each input runs on: generous, so only unbounded recursion fails.
const STACK: usize = 256 << 20;
/// How long one input may take before it counts as a hang.
const LIMIT: Duration = Duration::from_secs(60);

/// A harness function: one target of the fuzzer.
type Target = fn(&[u8]);

/// The saved inputs of one target, sorted; the folder's README and dotfiles are not inputs.
fn inputs(target: &str) -> Vec<std::path::PathBuf> {
    let dir = repo_path(&format!("tests/fuzz_crashers/{target}"));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.') && name != "README.md"
        })
        .collect();
    files.sort();
    files
}

/// Run `f` on `data` on its own thread; `Err` names a panic or a hang.
fn replay(f: Target, data: Vec<u8>) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let out = catch_unwind(AssertUnwindSafe(|| f(&data))).map_err(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into())
            });
            let _ = tx.send(out);
        })
        .expect("spawn a replay thread");
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(msg)) => Err(format!("panicked: {msg}")),
        Err(_) => Err(format!("did not finish in {} s", LIMIT.as_secs())),
    }
}

#[test]
fn saved_fuzz_crashers_no_longer_crash() {
    let targets: [(&str, Target); 3] = [
        ("parse", wmd::fuzz_harness::parse),
        ("check", wmd::fuzz_harness::check),
        ("run", wmd::fuzz_harness::run),
    ];
    let mut failures = Vec::new();
    for (target, f) in targets {
        for path in inputs(target) {
            let data = std::fs::read(&path).expect("read a crasher");
            if let Err(why) = replay(f, data) {
                failures.push(format!("{}: {why}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_panicking_input_is_reported_with_its_message() {
    let err = replay(|_| panic!("boom"), Vec::new()).unwrap_err();
    assert!(err.contains("boom"), "{err}");
    assert_eq!(replay(|_| (), Vec::new()), Ok(()));
}
