//! The reference manual, from one source: every kind (from [`crate::kinds::REGISTRY`]), every
//! builtin (from [`crate::eval::table::all_rows`]), every stdlib function (from the comments
//! above it in `stdlib/*.wmd`) and every statement form of the grammar ([`statements`]). `wmd
//! doc NAME` prints one entry, `wmd doc` lists them, `wmd doc --markdown` writes
//! docs/reference.md, and the REPL's `:help NAME` shows the same text, so a name documented in
//! one place is documented in all of them.
//!
//! Every entry carries an example that is a whole script: the lines of the shared example
//! context ([`examples`]) that it reads, then the example itself. A test holds every example to
//! `wmd check`.

mod builtins;
mod catalog;
mod entry;
pub mod examples;
mod kinds;
mod markdown;
pub mod statements;
mod stdlib;
mod text;

pub use catalog::{entries, keywords, lookup};
pub use entry::{Entry, Group, Item};
pub use markdown::markdown;
pub use text::{entry_text, index_text};
