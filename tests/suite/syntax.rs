//! The grammar covers the whole language sketch, and operators bind as documented.

use wmd::span::{FileId, Sources};
use wmd::syntax::ast::{Expr, ExprKind, IndexItem, UnOp};

/// An S-expression of an AST, to show how an expression was grouped.
fn sexpr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Num(v) => format!("{v}"),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Unary(op, x) => format!(
            "({} {})",
            if *op == UnOp::Neg { "neg" } else { "not" },
            sexpr(x)
        ),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sexpr(a), sexpr(b)),
        ExprKind::Call(f, args) => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match &a.name {
                    Some(n) => format!("{}={}", n.name, sexpr(&a.value)),
                    None => sexpr(&a.value),
                })
                .collect();
            format!("({} {})", sexpr(f), args.join(" "))
        }
        ExprKind::Index(t, items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match i {
                    IndexItem::All(_) => ":".into(),
                    IndexItem::Expr(x) => sexpr(x),
                })
                .collect();
            format!("([] {} {})", sexpr(t), items.join(" "))
        }
        ExprKind::Member(t, f) => format!("(. {} {})", sexpr(t), f.name),
        ExprKind::Transpose(x) => format!("(' {})", sexpr(x)),
        ExprKind::Lambda(p, b) => format!(
            "(-> {} {})",
            p.iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            sexpr(b)
        ),
        ExprKind::If(c, t, f) => format!("(if {} {} {})", sexpr(c), sexpr(t), sexpr(f)),
        ExprKind::Vector(items) => format!(
            "[{}]",
            items.iter().map(sexpr).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Sum(g, b) => format!("(sum {} {} {})", g.var.name, sexpr(&g.iter), sexpr(b)),
        ExprKind::Comprehension(b, g) => {
            format!("(for {} {} {})", g.var.name, sexpr(&g.iter), sexpr(b))
        }
        ExprKind::Record(f) => format!(
            "{{{}}}",
            f.iter()
                .map(|(n, x)| format!("{}: {}", n.name, sexpr(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn parse(text: &str) -> String {
    sexpr(&wmd::syntax::parse_expr(FileId(0), text).unwrap())
}

#[test]
fn operators_bind_as_documented() {
    assert_eq!(parse("-x^2"), "(neg (^ x 2))");
    assert_eq!(parse("2^-3"), "(^ 2 (neg 3))");
    assert_eq!(parse("a^b^c"), "(^ a (^ b c))");
    assert_eq!(parse("1 + 2 * 3 - 4 / 5"), "(- (+ 1 (* 2 3)) (/ 4 5))");
    assert_eq!(parse("W' * W"), "(* (' W) W)");
    assert_eq!(
        parse("a < b and not c or d"),
        "(or (and (< a b) (not c)) d)"
    );
    assert_eq!(
        parse("hist(x) vs f(r = 1) * 2"),
        "(vs (hist x) (* (f r=1) 2))"
    );
    assert_eq!(parse("0..n + 1"), "(.. 0 (+ n 1))");
    assert_eq!(parse("-3..8"), "(.. (neg 3) 8)");
    assert_eq!(parse("x[:, 1..3]"), "([] x : (.. 1 3))");
    assert_eq!(parse("r.final[end]"), "([] (. r final) end)");
    assert_eq!(parse("x -> x^2 + 1"), "(-> x (+ (^ x 2) 1))");
    assert_eq!(parse("(x, y) -> x * y"), "(-> x y (* x y))");
    assert_eq!(parse("if a then 1 else 2 + 3"), "(if a 1 (+ 2 3))");
    assert_eq!(
        parse("sum(j in 0..n if j != i: 1 / (x - y[j]))"),
        "(sum j (.. 0 n) (/ 1 (- x ([] y j))))"
    );
    assert_eq!(parse("[k^2 for k in 0..3]"), "(for k (.. 0 3) (^ k 2))");
    assert_eq!(parse("1_000 * 1e-3"), "(* 1000 0.001)");
    assert_eq!(parse("{a: 1, b: [1, 2]}"), "{a: 1, b: [1 2]}");
}

/// The sketches of the design's LANGUAGE.md, in the final syntax: every form parses.
const SKETCHES: &str = r#"
use rmt
use lattice
let mu2   = 9
let kappa = lattice_dispersion(n = 10, m2 = 4)      # m² + 2 − 2cos(2πk/N)
coulomb_gas rbm {
    eigenvalues = 10
    drift(x, i) = (1 / kappa[i] - 1 / (mu2 - x)) * x
    noise(i)    = 1
    lr    = 0.1
    batch = 16
    init  = marchenko_pastur(r = 1, var = 0.01)
    steps = 100_000
    runs  = 2000
}
fokker_planck mode {
    domain x in (0, mu2) cells 1000
    drift(x)     = (1 / 4.38 - 1 / (mu2 - x)) * x
    diffusion(x) = 0.01
    init  = normal(mean = 0.5, sd = 0.1)
    until = 50
    boundary = "reflecting"
}
fokker_planck ou2 {
    domain (x, y) in box(-4, 4, -4, 4) cells 256 x 256
    drift(x) = -x
    diffusion(x) = 1
    init = normal(0, 1)
    until = 2
}
let sigma_w = 1
let lr = 0.1
network student = mlp(widths = [3, 32, 16, 1], activation = "tanh", init = normal(var = sigma_w^2 / fan_in), trainable = [1])
data teacher = teacher_student(teacher = student, inputs = normal(0, 1), samples = 4000)
optimizer opt = sgd(lr = lr, batch = 4)
train ts {
    model = student; data = teacher; optimizer = opt
    epochs = 1000
    observe every 100 { loss; singular_values(student.layer[1].W) }
    stop when loss > 100
}
sweep phase over lr in 2^[-3..8], sigma_w in 2^[-3..8], seed in 0..10 {
    run ts
} -> {x: 1 / sigma_w, y: lr / 4}
report spacing {
    s = spacings(rbm.final)
    histogram(s / mean(s), bins = 40) vs wigner_surmise
}
expect spacing.s[0] > 0
"#;

#[test]
fn the_language_sketches_parse_and_check() {
    let mut sources = Sources::new();
    let parsed = wmd::parse(&mut sources, "sketches.wmd", SKETCHES)
        .unwrap_or_else(|d| panic!("{}", d.render(&sources, false)));
    // Every sketch parses and checks: what `check` accepts runs.
    wmd::check(&parsed).unwrap_or_else(|d| panic!("{}", d.render(&sources, false)));
}

/// Every ```wmd block of the README and docs/language.md parses and passes `wmd check` on its
/// own, so the documentation cannot drift from the language.
#[test]
fn every_wmd_block_of_the_readme_checks() {
    let read = |rel: &str| std::fs::read_to_string(super::support::repo_path(rel)).unwrap();
    let (readme, language) = (read("README.md"), read("docs/language.md"));
    let blocks: Vec<&str> = (readme.split("```wmd\n").skip(1))
        .chain(language.split("```wmd\n").skip(1))
        .map(|rest| rest.split("```").next().unwrap_or(""))
        .collect();
    assert!(blocks.len() >= 6, "{} wmd blocks", blocks.len());
    for (k, block) in blocks.iter().enumerate() {
        let mut sources = Sources::new();
        let name = format!("README or language.md block {k}");
        let checked =
            wmd::parse(&mut sources, &name, block).and_then(|p| wmd::check(&p).map(|_| ()));
        checked.unwrap_or_else(|d| panic!("{}", d.render(&sources, false)));
    }
}
