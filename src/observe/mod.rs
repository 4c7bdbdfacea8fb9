//! Observables: histograms, Kolmogorov–Smirnov distances, tabulated densities, statistics,
//! level spacings and fits.

pub mod density;
pub mod fit;
pub mod histogram;
pub mod ks;
pub mod spacing;
pub mod special;
pub mod stats;
