//! "Did you mean" suggestions by edit distance.

/// The closest candidate within a distance that scales with the word's length (the first
/// in alphabetical order of those equally close).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(word, candidates).first().copied()
}

/// Every candidate at the smallest edit distance within the limit, in alphabetical order.
fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    let best = scored.first().map(|s| s.0);
    scored
        .into_iter()
        .take_while(|s| Some(s.0) == best)
        .map(|s| s.1)
        .collect()
}

/// `Some("did you mean `x`?")` when a close candidate exists; equally close ones are all
/// named (up to three: `sd` → "did you mean `sgd` or `std`?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let near = nearest(word, candidates);
    let named: Vec<String> = near.iter().take(3).map(|c| format!("`{c}`")).collect();
    match named.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// "`a`, `b`, `c`"
pub fn code_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|m| format!("`{}`", m.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equally_close_candidates_are_all_named() {
        let names = ["std", "sgd", "mean", "sort"];
        assert_eq!(
            did_you_mean("sd", names).as_deref(),
            Some("did you mean `sgd` or `std`?")
        );
        assert_eq!(
            did_you_mean("maen", names).as_deref(),
            Some("did you mean `mean`?")
        );
        assert_eq!(did_you_mean("zzzz", names), None);
        assert_eq!(closest("sd", names), Some("sgd"));
    }
}
