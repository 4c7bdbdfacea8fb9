//! Rendering a [`Figure`] as SVG with plotters: measured data in blue (bars, points with
//! error bars), theory in red (a line), families in matplotlib's tab10, maps in viridis with a
//! colour bar. Non-finite values are left out of lines and ranges and drawn grey in maps.

use super::spec::{Figure, Plot, Role, Series};
use crate::number::sig;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Width and height of every figure, in pixels.
pub const SIZE: (u32, u32) = (720, 440);

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), String>;

const MEASURED: RGBColor = RGBColor(31, 96, 180);
const THEORY: RGBColor = RGBColor(200, 40, 40);
const MISSING: RGBColor = RGBColor(200, 200, 200);
/// The colours of a family of curves (matplotlib's "tab10").
const FAMILY: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
const TITLE_FONT: (&str, u32) = ("sans-serif", 17);
const LABEL_FONT: (&str, u32) = ("sans-serif", 13);
const DESC_FONT: (&str, u32) = ("sans-serif", 15);

fn fail<E: std::fmt::Debug>(e: E) -> String {
    format!("cannot draw the figure: {e:?}")
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure) -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let title = fig.title.as_str();
        match &fig.plot {
            Plot::Histogram {
                edges,
                density,
                theory,
                xlabel,
            } => histogram(&root, title, (edges, density, theory.as_deref()), xlabel),
            Plot::Curves { x, labels, series } => curves(&root, title, x, labels, series),
            Plot::Points {
                x,
                y,
                err,
                line,
                theory,
                labels,
            } => points(
                &root,
                title,
                (x, y, err.as_deref()),
                (*line, theory.as_deref()),
                labels,
            ),
            Plot::HeatMap { x, y, z, labels } => heat_map(&root, title, (x, y, z), labels),
            Plot::Ratios { names, ratios } => ratio_plot(&root, title, names, ratios),
        }?;
        root.present().map_err(fail)?;
    }
    Ok(text)
}

/// The range of the finite values, padded by 5% (a unit range around a constant).
fn range(values: impl IntoIterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = (values.into_iter())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let pad = if hi > lo {
        0.05 * (hi - lo)
    } else {
        0.1 * lo.abs().max(1.0)
    };
    (lo - pad)..(hi + pad)
}

fn finite_points<'a>(x: &'a [f64], y: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + Clone + 'a {
    (x.iter().copied().zip(y.iter().copied())).filter(|(a, b)| a.is_finite() && b.is_finite())
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> Drawn {
    (chart.configure_series_labels())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(fail)
}

/// A chart over `xr` × `yr` with the title, the axis labels and the common style.
fn xy_chart<'a, 'b: 'a>(
    root: &'a Area<'b>,
    title: &str,
    (xr, yr): (std::ops::Range<f64>, std::ops::Range<f64>),
    (xl, yl): (&str, &str),
) -> Result<Chart<'a, 'b>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(title, TITLE_FONT)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(xr, yr)
        .map_err(fail)?;
    (chart.configure_mesh())
        .label_style(LABEL_FONT)
        .axis_desc_style(DESC_FONT)
        .light_line_style(BLACK.mix(0.04))
        .x_desc(xl)
        .y_desc(yl)
        .draw()
        .map_err(fail)?;
    Ok(chart)
}

/// Bars of the measured density, the theory density as a line through the bin centres.
fn histogram(
    root: &Area,
    title: &str,
    (edges, density, theory): (&[f64], &[f64], Option<&[f64]>),
    xlabel: &str,
) -> Drawn {
    let top = density.iter().chain(theory.unwrap_or(&[])).copied();
    let ymax = top.filter(|v| v.is_finite()).fold(0.0, f64::max);
    let ymax = if ymax > 0.0 { 1.08 * ymax } else { 1.0 };
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    let mut chart = xy_chart(root, title, (lo..hi, 0.0..ymax), (xlabel, "density"))?;
    let bar = MEASURED.mix(0.35).filled();
    let bars = (edges.windows(2).zip(density))
        .filter(|(_, d)| d.is_finite())
        .map(|(w, &d)| Rectangle::new([(w[0], 0.0), (w[1], d)], bar));
    (chart.draw_series(bars).map_err(fail)?)
        .label("measured")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], bar));
    if let Some(theory) = theory {
        let centres: Vec<f64> = edges.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
        let line = LineSeries::new(finite_points(&centres, theory), THEORY.stroke_width(2));
        (chart.draw_series(line).map_err(fail)?)
            .label("theory")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], THEORY.stroke_width(2)));
    }
    legend(&mut chart)
}

/// Curves over a common x: measured as points on a thin line, theory as a thick line, a
/// family in the palette (legend only up to six members).
fn curves(
    root: &Area,
    title: &str,
    x: &[f64],
    (xl, yl): &(String, String),
    series: &[Series],
) -> Drawn {
    let ys = series.iter().flat_map(|s| s.y.iter().copied());
    let ranges = (range(x.iter().copied()), range(ys));
    let mut chart = xy_chart(root, title, ranges, (xl, yl))?;
    let labelled = series.len() <= 6;
    let family = series.iter().any(|s| matches!(s.role, Role::Member(_)));
    for s in series {
        let colour = match s.role {
            Role::Measured if family => BLACK,
            Role::Measured => MEASURED,
            Role::Theory => THEORY,
            Role::Member(k) => FAMILY[k % FAMILY.len()],
        };
        let width = if s.role == Role::Theory { 2 } else { 1 };
        let pts = finite_points(x, &s.y);
        let drawn = (chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(width))))
            .map_err(fail)?;
        if labelled {
            drawn.label(s.label.as_str()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
            });
        }
        if s.role == Role::Measured {
            let marks = pts.map(|p| Circle::new(p, 3, colour.filled()));
            chart.draw_series(marks).map_err(fail)?;
        }
    }
    if labelled {
        legend(&mut chart)?;
    }
    Ok(())
}

/// Points with error bars, the fitted line y = intercept + slope·x and a theory curve.
fn points(
    root: &Area,
    title: &str,
    (x, y, err): (&[f64], &[f64], Option<&[f64]>),
    (line, theory): (Option<(f64, f64)>, Option<&[f64]>),
    (xl, yl): &(String, String),
) -> Drawn {
    let e = |i: usize| err.and_then(|e| e.get(i)).copied().unwrap_or(0.0);
    let xr = range(x.iter().copied());
    let mut extent: Vec<f64> = (0..y.len())
        .flat_map(|i| [y[i] - e(i), y[i] + e(i)])
        .collect();
    if let Some((a, b)) = line {
        extent.extend([a + b * xr.start, a + b * xr.end]);
    }
    extent.extend(theory.unwrap_or(&[]));
    let mut chart = xy_chart(root, title, (xr.clone(), range(extent)), (xl, yl))?;
    let shown: Vec<usize> = (0..x.len().min(y.len()))
        .filter(|&i| x[i].is_finite() && y[i].is_finite())
        .collect();
    let bars = (shown.iter()).map(|&i| {
        ErrorBar::new_vertical(x[i], y[i] - e(i), y[i], y[i] + e(i), MEASURED.filled(), 8)
    });
    chart.draw_series(bars).map_err(fail)?;
    let marks = shown
        .iter()
        .map(|&i| Circle::new((x[i], y[i]), 4, MEASURED.filled()));
    (chart.draw_series(marks).map_err(fail)?)
        .label(yl.as_str())
        .legend(|(x, y)| Circle::new((x + 8, y), 4, MEASURED.filled()));
    if let Some((a, b)) = line {
        let ends = [xr.start, xr.end].map(|x| (x, a + b * x));
        let label = format!("fit: {} + {}·{xl}", sig(a, 3), sig(b, 3));
        (chart
            .draw_series(LineSeries::new(ends, THEORY.stroke_width(2)))
            .map_err(fail)?)
        .label(label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], THEORY.stroke_width(2)));
    }
    legend(&mut chart)
}

/// The item at an integer position of an axis placed by index; none between positions.
fn at_index<T>(items: &[T], at: f64) -> Option<&T> {
    let i = at.round();
    let on = (at - i).abs() < 1e-6 && i >= 0.0;
    on.then(|| items.get(i as usize)).flatten()
}

/// The tick label of a cell axis: the value at an integer position, nothing between.
fn cell_label(values: &[f64], at: f64) -> String {
    at_index(values, at).map(|v| sig(*v, 3)).unwrap_or_default()
}

/// A map of z over the cells (x[j], y[i]), placed by index, with a colour bar.
fn heat_map(
    root: &Area,
    title: &str,
    (x, y, z): (&[f64], &[f64], &[Vec<f64>]),
    (xl, yl, zl): &(String, String, String),
) -> Drawn {
    let zr = range(z.iter().flatten().copied());
    let (zlo, zhi) = (zr.start, zr.end);
    let (map, bar) = root.split_horizontally(SIZE.0 - 120);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let mut chart = ChartBuilder::on(&map)
        .caption(title, TITLE_FONT)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..nx - 0.5, -0.5..ny - 0.5)
        .map_err(fail)?;
    let (fx, fy) = (|v: &f64| cell_label(x, *v), |v: &f64| cell_label(y, *v));
    (chart.configure_mesh())
        .label_style(LABEL_FONT)
        .axis_desc_style(DESC_FONT)
        .light_line_style(BLACK.mix(0.04))
        .disable_mesh()
        .x_labels(x.len().min(12))
        .y_labels(y.len().min(12))
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .x_desc(xl.as_str())
        .y_desc(yl.as_str())
        .draw()
        .map_err(fail)?;
    let colour = |v: f64| {
        if v.is_finite() {
            ViridisRGB.get_color_normalized(v, zlo, zhi)
        } else {
            MISSING
        }
    };
    let cells = (z.iter().enumerate()).flat_map(|(i, row)| {
        (row.iter().enumerate()).map(move |(j, &v)| {
            let (cx, cy) = (j as f64, i as f64);
            Rectangle::new(
                [(cx - 0.5, cy - 0.5), (cx + 0.5, cy + 0.5)],
                colour(v).filled(),
            )
        })
    });
    chart.draw_series(cells).map_err(fail)?;
    colour_bar(&bar, zr, zl)
}

/// The colour scale of a heat map, labelled with z's name.
fn colour_bar(area: &Area, zr: std::ops::Range<f64>, zl: &str) -> Drawn {
    let mut chart = ChartBuilder::on(area)
        .margin_top(44)
        .margin_bottom(58)
        .margin_right(8)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, zr.clone())
        .map_err(fail)?;
    (chart.configure_mesh())
        .label_style(LABEL_FONT)
        .axis_desc_style(DESC_FONT)
        .light_line_style(BLACK.mix(0.04))
        .disable_mesh()
        .disable_x_axis()
        .y_desc(zl)
        .draw()
        .map_err(fail)?;
    let steps = 64;
    let dz = (zr.end - zr.start) / steps as f64;
    let strips = (0..steps).map(|k| {
        let z0 = zr.start + k as f64 * dz;
        let c = ViridisRGB.get_color_normalized(z0 + 0.5 * dz, zr.start, zr.end);
        Rectangle::new([(0.0, z0), (1.0, z0 + 1.05 * dz)], c.filled())
    });
    chart.draw_series(strips).map_err(fail)?;
    Ok(())
}

/// measured / theory for each named comparison, against the line at 1.
fn ratio_plot(root: &Area, title: &str, names: &[String], ratios: &[f64]) -> Drawn {
    let n = names.len() as f64;
    let yr = range(ratios.iter().copied().chain([1.0]));
    let mut chart = ChartBuilder::on(root)
        .caption(title, TITLE_FONT)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..n - 0.5, yr)
        .map_err(fail)?;
    let label = |v: &f64| at_index(names, *v).cloned().unwrap_or_default();
    (chart.configure_mesh())
        .label_style(LABEL_FONT)
        .axis_desc_style(DESC_FONT)
        .light_line_style(BLACK.mix(0.04))
        .disable_x_mesh()
        .x_labels(names.len())
        .x_label_formatter(&label)
        .y_desc("measured / theory")
        .draw()
        .map_err(fail)?;
    let one = LineSeries::new([(-0.5, 1.0), (n - 0.5, 1.0)], THEORY.stroke_width(2));
    (chart.draw_series(one).map_err(fail)?)
        .label("theory")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], THEORY.stroke_width(2)));
    let marks = (ratios.iter().enumerate())
        .filter(|(_, r)| r.is_finite())
        .map(|(i, &r)| Circle::new((i as f64, r), 5, MEASURED.filled()));
    (chart.draw_series(marks).map_err(fail)?)
        .label("measured")
        .legend(|(x, y)| Circle::new((x + 8, y), 4, MEASURED.filled()));
    legend(&mut chart)
}
