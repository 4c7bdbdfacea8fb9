//! One home per kind. Each kind is one module that declares its [`KindSchema`] (fields with
//! their types, defaults and choices; the names it binds in its block), reads its block into
//! the backend's typed config, and runs it; [`REGISTRY`] lists them. The checker holds blocks
//! against [`schemas`], lowering reads each schema's form, the evaluator dispatches through
//! [`runner`], and `:help` and `wmd kinds` print the same table, so adding a kind is one module
//! and one line of [`REGISTRY`].

pub mod characteristics;
pub mod coulomb_gas;
pub mod data;
mod domain;
pub mod ensemble;
pub mod fields;
pub mod fokker_planck;
pub mod kernels;
mod kind;
pub mod network;
pub mod network_draw;
mod network_obs;
pub mod observe;
pub mod optimizer;
pub mod pde;
mod plot;
pub mod reference;
pub mod sde;
#[cfg(test)]
mod toy;
pub mod train;
mod train_run;

use crate::schema::KindSchema;
pub use kind::{Kind, Realize, Runner};

/// Every kind of this version of wmd, in the order `:help` lists them.
pub static REGISTRY: &[&Kind] = &[
    &ensemble::KIND,
    &coulomb_gas::KIND,
    &sde::KIND,
    &fokker_planck::KIND,
    &characteristics::KIND,
    &pde::KIND,
    &network::KIND,
    &data::KIND,
    &optimizer::KIND,
    &kernels::KIND,
    &train::KIND,
    #[cfg(test)]
    &toy::KIND,
];

/// The builtins that belong to kinds: the constructors of networks, data sets and optimizers,
/// and the observables of networks (after the evaluator's own table).
pub static KIND_ROWS: &[&[crate::eval::kernel::Row]] = &[
    network::ROWS,
    data::ROWS,
    optimizer::ROWS,
    kernels::ROWS,
    network_obs::ROWS,
    plot::ROWS,
];

/// The schemas of every kind: what the checker holds declarations against.
pub fn schemas() -> Vec<&'static KindSchema> {
    REGISTRY.iter().map(|k| k.schema).collect()
}

/// The kind of a schema (found by the schema's identity, never by its name).
fn kind_of(schema: &KindSchema) -> Option<&'static Kind> {
    REGISTRY
        .iter()
        .copied()
        .find(|k| std::ptr::eq(k.schema, schema))
}

/// The runner of a block kind.
pub fn runner(schema: &KindSchema) -> Option<Runner> {
    kind_of(schema).and_then(|k| k.run)
}

/// The realizer of a per-draw kind.
pub fn realizer(schema: &KindSchema) -> Option<Realize> {
    kind_of(schema).and_then(|k| k.realize)
}

#[cfg(test)]
mod tests {
    use crate::schema::Form;

    #[test]
    fn every_block_kind_has_a_runner_and_every_name_is_one_kind() {
        for k in super::REGISTRY {
            let block = k.schema.form == Form::Block;
            assert_eq!(k.run.is_some(), block, "{}", k.schema.name);
            assert_eq!(k.realize.is_some(), k.schema.per_draw, "{}", k.schema.name);
            assert!(super::runner(k.schema).is_some() == block);
            let same = super::REGISTRY
                .iter()
                .filter(|o| o.schema.name == k.schema.name);
            assert_eq!(same.count(), 1, "{}", k.schema.name);
        }
    }
}
