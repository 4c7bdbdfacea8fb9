//! The standard library: `stdlib/*.wmd`, written in wmd and compiled into the binary.

/// Module name and source text.
pub const MODULES: &[(&str, &str)] = &[
    ("rmt", include_str!("../stdlib/rmt.wmd")),
    ("lattice", include_str!("../stdlib/lattice.wmd")),
    ("fieldtheory", include_str!("../stdlib/fieldtheory.wmd")),
];

pub fn source(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The module that defines `name` (a cheap textual scan, used only for error hints).
pub fn module_defining(name: &str) -> Option<&'static str> {
    let fn_pat = format!("fn {name}(");
    let let_pat = format!("let {name} ");
    MODULES
        .iter()
        .find(|(_, src)| {
            src.lines()
                .any(|l| l.starts_with(&fn_pat) || l.starts_with(&let_pat))
        })
        .map(|(n, _)| *n)
}
