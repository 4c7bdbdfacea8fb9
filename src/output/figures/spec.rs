//! What a figure shows, before it is drawn.

/// One figure: its name (the file stem, `report.item`), its title and what it shows.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub title: String,
    pub plot: Plot,
}

/// What a figure draws.
#[derive(Debug, Clone)]
pub enum Plot {
    /// A histogram's density as bars over `edges`, the theory density at the bin centres as a
    /// line.
    Histogram {
        edges: Vec<f64>,
        density: Vec<f64>,
        theory: Option<Vec<f64>>,
        xlabel: String,
    },
    /// Curves over a common `x`.
    Curves {
        x: Vec<f64>,
        labels: (String, String),
        series: Vec<Series>,
    },
    /// Points `y ± err` against `x`, the fitted line y = intercept + slope·x, or a theory
    /// curve through (x, theory).
    Points {
        x: Vec<f64>,
        y: Vec<f64>,
        err: Option<Vec<f64>>,
        line: Option<(f64, f64)>,
        theory: Option<Vec<f64>>,
        labels: (String, String),
    },
    /// A map z(y, x): `z[i][j]` at (x\[j\], y\[i\]), cells placed by index (sweeps over powers of
    /// two read better that way).
    HeatMap {
        x: Vec<f64>,
        y: Vec<f64>,
        z: Vec<Vec<f64>>,
        labels: (String, String, String),
    },
    /// measured / theory of every number-vs-number comparison of a report.
    Ratios {
        names: Vec<String>,
        ratios: Vec<f64>,
    },
}

/// One curve: measured (points joined by a thin line), theory (a line) or one of many.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub y: Vec<f64>,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    Measured,
    Theory,
    /// One of a family (e.g. each singular value over time); no legend beyond six.
    Member(usize),
}
