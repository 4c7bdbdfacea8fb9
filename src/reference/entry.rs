//! What a reference entry holds: its name and group, a one-line summary, its usage, its
//! parameters or fields with their defaults, notes, and an example script.

/// What an entry documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// A statement form or syntax of the grammar (`let`, `sweep`, `vs`, …).
    Statement,
    /// A kind of declaration (`ensemble`, `sde`, …).
    Kind,
    /// A builtin function, including the constructors of kinds.
    Builtin,
    /// A function of a stdlib module, written in wmd.
    Stdlib,
}

impl Group {
    /// Every group, in the order the index lists them.
    pub const ALL: [Group; 4] = [Group::Statement, Group::Kind, Group::Builtin, Group::Stdlib];

    /// The heading of the group in the index and the manual.
    pub fn title(self) -> &'static str {
        match self {
            Group::Statement => "Statements and syntax",
            Group::Kind => "Kinds",
            Group::Builtin => "Builtins",
            Group::Stdlib => "Stdlib functions",
        }
    }
}

/// One parameter or field of an entry: how it is written, its type or meaning, its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: String,
    pub meaning: String,
    pub default: String,
}

/// The reference entry of one name.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The name `wmd doc` takes: `ensemble`, `sqrt`, `marchenko_pastur`, `sweep`.
    pub name: String,
    /// Other names that find the entry: `rmt.marchenko_pastur`, `stop when`, `over`.
    pub aliases: Vec<String>,
    pub group: Group,
    /// One line: what it is.
    pub summary: String,
    /// How it is written: `histogram(x, bins = 40, range = …)`, `sde NAME { field = … }`.
    pub usage: String,
    /// Its parameters or fields, with their defaults.
    pub items: Vec<Item>,
    /// Further paragraphs: the mathematics, the constructors, the names bound in a block.
    pub notes: Vec<String>,
    /// A whole script that `wmd check` accepts.
    pub example: String,
}

/// The first sentence of a text, for one-line summaries: up to the first `. ` (a full stop
/// followed by a space) that does not end an abbreviation (`e.g.`, `i.e.`), or the whole text.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let ends = text.match_indices(". ").map(|(i, _)| i);
    let abbreviation = |i: usize| text[..i].ends_with("e.g") || text[..i].ends_with("i.e");
    match ends.into_iter().find(|&i| !abbreviation(i)) {
        Some(i) => text[..=i].to_string(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_summary_is_the_first_sentence() {
        assert_eq!(super::first_sentence("One. Two. "), "One.");
        assert_eq!(super::first_sentence("e.g. x. y"), "e.g. x.");
    }
}
