//! Every entry of the reference, and the entry of a name.

use super::entry::Entry;
use super::{builtins, kinds, statements, stdlib};

/// Every entry: statements, kinds, builtins, stdlib functions, in that order.
pub fn entries() -> Vec<Entry> {
    let mut all = statements::entries();
    all.extend(kinds::entries());
    all.extend(builtins::entries());
    all.extend(stdlib::entries());
    all
}

/// The entry of `name` (or of an alias: `rmt.marchenko_pastur`, `stop when`); when there is
/// none, an error that says so and names the closest entries.
pub fn lookup(name: &str) -> Result<Entry, String> {
    let name = name.trim();
    let all = entries();
    if let Some(e) = all.iter().find(|e| e.name == name) {
        return Ok(e.clone());
    }
    if let Some(e) = all.iter().find(|e| e.aliases.iter().any(|a| a == name)) {
        return Ok(e.clone());
    }
    let names = all
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(String::as_str);
    let hint = crate::check::did_you_mean(name, names)
        .map(|h| format!("; {h}"))
        .unwrap_or_default();
    Err(format!(
        "no kind, builtin, stdlib function or statement called `{name}`{hint} (`wmd doc` lists them all)"
    ))
}

/// The words the grammar reserves or reads as keywords, from the statement forms that use
/// them (`let`, `within`, `cells`, …): what an editor highlights as keywords.
pub fn keywords() -> Vec<&'static str> {
    let mut all: Vec<&str> = statements::FORMS
        .iter()
        .flat_map(|f| f.keywords.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Group;

    #[test]
    fn names_and_aliases_find_entries_and_a_typo_gets_a_suggestion() {
        assert_eq!(lookup("sweep").map(|e| e.group), Ok(Group::Statement));
        assert_eq!(lookup("ensemble").map(|e| e.group), Ok(Group::Kind));
        assert_eq!(lookup("sqrt").map(|e| e.group), Ok(Group::Builtin));
        let mp = lookup("rmt.marchenko_pastur").map(|e| e.name);
        assert_eq!(mp.as_deref(), Ok("marchenko_pastur"));
        assert_eq!(lookup("stop when").map(|e| e.name).as_deref(), Ok("stop"));
        let err = lookup("semicirle").unwrap_err();
        assert!(err.contains("did you mean `semicircle`?"), "{err}");
        assert!(lookup("").is_err());
    }

    #[test]
    fn every_name_is_one_entry() {
        let all = entries();
        for e in &all {
            let same = all.iter().filter(|o| o.name == e.name).count();
            assert_eq!(same, 1, "{} has {same} entries", e.name);
        }
    }
}
