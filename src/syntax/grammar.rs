//! The parser pest derives from `grammar/wmd.pest`, and the one question every tree walk asks
//! of its nodes.

use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/wmd.pest"]
pub(crate) struct WmdParser;

/// True for the keyword tokens that the grammar keeps in the tree.
pub(crate) fn is_kw(p: &Pair<Rule>) -> bool {
    format!("{:?}", p.as_rule()).starts_with("kw_")
}
