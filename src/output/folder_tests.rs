//! The output folder as one set: replaced whole, only if wmd's own, checked before the run.

use super::*;

fn set(results: &str) -> Vec<(PathBuf, Vec<u8>)> {
    vec![
        (PathBuf::from(results), b"r\n".to_vec()),
        (PathBuf::from("manifest.yaml"), b"m\n".to_vec()),
    ]
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_new_folder_appears_whole_with_the_usual_modes() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("a/b/out");
    let staging = Staging::prepare(&out).unwrap();
    assert!(
        !out.exists(),
        "nothing at the destination before the commit"
    );
    staging.commit(&set("results.yaml")).unwrap();
    assert_eq!(names(&out), ["manifest.yaml", "results.yaml"]);
    assert_eq!(
        names(&root.path().join("a/b")),
        ["out"],
        "no temporary folder left"
    );
    // The modes of a plain file and folder made here (0644 and 0755 under umask 022).
    let (file, dir) = (root.path().join("plain"), root.path().join("plain_dir"));
    fs::write(&file, "").unwrap();
    fs::create_dir(&dir).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out.join("results.yaml")), mode(&file));
    assert_eq!(mode(&out), mode(&dir));
}

#[test]
fn a_second_run_replaces_the_set_and_stale_files_go() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    Staging::prepare(&out)
        .unwrap()
        .commit(&set("results.yaml"))
        .unwrap();
    Staging::prepare(&out)
        .unwrap()
        .commit(&set("results.json"))
        .unwrap();
    assert_eq!(names(&out), ["manifest.yaml", "results.json"]);
    assert_eq!(names(root.path()), ["out"], "no folder left aside");
}

#[test]
fn an_abandoned_run_leaves_nothing() {
    let root = tempfile::tempdir().unwrap();
    drop(Staging::prepare(&root.path().join("x/y/out")).unwrap());
    assert!(names(root.path()).is_empty(), "{:?}", names(root.path()));
    let out = root.path().join("out");
    Staging::prepare(&out)
        .unwrap()
        .commit(&set("results.yaml"))
        .unwrap();
    drop(Staging::prepare(&out).unwrap());
    assert_eq!(names(root.path()), ["out"]);
    assert_eq!(names(&out), ["manifest.yaml", "results.yaml"]);
}

#[test]
fn a_folder_that_is_not_wmds_is_refused_and_untouched() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    fs::create_dir_all(out.join("manifest.yaml")).unwrap();
    fs::write(out.join("results.yaml"), "old").unwrap();
    let e = Staging::prepare(&out).err().unwrap();
    assert!(
        e.message
            .contains("holds `manifest.yaml` (a folder), which wmd does not write"),
        "{e}"
    );
    fs::remove_dir(out.join("manifest.yaml")).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    fs::write(out.join("a.txt"), "mine").unwrap();
    let e = Staging::prepare(&out).err().unwrap();
    assert!(
        e.message.contains("`a.txt` (a file)") && e.message.contains("1 more"),
        "{e}"
    );
    assert!(e.help.unwrap().contains("choose another --out"));
    assert_eq!(names(&out), ["a.txt", "notes.txt", "results.yaml"]);
    assert_eq!(names(root.path()), ["out"]);
}

#[test]
fn a_file_or_a_path_under_a_file_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("f");
    fs::write(&file, "x").unwrap();
    let e = Staging::prepare(&file).err().unwrap();
    assert!(e.message.contains("is a file, not a folder"), "{e}");
    let e = Staging::prepare(&file.join("sub/out")).err().unwrap();
    assert!(e.message.contains("f is a file, not a folder"), "{e}");
    assert_eq!(names(root.path()), ["f"]);
}

#[test]
fn a_file_that_appears_during_the_run_stops_the_swap_and_keeps_the_results() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    fs::create_dir(&out).unwrap();
    let staging = Staging::prepare(&out).unwrap();
    fs::write(out.join("later.txt"), "mine").unwrap();
    let e = staging.commit(&set("results.yaml")).err().unwrap();
    assert!(e.message.contains("`later.txt`") && e.message.contains("the results are in"));
    let kept: Vec<String> = names(root.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept[1].starts_with("out.tmp-"), "{kept:?}");
    assert_eq!(
        names(&root.path().join(&kept[1])),
        ["manifest.yaml", "results.yaml"]
    );
}

#[test]
fn output_paths_stay_inside_the_folder() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let files = vec![(PathBuf::from("../escape"), b"x".to_vec())];
    assert!(Staging::prepare(&out).unwrap().commit(&files).is_err());
    assert!(names(root.path()).is_empty());
    let nested = vec![(PathBuf::from("arrays/a.bin"), b"x".to_vec())];
    Staging::prepare(&out).unwrap().commit(&nested).unwrap();
    assert_eq!(names(&out.join("arrays")), ["a.bin"]);
}

/// Under root every folder is writable, so the read-only case is only seen by other users.
#[test]
fn a_read_only_folder_is_refused_before_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let ro = root.path().join("ro");
    fs::create_dir(&ro).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(ro.join("probe"), "").is_ok() {
        return; // root: permissions are not enforced
    }
    let e = Staging::prepare(&ro.join("out")).err().unwrap();
    assert!(e.message.contains("cannot create a folder beside"), "{e}");
    let e = Staging::prepare(&ro).err().unwrap();
    assert!(e.message.contains("is not writable"), "{e}");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
}
