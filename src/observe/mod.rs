//! Observables: histograms, Kolmogorov–Smirnov distances, tabulated densities, statistics.

pub mod density;
pub mod histogram;
pub mod ks;
pub mod stats;
