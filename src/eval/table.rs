//! The whole table of builtins: the evaluator's own ([`super::rows::ROWS`]) and those of the
//! kinds (the constructors of networks, data sets and optimizers, the observables of networks:
//! [`crate::kinds::KIND_ROWS`]). A leaf: the checker's signatures, `:help` and the call of a
//! builtin read it; nothing the kinds import does, so the kinds may build on the evaluator.

use super::args::Args;
use super::error::{Result, RunError};
use super::kernel::Row;
use super::state::{Draw, Evaluator};
use crate::builtins::Builtin;
use crate::diag::ErrorCode;
use crate::ir::value::Value;
use crate::span::Span;

/// Every row: the evaluator's table, the linear algebra's, the infinite-width kernels', then
/// the kinds'.
pub fn all_rows() -> impl Iterator<Item = &'static Row> {
    let kinds = crate::kinds::KIND_ROWS.iter().flat_map(|t| t.iter());
    (super::rows::ROWS.iter())
        .chain(super::linalg_rows::ROWS)
        .chain(super::correlator_rows::ROWS)
        .chain(super::gp_rows::ROWS)
        .chain(super::nngp_rows::ROWS)
        .chain(kinds)
}

/// The signature of every builtin: what the checker resolves names to.
pub fn signatures() -> Vec<&'static Builtin> {
    all_rows().map(|r| &r.sig).collect()
}

/// The row of a signature (found by identity: plans only hold those).
pub fn row_of(b: &Builtin) -> Option<&'static Row> {
    all_rows().find(|r| std::ptr::eq(&r.sig, b))
}

/// Call a builtin on its argument values (`None` = the parameter's default was not given).
pub fn apply(
    ev: &Evaluator,
    b: &'static Builtin,
    a: Args,
    span: Span,
    draw: &Draw,
) -> Result<Value> {
    let Some(row) = row_of(b) else {
        return Err(RunError::new(
            span,
            format!("internal error: `{}` is not in the builtin table", b.name),
        )
        .code(ErrorCode::RunInternal));
    };
    super::rows::apply(ev, row, a, span, draw)
}

#[cfg(test)]
mod tests {
    use super::super::kernel::Kernel;
    use super::super::rows::ROWS;
    use super::{all_rows, row_of, signatures};

    #[test]
    fn every_builtin_is_one_row_found_by_its_signature() {
        for (i, r) in all_rows().enumerate() {
            let same = all_rows().filter(|o| o.sig.name == r.sig.name).count();
            assert_eq!(same, 1, "{} has {same} rows", r.sig.name);
            assert!(std::ptr::eq(row_of(signatures()[i]).unwrap(), r));
            let arity = match r.run {
                Kernel::Map(_) => 1,
                Kernel::Map2(_) => 2,
                Kernel::Map3(_) => 3,
                _ => r.sig.params.len(),
            };
            assert_eq!(r.sig.params.len(), arity, "{}", r.sig.name);
        }
        assert!(ROWS.len() >= 60, "{} rows", ROWS.len());
    }
}
