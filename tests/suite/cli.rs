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
    assert!(String::from_utf8_lossy(&o.stderr).contains("wmd::usage::set"));
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
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"seed\": 5")
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
    // a job inside a sweep is timed at every point, named by it
    let swept = text.replace("diffusion = 0.1", "diffusion = d")
        + "let d = 0.1\nsweep s over d in [0.1, 0.2] { m = heat.mass }\n";
    let (dir, script) = temp_script("s.wmd", &swept);
    let out = dir.path().join("o");
    let o = wmd(&["run", &script, "--timings", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    for p in 0..2 {
        let want = format!("time  fokker_planck heat[point {p}]  ");
        assert!(stdout.contains(&want), "no {want:?} in {stdout}");
    }
}

/// Run `wmd` in `dir` under umask 022 (so the modes of what it writes are known).
fn wmd_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut line = String::from("umask 022; exec \"$0\"");
    for i in 1..=args.len() {
        line.push_str(&format!(" \"${i}\""));
    }
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .arg(env!("CARGO_BIN_EXE_wmd"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A YAML run then a JSON run: the second set replaces the first whole (no stale
/// results.yaml), with the usual modes (0644 files, 0755 folder under umask 022).
#[test]
fn the_output_folder_is_replaced_as_one_set() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, ok) = temp_script("ok.wmd", "report r { y = 2 }\n");
    let o = wmd_in(dir.path(), &["run", &ok, "--out", "out"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = dir.path().join("out");
    assert_eq!(
        names(&out),
        ["manifest.yaml", "report.html", "results.yaml"]
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out.join("results.yaml")), 0o644);
    assert_eq!(mode(&out.join("manifest.yaml")), 0o644);
    assert_eq!(mode(&out), 0o755);
    let o = wmd_in(
        dir.path(),
        &["run", &ok, "--out", "out", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("wrote out/results.json, out/manifest.json and out/report.html"));
    assert_eq!(
        names(&out),
        ["manifest.json", "report.html", "results.json"]
    );
    assert_eq!(
        names(dir.path()),
        ["ok.wmd", "out"],
        "nothing left beside out"
    );
}

/// A folder holding anything wmd does not write is refused before running (exit 2), and left
/// as it was: here a `manifest.yaml` that is a folder, then a file of the user's.
#[test]
fn a_folder_that_is_not_wmds_is_refused_before_running() {
    let (dir, ok) = temp_script("ok.wmd", "report r { y = 2 }\n");
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("manifest.yaml")).unwrap();
    std::fs::write(out.join("results.yaml"), "old").unwrap();
    let o = wmd_in(dir.path(), &["run", &ok, "--out", "out"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("holds `manifest.yaml` (a folder), which wmd does not write"),
        "{err}"
    );
    assert!(err.contains("choose another --out"), "{err}");
    assert!(o.stdout.is_empty(), "nothing ran");
    assert_eq!(
        std::fs::read_to_string(out.join("results.yaml")).unwrap(),
        "old"
    );
    std::fs::remove_dir(out.join("manifest.yaml")).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = wmd_in(dir.path(), &["run", &ok, "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`notes.txt`"));
    assert_eq!(names(&out), ["notes.txt", "results.yaml"]);
    assert_eq!(names(dir.path()), ["ok.wmd", "out"]);
}

/// `--out .` (and `..`) would replace the folder wmd runs in: refused, nothing touched, even
/// when that folder is empty.
#[test]
fn the_current_folder_is_never_the_output_folder() {
    let (dir, ok) = temp_script("ok.wmd", "report r { y = 2 }\n");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for out in [".", "..", "./", "../empty"] {
        let o = wmd_in(&empty, &["run", &ok, "--out", out]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(
            err.contains("current folder or a folder above it"),
            "--out {out}: {err}"
        );
    }
    assert!(names(&empty).is_empty());
    assert_eq!(names(dir.path()), ["empty", "ok.wmd"]);
}

/// An `--out` that cannot be written is a usage error before anything runs: a path under a
/// regular file, a file, and (for users other than root) a read-only folder.
#[test]
fn an_unwritable_out_is_refused_before_running() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, ok) = temp_script("ok.wmd", "report r { y = 2 }\n");
    for (out, says) in [
        ("ok.wmd/out", "ok.wmd is a file, not a folder"),
        ("ok.wmd", "is a file, not a folder"),
    ] {
        let o = wmd_in(dir.path(), &["run", &ok, "--out", out]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(err.contains(says), "--out {out}: {err}");
        assert!(o.stdout.is_empty(), "--out {out}: nothing ran");
    }
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), "").is_err() {
        let o = wmd_in(dir.path(), &["run", &ok, "--out", "ro/out"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("cannot create a folder beside"));
        assert!(o.stdout.is_empty());
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&ok).unwrap(),
        "report r { y = 2 }\n"
    );
}

/// A `--set` value that does not parse is a usage error like any other bad option.
#[test]
fn a_set_value_that_does_not_parse_exits_2() {
    let (dir, ok) = temp_script("ok.wmd", "let x = 2\nreport r { y = x }\n");
    let o = wmd_in(dir.path(), &["run", &ok, "--set", "x=(1 +", "--out", "out"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("wmd::usage::set_value") && err.contains("--set x: the value does not parse"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

/// Ctrl-C (SIGINT) during a long run: "interrupted", exit 130, nothing written.
#[test]
fn ctrl_c_exits_130_and_writes_nothing() {
    use std::io::BufRead;
    use std::process::Stdio;
    let text = "fokker_planck slow {
    domain x in (0, 1) cells 200
    drift(x) = -x
    diffusion = 0.1
    init(x) = 1
    dt = 1e-4
    until = 5e3
}
report r { m = slow.mass }
";
    let (dir, script) = temp_script("slow.wmd", text);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wmd"))
        .args(["run", &script, "--out", "out"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The header is printed once the Ctrl-C handler is installed.
    let mut header = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut header)
        .unwrap();
    assert!(header.starts_with("wmd run "), "{header}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && !err.contains("numerical failure"),
        "{err}"
    );
    assert_eq!(
        names(dir.path()),
        ["slow.wmd"],
        "no output folder, no temporary folder"
    );
}

/// Every backend that can be stopped reports an interruption as `wmd::run::interrupted`
/// (not as a numerical failure).
#[test]
fn an_interruption_is_its_own_diagnostic() {
    let jobs = [
        "fokker_planck j { domain x in (0, 1) cells 10\n drift(x) = 0\n diffusion = 1\n init(x) = 1\n until = 1 }\nreport r { m = j.mass }",
        "sde j { drift(x, t) = -x\n diffusion(x, t) = 1\n init = 0\n dt = 0.01\n steps = 10 }\nreport r { m = j.final }",
        "coulomb_gas j { eigenvalues = 2\n drift(x, i) = -x\n noise(i) = 1\n dt = 0.001\n steps = 10\n init = [0, 1] }\nreport r { m = j.final }",
        "pde j { domain x in (0, 1) cells 10\n dt(u) = dxx(u)\n init = 0\n until = 1 }\nreport r { m = j.final }",
    ];
    for text in jobs {
        let mut sources = wmd::span::Sources::new();
        let opts = wmd::RunOptions::default();
        opts.interrupt
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let d = wmd::run_source(&mut sources, "i.wmd", text, &[], &opts).unwrap_err();
        assert_eq!(
            d.0[0].code,
            "wmd::run::interrupted",
            "{text}: {}",
            d.render(&sources, false)
        );
        assert_eq!(d.0[0].message, "interrupted", "{text}");
    }
}

/// A matrix of more than 10 000 entries is written whole as `arrays/NAME.npy` (float64, C
/// order) and referenced from the results tree by path and shape: a 128 × 128 matrix of
/// k/7 reads back bit for bit. The folder with its `arrays/` is wmd's own (a second run
/// replaces it); a foreign file inside `arrays/` makes it not so.
#[test]
fn large_arrays_are_written_whole_as_npy() {
    let text = "report r { big = reshape([k / 7 for k in 0..16384], 128)\n small = [1, 2] }\n";
    let (dir, script) = temp_script("a.wmd", text);
    let out = dir.path().join("o");
    let args = [
        "run",
        &script,
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = wmd(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let tree: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let big = &tree["reports"]["r"]["big"];
    assert_eq!(big["npy"], "arrays/reports.r.big.npy", "{tree}");
    assert_eq!(big["shape"], serde_json::json!([128, 128]));
    assert_eq!(tree["reports"]["r"]["small"], serde_json::json!([1, 2]));
    let bytes = std::fs::read(out.join("arrays/reports.r.big.npy")).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), [128, 128]);
    assert_eq!(npy.order(), npyz::Order::C);
    let values: Vec<f64> = npy.into_vec().unwrap();
    let want: Vec<f64> = (0..16384).map(|k| k as f64 / 7.0).collect();
    assert!(values
        .iter()
        .zip(&want)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(
        wmd(&args).status.code(),
        Some(0),
        "a second run replaces the folder"
    );
    std::fs::write(out.join("arrays/notes.txt"), "mine").unwrap();
    let o = wmd(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds `arrays`"));
}

#[test]
fn doc_prints_an_entry_the_index_or_a_suggestion() {
    let o = wmd(&["doc", "semicircle"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("semicircle(radius = 2)") && text.contains("use rmt"),
        "{text}"
    );
    let o = wmd(&["doc", "stop", "when"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("stop when COND"));
    let o = wmd(&["doc"]);
    let index = String::from_utf8_lossy(&o.stdout);
    assert!(
        index.contains("Kinds:\n  ensemble") && index.contains("  sweep"),
        "{index}"
    );
    let o = wmd(&["doc", "histgram"]);
    assert_eq!(o.status.code(), Some(2), "an unknown name is a usage error");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `histogram`?"), "{err}");
    let o = wmd(&["doc", "--markdown"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# Reference"));
}

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let o = wmd(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        for cmd in ["run", "check", "repl", "kinds", "doc", "completions"] {
            assert!(script.contains(cmd), "{shell} completions lack `{cmd}`");
        }
    }
    let o = wmd(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}
