//! Every example runs (at a reduced scale where the full one is slow); its summary and results
//! are snapshots. The Marchenko–Pastur example also runs at full scale, where its KS distance
//! must come out below 0.02.

use super::support::{repo_path, rounded, run_script};

/// Reduced sizes for the test suite; `wmd run` uses the full ones.
fn scale(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "marchenko_pastur.wmd" => &[("M", "400"), ("N", "200"), ("draws", "4")],
        "wigner_semicircle.wmd" => &[("n", "100"), ("draws", "4")],
        "mp_edges_sweep.wmd" => &[("M", "200")],
        "dyson_harmonic.wmd" => &[("N", "6"), ("runs", "200")],
        "linear_scaling.wmd" => &[("runs", "100"), ("steps", "3000")],
        "linear_scaling_sqrt_noise.wmd" => &[("runs", "100"), ("steps", "3000")],
        "coulomb_gas_rbm.wmd" => &[("runs", "400"), ("steps", "8000")],
        "sde_weight_row.wmd" => &[("runs", "200")],
        "fp_rbm_mode.wmd" => &[("cells", "300")],
        "fp_ou_2d.wmd" => &[("cells", "50")],
        "fp_rotating_2d.wmd" => &[("cells", "48")],
        "callan_symanzik.wmd" => &[("cells", "400")],
        "rbm_pcd.wmd" => &[
            ("runs", "8"),
            ("steps", "3000"),
            ("lr", "0.1"),
            ("gas_runs", "100"),
        ],
        "phase_diagram.wmd" => &[("runs", "2"), ("steps", "400")],
        "deep_linear_correlators.wmd" => &[("draws", "4000")],
        "nngp_kernel.wmd" => &[("draws", "4000")],
        "eigenlearning.wmd" => &[("draws", "20"), ("N", "200")],
        "bayesian_equilibrium.wmd" => &[
            ("runs", "8"),
            ("burn", "2000"),
            ("gap", "200"),
            ("samples", "5"),
            ("wide", "20"),
        ],
        "linear_scaling_sgd.wmd" => &[
            ("runs", "6"),
            ("time", "4"),
            ("samples", "1000"),
            ("gas_runs", "50"),
        ],
        _ => &[],
    }
}

#[test]
fn every_example_runs_and_matches_its_snapshot() {
    insta::glob!("../../examples", "*.wmd", |path| {
        let file = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = run_script(&format!("examples/{file}"), &text, scale(file), None)
            .unwrap_or_else(|e| panic!("{file}:\n{e}"));
        let summary = wmd::output::summary(&outcome);
        let results = rounded(&wmd::output::results_json(&outcome));
        insta::assert_snapshot!("summary", summary);
        insta::assert_yaml_snapshot!("results", results);
        let figures =
            wmd::output::drawn_figures(&outcome).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!figures.is_empty(), "{file} draws no figure");
        let titles: Vec<String> = (figures.iter())
            .map(|(f, svg)| {
                assert!(
                    svg.starts_with("<svg") && svg.ends_with("</svg>\n"),
                    "{file}: {}",
                    f.name
                );
                format!("{}  ({})", f.name, f.title)
            })
            .collect();
        insta::assert_snapshot!("figures", titles.join("\n"));
    });
}

#[test]
fn marchenko_pastur_at_full_scale_has_ks_below_0_02() {
    let text = std::fs::read_to_string(repo_path("examples/marchenko_pastur.wmd")).unwrap();
    let outcome = run_script("examples/marchenko_pastur.wmd", &text, &[], None).unwrap();
    let mp = &outcome.reports.iter().find(|(n, _)| n == "mp").unwrap().1;
    let Some(wmd::ir::value::Value::Num(ks)) = mp.field("ks") else {
        panic!("no ks")
    };
    assert!(*ks < 0.02, "KS distance {ks}");
    assert!(
        outcome.expects.iter().all(|e| e.passed),
        "{:?}",
        outcome.expects
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let text = std::fs::read_to_string(repo_path("examples/marchenko_pastur.wmd")).unwrap();
    let sets = scale("marchenko_pastur.wmd");
    let one = run_script("mp", &text, sets, Some(1)).unwrap();
    let two = run_script("mp", &text, sets, Some(2)).unwrap();
    assert_eq!(
        wmd::output::results_json(&one),
        wmd::output::results_json(&two)
    );
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let text = std::fs::read_to_string(repo_path("examples/marchenko_pastur.wmd")).unwrap();
    let sets = scale("marchenko_pastur.wmd");
    let a = run_script("mp", &text, sets, None).unwrap();
    let mut sources = wmd::span::Sources::new();
    let owned: Vec<(String, String)> = sets
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let opts = wmd::RunOptions {
        seed: 7,
        ..Default::default()
    };
    let b = wmd::run_source(&mut sources, "mp", &text, &owned, &opts).unwrap();
    assert_ne!(wmd::output::results_json(&a), wmd::output::results_json(&b));
}
