//! The statement forms and syntax of the grammar (`grammar/wmd.pest`): one [`Form`] each,
//! with the keywords it uses. Between them they use every keyword of the grammar (a test
//! reads the grammar's `kw_*` rules to hold them to it), which is what editors highlight.

use super::entry::{Entry, Group, Item};

/// A statement form or piece of syntax.
pub struct Form {
    pub name: &'static str,
    /// Other names `wmd doc` finds it by.
    pub aliases: &'static [&'static str],
    /// The grammar's keywords this form uses.
    pub keywords: &'static [&'static str],
    pub summary: &'static str,
    pub usage: &'static str,
    /// (how it is written, meaning, default)
    pub items: &'static [(&'static str, &'static str, &'static str)],
    pub notes: &'static [&'static str],
    /// A whole script (after the context it reads, see [`super::examples`]).
    pub example: &'static str,
}

/// Every form, in the order the reference lists them.
pub static FORMS: &[Form] = &[
    Form {
        name: "use",
        aliases: &[],
        keywords: &["use"],
        summary: "load a stdlib module (stdlib/MODULE.wmd): its functions become names of the script",
        usage: "use MODULE",
        items: &[("MODULE", "`rmt` (random-matrix laws) or `lattice` (free lattice fields)", "required")],
        notes: &[],
        example: "use rmt\nreport r { edges = mp_edges(r = 0.5) }",
    },
    Form {
        name: "let",
        aliases: &[],
        keywords: &["let"],
        summary: "a named value; `wmd run --set NAME=EXPR` replaces it from the command line",
        usage: "let NAME = EXPR",
        items: &[],
        notes: &["Definitions may come in any order; each name is defined once, and cycles are errors. A `let` that reads an ensemble is random: it is one value per draw."],
        example: "let n = 2^10\nlet r = 0.25 * n",
    },
    Form {
        name: "fn",
        aliases: &["builtin"],
        keywords: &["fn", "builtin"],
        summary: "a function with optional defaults (no recursion), or a stdlib name bound to a builtin kernel",
        usage: "fn NAME(a, b = 1) = EXPR    |    fn NAME(a) = builtin PATH",
        items: &[("a, b = 1", "parameters, each with an optional default", "")],
        notes: &["A call may name its arguments: `f(2, b = 3)`. Functions are inlined where per-step fields call them."],
        example: "fn force(y, k = 1) = -k * y^3 + y\nlet f = force(0.5, k = 2)",
    },
    Form {
        name: "declaration",
        aliases: &["KIND"],
        keywords: &[],
        summary: "declare one of a kind: a block of fields, or a constructor call",
        usage: "KIND NAME { field = EXPR ... }    |    KIND NAME = constructor(...)",
        items: &[("field = EXPR", "a value field", ""), ("field(x, t) = EXPR", "a function field", ""), ("domain …, observe …, stop when …", "clauses of their own syntax, where the kind takes them", "")],
        notes: &["`wmd doc KIND` lists a kind's fields and defaults (`wmd kinds` all of them). Items may be separated by newlines, `;` or `,`."],
        example: "ensemble W = goe(n = 50, var = 1 / 50)\nreport r { top = max(eigvals(W)) }",
    },
    Form {
        name: "report",
        aliases: &[],
        keywords: &["report"],
        summary: "values computed and written to results.yaml under `reports.NAME`",
        usage: "report NAME { name = EXPR ... EXPR ... }",
        items: &[("name = EXPR", "a named value", ""), ("EXPR", "a bare expression, named after itself (`histogram(x) vs mp(...)` → `histogram_vs_mp`)", "")],
        notes: &["An unnamed report is `report`. Report values must be finite numbers, vectors, matrices or records of them."],
        example: "report r {\n    m = mean(x)\n    variance(x)\n}",
    },
    Form {
        name: "expect",
        aliases: &[],
        keywords: &["expect"],
        summary: "a check of the results: `wmd run` exits 3 when one fails",
        usage: "expect COND    |    expect A == B within TOL    |    expect A == B within P%",
        items: &[("COND", "a condition of globals, report fields (`r.ks`) and sweep results (`s.summary`)", "required")],
        notes: &["An unnamed sweep is `sweep_1`, `sweep_2`, …. Every expect is listed in results.yaml under `expects` with its values."],
        example: "report r { m = mean(x) }\nexpect r.m > 1\nexpect r.m == 1.58 within 1%",
    },
    Form {
        name: "within",
        aliases: &[],
        keywords: &["within"],
        summary: "the tolerance of `expect a == b`: absolute, or relative with `%`",
        usage: "expect A == B within TOL    |    expect A == B within P%",
        items: &[("TOL", "|A − B| ≤ TOL", ""), ("P%", "|A − B| ≤ (P/100)·|B|", "")],
        notes: &["The tolerance is an expression without the modulus: a `%` after it is the percent sign; a modulus there is written in parentheses, `within (a % b)`."],
        example: "let a = 1.001\nexpect a == 1 within 0.01\nexpect a == 1 within 1%",
    },
    Form {
        name: "sweep",
        aliases: &["over"],
        keywords: &["sweep", "over", "in"],
        summary: "re-evaluate items at every point of the product of value lists, with an optional summary",
        usage: "sweep NAME over a in XS, b in YS { item ... } -> SUMMARY",
        items: &[("a in XS", "a binding: a `let` of the script (or `seed`) and its values", "required"), ("item", "`name = EXPR`, a bare expression, or `run REPORT`", ""), ("-> SUMMARY", "an expression that sees each binding and item as a vector over the points", "none")],
        notes: &["Results go to results.yaml under `sweeps.NAME`: the points, each item per point, and `summary`."],
        example: "let n = 10\nsweep sizes over n in [10, 20, 40] {\n    s = n^2\n} -> max(s)",
    },
    Form {
        name: "run",
        aliases: &[],
        keywords: &["run"],
        summary: "inside a sweep, recompute a whole report at every point",
        usage: "sweep NAME over a in XS { run REPORT }",
        items: &[],
        notes: &[],
        example: "let n = 10\nreport sq { v = n^2 }\nsweep over n in [1, 2, 3] { run sq }",
    },
    Form {
        name: "plot item",
        aliases: &[],
        keywords: &["plot"],
        summary: "inside a report, a figure the script asks for: y against x, with error bars and a theory curve",
        usage: "report R { plot NAME { x = XS, y = YS, error = ES, theory = TS } }",
        items: &[("x, y", "the points (one y per x)", "required"), ("error", "error bars ± error", "none"), ("theory", "a curve through (x, theory)", "none")],
        notes: &["The same as the item `NAME = plot(x = XS, y = YS, ...)`; the figure is figures/R.NAME.svg and is inlined in report.html, its axes labelled with the expressions written for x and y. Every comparison (`a vs b`), matrix, sweep fit and job gets a figure without asking."],
        example: "let t = [1, 2, 3, 4]\nreport decay {\n    plot fall { x = t, y = exp(-t), theory = exp(-t) }\n}",
    },
    Form {
        name: "domain",
        aliases: &["cells"],
        keywords: &["domain", "cells", "x", "in"],
        summary: "the grid of a fokker_planck, pde or characteristics block: an interval or a box cut into cells",
        usage: "domain x in (a, b) cells n    |    domain (x, y) in box(ax, bx, ay, by) cells n x m",
        items: &[("x, (x, y)", "the names of the coordinates inside the block", "required"), ("cells n x m", "cells along each axis (the `x` here is the word)", "required")],
        notes: &["The field lives at the cell centres; cells have width h = (b − a)/n."],
        example: "fokker_planck p2 {\n    domain (x, y) in box(-3, 3, -3, 3) cells 20 x 20\n    drift(x, y) = [-x, -y]\n    diffusion = 1\n    init(x, y) = exp(-(x^2 + y^2))\n    until = 0.5\n}",
    },
    Form {
        name: "observe",
        aliases: &["every"],
        keywords: &["observe", "every"],
        summary: "inside a `train` block, items evaluated at step 0 and after every k-th update",
        usage: "observe every K { name = EXPR ... }",
        items: &[("K", "observe after every K updates (choose K dividing `steps` to observe the end)", "required")],
        notes: &["The items see the block's names (`step`, `epoch`, `loss`, `test_loss`, `batch_loss`, `grad_norm`, the model); the observations are the block's `observed` record."],
        example: "train t {\n    model = net\n    data = d\n    optimizer = opt\n    steps = 100\n    observe every 10 { l = loss }\n}",
    },
    Form {
        name: "stop",
        aliases: &["stop when", "when"],
        keywords: &["stop", "when"],
        summary: "inside a `train` block, end a run when a condition holds (checked at each observation)",
        usage: "stop when COND",
        items: &[],
        notes: &["A stopped run is recorded in the block's `stopped`; a run whose loss or gradient stops being finite ends as diverged."],
        example: "train t {\n    model = net\n    data = d\n    optimizer = opt\n    steps = 100\n    stop when loss > 100\n}",
    },
    Form {
        name: "vs",
        aliases: &[],
        keywords: &["vs"],
        summary: "set a measurement beside theory: a comparison record of both and their distance",
        usage: "MEASURED vs THEORY",
        items: &[("histogram vs distribution/density", "L1 and max |Δρ| of the densities", ""), ("sample vs distribution", "KS distance, mean, variance", ""), ("number vs number", "absolute and relative error (`.measured`, `.theory`)", "")],
        notes: &["`vs` binds loosest of all operators: `mean(x) vs 1 + 1` is `mean(x) vs (1 + 1)`."],
        example: "report r { m = mean(x) vs 1.5 }\nexpect r.m.measured == 1.5 within 10%",
    },
    Form {
        name: "if",
        aliases: &["then", "else"],
        keywords: &["if", "then", "else"],
        summary: "a conditional value; with a vector condition the branches are chosen entry by entry",
        usage: "if COND then A else B",
        items: &[],
        notes: &["Conditions must be booleans (`if 1 then …` is an error); the expression extends as far right as it can."],
        example: "let clipped = if x > 2 then 2 else x",
    },
    Form {
        name: "for",
        aliases: &["comprehension", "sum"],
        keywords: &["for", "in", "if", "sum"],
        summary: "a comprehension `[f(k) for k in 0..n if c]`, or a sum `sum(j in 0..n if c: term)`",
        usage: "[EXPR for k in RANGE if COND]    |    sum(j in RANGE if COND: EXPR)",
        items: &[],
        notes: &["A comprehension of vectors concatenates them; `reshape` stacks them as rows. Ranges count in steps of 1: `0..n` excludes n, `0..=n` includes it."],
        example: "let squares = [k^2 for k in 0..5 if k != 2]\nlet s = sum(j in 0..5 if j != 1: x[j])",
    },
    Form {
        name: "and",
        aliases: &["or", "not", "logic"],
        keywords: &["and", "or", "not"],
        summary: "logic on conditions, entry by entry on vectors of them",
        usage: "A and B    |    A or B    |    not A",
        items: &[],
        notes: &["Precedence, lowest first: `vs` < `or` < `and` < `not` < comparisons < ranges < `+ -` < `* / % .* ./` < unary `-` < `^ .^` < postfix."],
        example: "let inside = fraction(x > 1 and not (x > 3))",
    },
    Form {
        name: "true",
        aliases: &["false", "literals"],
        keywords: &["true", "false"],
        summary: "literals: booleans, numbers (`1_000`, `1e-3`), strings, vectors, records",
        usage: "true  false  42  1_000  2.5e-3  \"text\"  [a, b]  {a: 1, b: [1, 2]}",
        items: &[],
        notes: &["Booleans are numbers where numbers are expected (true = 1): `mean(x < 2)` is a fraction. `1.` is not a number, so `1..n` is a range."],
        example: "let flags = [true, false, true]\nlet rec = {n: 1_000, eps: 1e-3, name: \"run\"}",
    },
    Form {
        name: "lambda",
        aliases: &["->"],
        keywords: &[],
        summary: "an anonymous function that captures the names around it",
        usage: "x -> EXPR    |    (x, y) -> EXPR",
        items: &[],
        notes: &[],
        example: "let d = density(s -> exp(-s^2 / 2), support = [-5, 5])",
    },
];

/// One entry per form.
pub fn entries() -> Vec<Entry> {
    FORMS.iter().map(entry).collect()
}

fn entry(f: &Form) -> Entry {
    Entry {
        name: f.name.to_string(),
        aliases: f.aliases.iter().map(|a| a.to_string()).collect(),
        group: Group::Statement,
        summary: f.summary.to_string(),
        usage: f.usage.to_string(),
        items: (f.items.iter())
            .map(|(name, meaning, default)| Item {
                name: name.to_string(),
                meaning: meaning.to_string(),
                default: default.to_string(),
            })
            .collect(),
        notes: f.notes.iter().map(|n| n.to_string()).collect(),
        example: super::examples::script(f.example, &[]),
    }
}
