//! The `wmd` binary: exit codes and outputs.

use std::process::Command;

fn wmd(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wmd"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn temp_script(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn exit_codes() {
    let (dir, ok) = temp_script(
        "ok.wmd",
        "let x = 2\nreport r { y = x^2 }\nexpect r.y == 4 within 1e-12\n",
    );
    let out = dir.path().join("out");
    let o = wmd(&["run", &ok, "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.join("results.yaml").exists() && out.join("manifest.yaml").exists());
    let o = wmd(&["run", &ok, "--set", "x=3", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "a failed expect exits 3");
    let o = wmd(&["run", &ok, "--set", "nope=3"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown --set is a usage error"
    );
    let o = wmd(&["run", "does/not/exist.wmd"]);
    assert_eq!(o.status.code(), Some(2));
    let o = wmd(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn errors_exit_1_and_write_nothing() {
    let (dir, bad) = temp_script("bad.wmd", "let v = [1, 2]\nreport r { w = v[5] }\n");
    let out = dir.path().join("out");
    let o = wmd(&["run", &bad, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wmd::run::index") && err.contains("no output written"),
        "{err}"
    );
    assert!(!out.exists(), "no output folder after an error");
    let o = wmd(&["check", "tests/cases/check/unknown_field.wmd"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `steps`?"));
}

#[test]
fn json_results_and_the_manifest_record_defaults() {
    let (dir, ok) = temp_script(
        "h.wmd",
        "let x = [0.1, 0.2, 0.3, 0.9]\nreport r { h = histogram(x, bins = 2) }\n",
    );
    let out = dir.path().join("o");
    let o = wmd(&[
        "run",
        &ok,
        "--format",
        "json",
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(
        results["reports"]["r"]["h"]["counts"],
        serde_json::json!([3, 1])
    );
    let manifest = std::fs::read_to_string(out.join("manifest.yaml")).unwrap();
    assert!(
        manifest.contains("seed: 5")
            && manifest.contains("histogram.range")
            && manifest.contains("script_sha256"),
        "{manifest}"
    );
}

#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    // `wmd check bad.wmd 2>&1 | head -1`: the reader goes away before the diagnostic is
    // written. The exit code stays 1 (script error), not 101 (panic).
    use std::process::Stdio;
    let (_dir, bad) = temp_script("bad.wmd", "let x = y\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wmd"))
        .args(["check", &bad])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// `--timings` prints one line per job with its kind, name and wall time; without it, none.
#[test]
fn timings_name_every_job() {
    let text = "fokker_planck heat {
    domain x in (0, 1) cells 40
    drift(x) = 0
    diffusion = 0.1
    init(x) = 1 + x
    until = 0.1
}
report r { m = heat.mass }
";
    let (dir, script) = temp_script("t.wmd", text);
    let out = dir.path().join("o");
    let o = wmd(&["run", &script, "--timings", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("time  fokker_planck heat  "))
        .unwrap_or_else(|| panic!("no timing line in {stdout}"));
    let ms: f64 = line.split_whitespace().nth(3).unwrap().parse().unwrap();
    assert!(ms >= 0.0 && line.ends_with(" ms"), "{line}");
    let o = wmd(&["run", &script, "--out", out.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("time  "));
}
