//! Figures, report.html and `--format csv`: what each kind of result is drawn as, with the
//! data it carries (not only that an SVG exists), and the files a run writes.

use super::support::run_script;
use wmd::output::figures::{figures, Plot, Role};

fn outcome(text: &str) -> wmd::ir::outcome::Outcome {
    run_script("figures.wmd", text, &[], Some(2)).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(
    figs: &'a [wmd::output::figures::Figure],
    name: &str,
) -> &'a wmd::output::figures::Figure {
    figs.iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no figure {name} in {:?}", names(figs)))
}

fn names(figs: &[wmd::output::figures::Figure]) -> Vec<&str> {
    figs.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn a_histogram_vs_a_law_is_bars_and_the_theory_density() {
    let o = outcome(
        "use rmt\nensemble W = gaussian(rows = 200, cols = 100, var = 1 / 200)\n\
         let x = eigvals(W' * W, draws = 2)\n\
         report mp { histogram(x, bins = 20) vs marchenko_pastur(r = 0.5)\n  m = mean(x) vs 1 }\n",
    );
    let figs = figures(&o);
    let f = find(&figs, "mp.histogram_vs_marchenko_pastur");
    assert_eq!(
        f.title,
        "histogram(x, bins = 20) vs marchenko_pastur(r = 0.5)"
    );
    let Plot::Histogram {
        edges,
        density,
        theory: Some(theory),
        xlabel,
    } = &f.plot
    else {
        panic!("{:?}", f.plot)
    };
    assert_eq!((edges.len(), density.len(), theory.len()), (21, 20, 20));
    assert_eq!(xlabel, "x");
    let mass: f64 = (edges.windows(2).zip(density))
        .map(|(w, d)| (w[1] - w[0]) * d)
        .sum();
    assert!((mass - 1.0).abs() < 1e-9, "the bars integrate to 1: {mass}");
    let Plot::Ratios { names, ratios } = &find(&figs, "mp.measured_vs_theory").plot else {
        panic!()
    };
    assert_eq!(names, &["m"]);
    assert!((ratios[0] - 1.0).abs() < 0.05, "{ratios:?}");
    let svg = f.svg().unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("marchenko_pastur(r = 0.5)"));
    assert!(svg.matches("<rect").count() >= 20, "one bar per bin");
}

#[test]
fn a_sweep_with_a_line_fit_draws_its_points_error_bars_and_the_line() {
    let o = outcome(
        "let a = 1\nsweep s over a in [1, 2, 3, 4] {\n  y = 2 * a + 1\n  y_error = 0.1 * a\n} \
         -> fit_line(a, y, sigma = y_error)\n",
    );
    let figs = figures(&o);
    let f = find(&figs, "sweep.s.summary");
    let Plot::Points {
        x,
        y,
        err: Some(err),
        line: Some((intercept, slope)),
        labels,
        ..
    } = &f.plot
    else {
        panic!("{:?}", f.plot)
    };
    assert_eq!(x, &[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(y, &[3.0, 5.0, 7.0, 9.0]);
    assert_eq!(err.len(), 4);
    assert!((slope - 2.0).abs() < 1e-9 && (intercept - 1.0).abs() < 1e-9);
    assert_eq!(labels, &("a".to_string(), "y".to_string()));
    assert!(f.svg().unwrap().contains("fit: 1 + 2·a"));
}

#[test]
fn a_sweep_over_one_name_without_a_summary_plots_each_quantity_against_it() {
    let o = outcome("let a = 1\nsweep s over a in [1, 2, 3] {\n  y = a^2\n  y_error = 0.1\n}\n");
    let figs = figures(&o);
    let Plot::Points { x, y, err, .. } = &find(&figs, "sweep.s.y").plot else {
        panic!()
    };
    assert_eq!((x.len(), y.as_slice()), (3, &[1.0, 4.0, 9.0][..]));
    assert_eq!(err.as_deref(), Some(&[0.1, 0.1, 0.1][..]));
    assert!(!names(&figs).contains(&"sweep.s.y_error"));
}

#[test]
fn a_phase_diagram_is_a_heat_map_labelled_by_the_script() {
    let o = outcome(
        "let lr = 1\nlet w = 1\nsweep p over lr in [1, 2], w in [1, 2, 3] {\n  T = lr / 4\n  \
         z = lr * w\n} -> { z: phase_diagram(x = w, y = T, z = z) }\n",
    );
    let figs = figures(&o);
    let f = find(&figs, "sweep.p.summary.z");
    let Plot::HeatMap { x, y, z, labels } = &f.plot else {
        panic!("{:?}", f.plot)
    };
    assert_eq!(
        (x.as_slice(), y.as_slice()),
        (&[1.0, 2.0, 3.0][..], &[0.25, 0.5][..])
    );
    assert_eq!(z, &vec![vec![1.0, 2.0, 3.0], vec![2.0, 4.0, 6.0]]);
    assert_eq!(labels, &("w".into(), "T".into(), "z".into()));
    let svg = f.svg().unwrap();
    assert!(
        svg.matches("<rect").count() >= 6 + 64,
        "6 cells and the colour bar"
    );
}

#[test]
fn a_fokker_planck_density_is_drawn_at_its_kept_times() {
    let o = outcome(
        "fokker_planck ou {\n  domain x in (-4, 4) cells 80\n  drift(x) = -x\n  diffusion = 1\n  \
         init = normal(mean = 1, sd = 0.3)\n  until = 1\n  dt = 0.01\n  at = [0, 0.5, 1]\n}\n\
         report r { m = ou.mass[0] }\n",
    );
    let figs = figures(&o);
    let Plot::Curves { x, series, labels } = &find(&figs, "ou.density").plot else {
        panic!()
    };
    assert_eq!(x.len(), 80);
    assert_eq!(labels.0, "x");
    assert_eq!(series.len(), 3, "one curve per kept time");
    assert!(series
        .iter()
        .all(|s| matches!(s.role, Role::Member(_)) && s.y.len() == 80));
    assert!(series[0].label.starts_with("t = 0"));
}

#[test]
fn the_output_set_has_figures_a_report_and_csv_when_asked() {
    let o = outcome(
        "use rmt\nensemble W = gaussian(rows = 120, cols = 120, var = 1 / 120)\n\
         report r {\n  v = eigvals(W' * W)\n  s = mean(v) vs 1\n  big = W' * W\n}\n\
         expect r.s.measured == 1 within 20%\n",
    );
    let info = wmd::output::ManifestInfo {
        script: "t.wmd",
        text: "",
        seed: 0,
        threads: 2,
        sets: &[],
    };
    let files = wmd::output::output_files(&info, &o, wmd::output::Format::Csv).unwrap();
    let get = |name: &str| {
        let f = files.iter().find(|(p, _)| p.to_str() == Some(name));
        String::from_utf8(f.unwrap_or_else(|| panic!("no {name}")).1.clone()).unwrap()
    };
    let csv = get("results.csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    let row = |q: &str| {
        rows.iter()
            .find(|r| &r[3] == q)
            .unwrap_or_else(|| panic!("{q}: {csv}"))
    };
    assert_eq!(&row("s.theory")[4], "1");
    assert_eq!(
        &row("big")[5],
        "arrays/reports.r.big.npy",
        "every array goes to a file"
    );
    assert_eq!(&row("v")[5], "arrays/reports.r.v.npy");
    assert!(rows.iter().any(|r| &r[0] == "expect" && &r[4] == "true"));
    assert!(files
        .iter()
        .any(|(p, _)| p.to_str() == Some("arrays/reports.r.big.npy")));
    assert!(get("manifest.csv").starts_with("key,value\n"));
    let html = get("report.html");
    assert!(html.contains("Expectations: 1 of 1 hold") && html.contains("<td class=\"ok\">ok"));
    assert!(html.contains("<figure id=\"r.big\">") && html.contains("figures/r.big.svg"));
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("<figure id").count()
    );
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing remote"
    );
    assert!(files
        .iter()
        .any(|(p, _)| p.to_str() == Some("figures/r.big.svg")));
}

#[test]
fn a_plot_item_is_the_figure_the_script_asks_for() {
    let o = outcome(
        "let t = [1, 2, 3, 4]\nreport r {\n  plot fall { x = t, y = exp(-t), error = 0.1 * t, theory = exp(-t) }\n}\n",
    );
    let figs = figures(&o);
    let f = find(&figs, "r.fall");
    let Plot::Points {
        x,
        y,
        err: Some(err),
        theory: Some(theory),
        labels,
        ..
    } = &f.plot
    else {
        panic!("{:?}", f.plot)
    };
    assert_eq!((x.len(), y, err.len()), (4, theory, 4));
    assert_eq!(labels, &("t".to_string(), "exp(-t)".to_string()));
    let bad = run_script(
        "p.wmd",
        "report r {\n  plot p { x = [1, 2], y = [1] }\n}\n",
        &[],
        None,
    );
    let err = bad.unwrap_err();
    assert!(
        err.contains("`y` needs one value per x: x has 2, y 1"),
        "{err}"
    );
}
