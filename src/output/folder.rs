//! The output folder as one set. A run's files (results, manifest, and whatever joins them)
//! are written into a temporary folder beside the destination, `<out>.tmp-XXXXXX`, which then
//! takes the destination's place: the old folder is renamed aside, the new one renamed in and
//! the old one removed. A reader sees the old set or the new set, never a mix (between the
//! two renames, for an instant, no folder at all), and files of an earlier run that this run
//! does not write (`results.yaml` after a `--format json` run) are gone.
//!
//! The destination is checked and the temporary folder created *before* the run
//! ([`Staging::prepare`]), so an `--out` that cannot be written costs no computation. A folder
//! is only ever replaced if it is wmd's own: it holds nothing but [`OWN_ENTRIES`]. Files and
//! folders are created with the usual modes (0666 and 0777 less the umask).

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// What wmd writes at the top of an output folder, besides [`OWN_FOLDERS`]. A folder holding
/// anything else (another file, a folder, a link) is not wmd's own, and is never moved or
/// deleted.
pub const OWN_ENTRIES: &[&str] = &[
    "results.yaml",
    "results.json",
    "results.csv",
    "manifest.yaml",
    "manifest.json",
    "manifest.csv",
    "report.html",
];

/// The folders wmd writes inside an output folder, and the one kind of file each holds: the
/// `.npy` files of large arrays ([`super::arrays`]) and the `.svg` figures.
pub const OWN_FOLDERS: &[(&str, &str)] =
    &[(super::arrays::ARRAYS_DIR, ".npy"), ("figures", ".svg")];

/// Why an output folder was refused or could not be written.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputError {
    pub message: String,
    pub help: Option<String>,
}

impl OutputError {
    fn new(message: impl Into<String>) -> Self {
        OutputError {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// An output folder staged for one run: the destination resolved and checked, the temporary
/// folder beside it created. Dropped without [`Staging::commit`] (a script error, Ctrl-C), it
/// removes the temporary folder and any parent folders it created, leaving nothing behind.
pub struct Staging {
    /// The destination as given, for messages.
    shown: PathBuf,
    /// The destination, absolute, links resolved.
    dest: PathBuf,
    tmp: Option<tempfile::TempDir>,
    /// Parent folders created for the destination, outermost first.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Check that `dest` can become the output folder and create the temporary folder beside
    /// it. Refused: a file, a folder that is not wmd's own, the current folder or one above
    /// it, a folder that cannot be written, a path under a file.
    pub fn prepare(dest: &Path) -> Result<Staging, OutputError> {
        use io::ErrorKind::{NotADirectory, NotFound};
        let shown = dest.to_path_buf();
        let (real, created) = match fs::symlink_metadata(dest) {
            Ok(_) => (existing_destination(dest)?, Vec::new()),
            Err(e) if matches!(e.kind(), NotFound | NotADirectory) => new_destination(dest)?,
            Err(e) => return Err(cannot(dest, "read", &e)),
        };
        let mut staging = Staging {
            shown,
            dest: real,
            tmp: None,
            created,
        };
        let (parent, name) = staging.parent_and_name()?;
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{name}.tmp-"))
            .tempdir_in(&parent)
            .map_err(|e| {
                OutputError::new(format!(
                    "cannot create a folder beside --out {} (in {}): {e}",
                    staging.shown.display(),
                    parent.display()
                ))
                .help("wmd writes a run into a new folder beside --out, then moves it into place; choose an --out in a folder you can write")
            })?;
        staging.tmp = Some(tmp);
        Ok(staging)
    }

    /// The temporary folder the run's files go into.
    pub fn path(&self) -> &Path {
        self.tmp.as_ref().map_or(&self.dest, |t| t.path())
    }

    /// Write `files` (paths relative to the folder) and move the set into place. On failure
    /// after the files are written, the temporary folder is kept and named in the error, so
    /// the run's results are not lost.
    pub fn commit(mut self, files: &[(PathBuf, Vec<u8>)]) -> Result<(), OutputError> {
        for (rel, bytes) in files {
            write_file(self.path(), rel, bytes)
                .map_err(|e| OutputError::new(format!("cannot write {}: {e}", rel.display())))?;
        }
        let swapped = self.swap();
        let tmp = self.tmp.take().map(|t| t.keep());
        self.created.clear();
        swapped.map_err(|e| match tmp {
            Some(t) if t.exists() => {
                OutputError::new(format!("{}; the results are in {}", e.message, t.display()))
            }
            _ => e,
        })
    }

    /// Move the written temporary folder to the destination, replacing an earlier one.
    fn swap(&self) -> Result<(), OutputError> {
        let tmp = self.path();
        let (parent, name) = self.parent_and_name()?;
        let fail = |what: &str, e: io::Error| {
            OutputError::new(format!("cannot {what} {}: {e}", self.shown.display()))
        };
        if fs::symlink_metadata(&self.dest).is_err() {
            fs::rename(tmp, &self.dest).map_err(|e| fail("create", e))?;
            sync_folder(&parent);
            return Ok(());
        }
        // Someone may have put a file into the folder during the run.
        check_own(&self.dest, &self.shown)?;
        let suffix = tmp.file_name().map(|n| n.to_string_lossy().into_owned());
        let suffix = suffix
            .as_deref()
            .and_then(|n| n.rsplit_once(".tmp-"))
            .map(|x| x.1);
        let aside = parent.join(format!("{name}.old-{}", suffix.unwrap_or("wmd")));
        fs::rename(&self.dest, &aside).map_err(|e| fail("move aside", e))?;
        if let Err(e) = fs::rename(tmp, &self.dest) {
            let _ = fs::rename(&aside, &self.dest);
            return Err(fail("replace", e));
        }
        fs::remove_dir_all(&aside).map_err(|e| {
            OutputError::new(format!(
                "wrote {}, but cannot remove the earlier run's folder {}: {e}",
                self.shown.display(),
                aside.display()
            ))
        })?;
        sync_folder(&parent);
        Ok(())
    }

    fn parent_and_name(&self) -> Result<(PathBuf, String), OutputError> {
        match (self.dest.parent(), self.dest.file_name()) {
            (Some(p), Some(n)) => Ok((p.to_path_buf(), n.to_string_lossy().into_owned())),
            _ => Err(not_a_folder_name(&self.shown)),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        drop(self.tmp.take());
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// An existing destination: a folder of wmd's own, writable, not the current folder or above.
fn existing_destination(dest: &Path) -> Result<PathBuf, OutputError> {
    let real = fs::canonicalize(dest).map_err(|e| cannot(dest, "resolve", &e))?;
    if !real.is_dir() {
        return Err(
            OutputError::new(format!("--out {} is a file, not a folder", dest.display()))
                .help("give a folder for the results, e.g. --out out"),
        );
    }
    let cwd = std::env::current_dir().and_then(fs::canonicalize);
    if cwd.is_ok_and(|c| c.starts_with(&real)) || real.parent().is_none() {
        return Err(OutputError::new(format!(
            "--out {} is the current folder or a folder above it",
            dest.display()
        ))
        .help(
            "wmd replaces its output folder as a whole; give a folder of its own, e.g. --out out",
        ));
    }
    check_own(&real, dest)?;
    tempfile::Builder::new()
        .prefix(".wmd-probe-")
        .tempfile_in(&real)
        .map_err(|e| {
            OutputError::new(format!("--out {} is not writable: {e}", dest.display()))
                .help("choose another --out")
        })?;
    Ok(real)
}

/// A destination that does not exist yet: its parent folders are created (and recorded, to be
/// removed again if the run writes nothing).
fn new_destination(dest: &Path) -> Result<(PathBuf, Vec<PathBuf>), OutputError> {
    let name = match dest.components().next_back() {
        Some(Component::Normal(n)) => n.to_os_string(),
        _ => return Err(not_a_folder_name(dest)),
    };
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let created = create_parents(parent, dest)?;
    let real = fs::canonicalize(parent).map_err(|e| cannot(parent, "resolve", &e))?;
    Ok((real.join(name), created))
}

/// Create `dir` and the folders above it that are missing; the ones created, outermost first.
fn create_parents(dir: &Path, dest: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let mut missing = Vec::new();
    let mut at = dir;
    while fs::symlink_metadata(at).is_err() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => break,
        }
    }
    if fs::symlink_metadata(at).is_ok() && !at.is_dir() {
        return Err(OutputError::new(format!(
            "--out {}: {} is a file, not a folder",
            dest.display(),
            at.display()
        ))
        .help("choose another --out"));
    }
    let mut created = Vec::new();
    for d in missing.into_iter().rev() {
        if let Err(e) = fs::create_dir(&d) {
            for c in created.iter().rev() {
                let _ = fs::remove_dir(c);
            }
            return Err(cannot(&d, "create", &e).help("choose another --out"));
        }
        created.push(d);
    }
    Ok(created)
}

/// Refuse a folder holding anything but [`OWN_ENTRIES`] as plain files.
fn check_own(dir: &Path, shown: &Path) -> Result<(), OutputError> {
    let entries = fs::read_dir(dir).map_err(|e| cannot(shown, "read", &e))?;
    let mut foreign: Vec<(String, &str)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| cannot(shown, "read", &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = match entry.file_type() {
            Ok(t) if t.is_file() && OWN_ENTRIES.contains(&name.as_str()) => continue,
            Ok(t) if t.is_dir() && own_folder(&name, &entry.path()) => continue,
            Ok(t) if t.is_dir() => "a folder",
            Ok(t) if t.is_symlink() => "a link",
            _ => "a file",
        };
        foreign.push((name, kind));
    }
    foreign.sort();
    match foreign.first() {
        None => Ok(()),
        Some((name, kind)) => Err(OutputError::new(format!(
            "--out {} holds `{name}` ({kind}), which wmd does not write{}",
            shown.display(),
            match foreign.len() {
                1 => String::new(),
                n => format!(", and {} more", n - 1),
            }
        ))
        .help(format!(
            "wmd replaces its output folder as a whole, so it only replaces a folder holding \
             nothing but {}, an arrays/ folder of .npy files and a figures/ folder of .svg \
             files; choose another --out, e.g. a new folder",
            OWN_ENTRIES.join(", ")
        ))),
    }
}

/// Whether `name` is one of [`OWN_FOLDERS`] and holds nothing but its plain files.
fn own_folder(name: &str, dir: &Path) -> bool {
    let Some(&(_, ext)) = OWN_FOLDERS.iter().find(|(n, _)| *n == name) else {
        return false;
    };
    only_files_ending(dir, ext)
}

/// Whether a folder holds nothing but plain files whose names end in `ext`.
fn only_files_ending(dir: &Path, ext: &str) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.is_ok_and(|e| {
            let plain = e.file_type().is_ok_and(|t| t.is_file());
            plain && e.file_name().to_string_lossy().ends_with(ext)
        })
    })
}

/// Write one file of the set, creating its folders; `rel` must stay inside the folder.
fn write_file(dir: &Path, rel: &Path, bytes: &[u8]) -> io::Result<()> {
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an output path must be relative, without `..`",
        ));
    }
    let path = dir.join(rel);
    if let Some(p) = path.parent() {
        fs::create_dir_all(p)?;
    }
    let mut file = fs::File::create(&path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Make the renames in `dir` durable (best effort: not every file system syncs folders).
fn sync_folder(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

fn cannot(path: &Path, what: &str, e: &io::Error) -> OutputError {
    OutputError::new(format!("cannot {what} {}: {e}", path.display()))
}

fn not_a_folder_name(dest: &Path) -> OutputError {
    OutputError::new(format!("--out {} does not name a folder", dest.display()))
        .help("give a folder for the results, e.g. --out out")
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
