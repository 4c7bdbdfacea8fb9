//! Kind schemas: which block kinds exist, which fields each takes, which are required, and
//! which are functions of how many arguments. Adding a backend adds a schema here; the grammar
//! never changes.

use crate::backend::coulomb::Method;
use crate::backend::fokker_planck::{Boundary, Scheme as FpScheme, SPLITTINGS};
use crate::backend::mol::{Edge, Stepper};
use crate::backend::sde::{Calculus, Scheme as SdeScheme};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `name = expr`
    Value,
    /// `name = "one of these"`: a string literal is checked against the list here, a computed
    /// string at run time.
    Choice(&'static [&'static str]),
    /// `name(params) = expr` with this many parameters (or a value, which is a constant function).
    /// Names ending in `?` may be left off the end: `["x", "y?", "t?"]` takes 1 to 3.
    Function(&'static [&'static str]),
    /// `domain x in (a, b) cells n`
    Domain,
    /// `observe every k { ... }`
    Observe,
    /// `stop when cond`
    Stop,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub doc: &'static str,
}

/// How a kind is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `KIND NAME { fields }`
    Block,
    /// `KIND NAME = constructor(...)`, with the constructors allowed.
    Constructor(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct KindSchema {
    pub name: &'static str,
    pub form: Form,
    pub fields: &'static [FieldSpec],
    /// Names the kind binds inside its own block (e.g. `loss` in `stop when loss > 100`).
    pub scope: &'static [&'static str],
    /// Whether this version of wmd can run it (schemas may come before their backends).
    pub runnable: bool,
    pub doc: &'static str,
}

impl KindSchema {
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, required: bool, doc: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Value,
        required,
        doc,
    }
}

/// An optional string field taking one of `values` (the first is the default).
const fn choice(
    name: &'static str,
    values: &'static [&'static str],
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Choice(values),
        required: false,
        doc,
    }
}

const fn func(
    name: &'static str,
    params: &'static [&'static str],
    required: bool,
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Function(params),
        required,
        doc,
    }
}

const fn special(
    name: &'static str,
    kind: FieldKind,
    required: bool,
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required,
        doc,
    }
}

pub const KINDS: &[KindSchema] = &[
    KindSchema {
        name: "ensemble",
        form: Form::Constructor(&["gaussian", "goe", "wishart"]),
        fields: &[],
        scope: &[],
        runnable: true,
        doc: "a random matrix, resampled for every draw: `ensemble W = gaussian(rows = M, cols = N, var = 1 / M)`",
    },
    KindSchema {
        name: "coulomb_gas",
        form: Form::Block,
        fields: &[
            f("eigenvalues", true, "number of eigenvalues N"),
            func("drift", &["x", "i"], true, "per-eigenvalue drift K_i(x)"),
            func("noise", &["i"], false, "noise strength g̃_i (default 1)"),
            f("lr", false, "learning rate α (discrete SGD form)"),
            f("batch", false, "batch size |B| (discrete SGD form)"),
            f("dt", false, "time step (continuous form)"),
            f("until", false, "final time (continuous form)"),
            f("steps", false, "number of steps"),
            f("init", true, "initial spectrum: a distribution, eigvals(...) or explicit values"),
            f("runs", false, "independent runs"),
            choice("method", Method::NAMES, "\"eigenvalues\" (default: the eigenvalue SDE) or \"matrix\" (a symmetric matrix diagonalised each step, exact repulsion, O(N³) a step)"),
            f("every", false, "record the spectra every k steps (as `history`)"),
        ],
        scope: &[],
        runnable: true,
        doc: "Dyson Brownian motion / stochastic Coulomb gas of eigenvalues",
    },
    KindSchema {
        name: "sde",
        form: Form::Block,
        fields: &[
            f("dim", false, "dimension d of the state (default: from `init`, else 1)"),
            func("drift", &["x", "t"], true, "drift a(x, t): one entry per component, `[-x[0], x[0] - x[1]]`"),
            func("diffusion", &["x", "t"], true, "diagonal noise b(x, t): one entry per component, or one for all"),
            f("init", true, "initial state: a number, d numbers, or a distribution sampled per run and component"),
            f("dt", true, "time step"),
            f("until", false, "final time (or `steps`)"),
            f("steps", false, "number of steps (or `until`)"),
            choice("scheme", &SdeScheme::NAMES, "\"euler_maruyama\" (default), \"milstein\" or \"srk\" (Platen's weak order 2)"),
            choice("calculus", &Calculus::NAMES, "\"ito\" (default) or \"stratonovich\""),
            f("runs", false, "independent trajectories (default 1)"),
            f("every", false, "record every k steps (default: about 100 records)"),
        ],
        scope: &[],
        runnable: true,
        doc: "a stochastic differential equation dX = a(X, t) dt + b(X, t) dW with diagonal noise",
    },
    KindSchema {
        name: "fokker_planck",
        form: Form::Block,
        fields: &[
            special("domain", FieldKind::Domain, true, "`domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`"),
            func("drift", &["x", "y?", "t?"], true, "drift D: `drift(x) = ...`, `drift(x, t) = ...`, or in 2D `drift(x, y) = [Dx, Dy]`"),
            func("diffusion", &["x", "y?", "t?"], true, "diffusion G = g² (001's ∂ₜP = ∂ₓ(g²∂ₓ − K)P; G = σ²/2): a number or `diffusion(x) = ...`"),
            func("init", &["x", "y?"], true, "initial density: a distribution (1D), `init(x) = ...` or `init(x, y) = ...` (normalised on the domain)"),
            f("until", true, "final time"),
            f("dt", false, "largest time step (default until / 1000)"),
            f("at", false, "times at which the density is kept (default [0, until]; until is always kept)"),
            choice("boundary", Boundary::NAMES, "\"reflecting\" (default), \"absorbing\" or \"periodic\""),
            choice("scheme", FpScheme::NAMES, "\"tr_bdf2\" (default, 2nd order) or \"backward_euler\" (1st order, P ≥ 0)"),
            choice("splitting", SPLITTINGS, "2D: \"dimensional\" (default; x and y line solves, Strang for tr_bdf2, Lie for backward_euler) or \"none\" (the whole operator, sparse LU: no splitting error)"),
        ],
        scope: &[],
        runnable: true,
        doc: "a Fokker–Planck equation ∂ₜP = −∇·(DP) + Δ(GP) in 1D or 2D (G = g² = σ²/2)",
    },
    KindSchema {
        name: "characteristics",
        form: Form::Block,
        fields: &[
            func("beta", &["x", "y?"], true, "the flow field β = G of 000 eq. 17: `beta(x) = ...` or `beta(x, y) = [Gx, Gy]`"),
            special("domain", FieldKind::Domain, false, "`domain x in (a, b) cells n`: P = const/G on its cells (eq. 26, 1D)"),
            f("start", false, "start points of flow lines dw/ds = G: a number or vector (1D); [[x₁, y₁], [x₂, y₂], …] or a matrix of rows (2D)"),
            f("p0", false, "P at s = 0 on every flow line (default 1)"),
            f("length", false, "range of the flow parameter s (needed with `start`)"),
            f("steps", false, "Runge–Kutta steps over `length` (default 1000)"),
            f("every", false, "record every k steps (default ⌈steps/100⌉)"),
        ],
        scope: &[],
        runnable: true,
        doc: "the Callan–Symanzik (drift-only) form of 000: P along flow lines, P = P₀ exp(−∫∇·G ds) (eq. 23), and P ∝ 1/G in 1D (eq. 26)",
    },
    KindSchema {
        name: "pde",
        form: Form::Block,
        fields: &[
            special("domain", FieldKind::Domain, true, "`domain x in (a, b) cells n` or `domain (x, y) in box(ax, bx, ay, by) cells n x m`"),
            func("dt", &["u", "x?", "y?", "t?"], true, "right-hand side ∂ₜu = F(u, x, t) in 1D or F(u, x, y, t) in 2D, written with the block's operators dx, dxx, dy, dyy, laplace, grad, div (2D vector fields as [Fx, Fy])"),
            func("init", &["x", "y?"], true, "initial field: a number, one number per cell, or `init(x) = ...` / `init(x, y) = ...`"),
            f("until", true, "final time"),
            f("step", false, "time step (default until / 1000; rk4 needs step ≲ h²/(2ν·dims))"),
            f("at", false, "times at which the field is kept (default [0, until])"),
            choice("boundary", Edge::NAMES, "\"neumann\" (default, zero gradient), \"periodic\" or \"extrapolate\" (open: quadratic ghost values)"),
            choice("scheme", Stepper::NAMES, "\"rk4\" (default, explicit, order 4), \"backward_euler\" (implicit, order 1) or \"tr_bdf2\" (implicit, order 2, L-stable); implicit ones by Newton with a sparse LU, 1D and 2D"),
        ],
        scope: &["dx", "dxx", "grad", "div", "laplace", "dy", "dyy"],
        runnable: true,
        doc: "a general PDE ∂ₜu = F(u, x, [y,] t) in 1D or 2D by the method of lines (centred stencils)",
    },
    KindSchema {
        name: "network",
        form: Form::Constructor(&["mlp", "deep_linear", "gaussian_rbm", "autoencoder"]),
        fields: &[],
        scope: &[],
        runnable: false,
        doc: "a neural network",
    },
    KindSchema {
        name: "data",
        form: Form::Constructor(&["teacher_student", "lattice_scalar"]),
        fields: &[],
        scope: &[],
        runnable: false,
        doc: "a data set",
    },
    KindSchema {
        name: "optimizer",
        form: Form::Constructor(&["sgd", "adam", "pcd", "langevin"]),
        fields: &[],
        scope: &[],
        runnable: false,
        doc: "an optimizer",
    },
    KindSchema {
        name: "train",
        form: Form::Block,
        fields: &[
            f("model", true, "the network"),
            f("data", true, "the data set"),
            f("optimizer", true, "the optimizer"),
            f("epochs", true, "number of epochs"),
            special("observe", FieldKind::Observe, false, "`observe every k { ... }`"),
            special("stop", FieldKind::Stop, false, "`stop when cond`"),
        ],
        scope: &["loss", "test_loss", "epoch", "step"],
        runnable: false,
        doc: "a training run",
    },
];

pub fn lookup(name: &str) -> Option<&'static KindSchema> {
    KINDS.iter().find(|k| k.name == name)
}
