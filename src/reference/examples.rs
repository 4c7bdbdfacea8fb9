//! The examples of the reference as whole scripts. An example is one line or a few (a call
//! `histogram(x, bins = 10)`, a declaration `ensemble W = goe(n = 50)`), and may read the names
//! of a small shared context (`x`, `M`, `W`, `net`, `fp`, …): [`script`] puts in front of it
//! the context lines it reads, directly or through other context lines, so that what the
//! reference shows is what `wmd check` accepts.

/// The shared context: a name and the statement that defines it, each reading only names
/// defined above it.
pub const CONTEXT: &[(&str, &str)] = &[
    ("x", "let x = [0.3, 0.9, 1.4, 2.2, 3.1]"),
    ("y", "let y = [0.5, 1.1, 1.9, 3.2, 3.9]"),
    ("M", "let M = reshape([2, 1, 0, 1, 2, 1, 0, 1, 2], 3)"),
    ("W", "ensemble W = gaussian(rows = 40, cols = 20, var = 1 / 40)"),
    ("net", "network net = mlp(widths = [3, 8, 1])"),
    (
        "d",
        "data d = teacher_student(teacher = net, samples = 64, test = 16)",
    ),
    ("opt", "optimizer opt = sgd(lr = 0.01, batch = 8)"),
    (
        "training",
        "train training { model = net  data = d  optimizer = opt  steps = 20  observe every 10 { phi = flatten(features(net, d.test_x)) } }",
    ),
    (
        "fp",
        "fokker_planck fp { domain u in (-4, 4) cells 100  drift(u) = -u  diffusion = 1  init = normal(1, 0.5)  until = 1 }",
    ),
    (
        "gas",
        "coulomb_gas gas { eigenvalues = 6  drift(x, i) = -x  dt = 0.01  steps = 100  init = uniform(-1, 1)  runs = 10 }",
    ),
];

/// Whether a line is a statement (a declaration, `let`, `report`, …) rather than an
/// expression: its first word is a keyword that opens a statement, or it is `KIND NAME`.
fn is_statement(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    let opens = [
        "let",
        "fn",
        "use",
        "report",
        "expect",
        "sweep",
        "ensemble",
        "network",
        "data",
        "optimizer",
        "train",
    ];
    opens.contains(&first)
        || crate::kinds::REGISTRY
            .iter()
            .any(|k| k.schema.name == first && is_name(second))
}

fn is_name(word: &str) -> bool {
    let mut cs = word.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The tokens of a text: identifiers, `->`, `==`, and every other character but spaces.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_ascii_alphanumeric() || c == '_' {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())
        } else if rest.starts_with("->") || rest.starts_with("==") {
            2
        } else {
            c.len_utf8()
        };
        if !c.is_whitespace() {
            out.push(&rest[..len]);
        }
        rest = &rest[len..];
    }
    out
}

/// The index of the `(` that the `)` at `close` closes.
fn opening(t: &[&str], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        match t[i] {
            ")" => depth += 1,
            "(" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The names a text binds for itself, which are not read from the context: the parameters
/// of lambdas (`s -> …`, `(x, y) -> …`) and of function fields (`drift(x, t) = …`), loop
/// variables (`for k in`, `sum(j in`) and coordinates (`domain x in`, `domain (x, y) in`).
fn bound(text: &str) -> Vec<&str> {
    let t = tokens(text);
    let mut out = Vec::new();
    for i in 1..t.len() {
        let before = t[i - 1];
        let group = (before == ")").then(|| opening(&t, i - 1)).flatten();
        let after = |word: &str| group.filter(|&o| o > 0 && (word.is_empty() || t[o - 1] == word));
        let params = match t[i] {
            "->" if is_name(before) => Some((i - 1, i)),
            "->" => group.map(|o| (o, i)),
            "=" => after("").filter(|&o| is_name(t[o - 1])).map(|o| (o, i)),
            "in" if is_name(before) && i >= 2 && ["for", "(", "domain"].contains(&t[i - 2]) => {
                Some((i - 1, i))
            }
            "in" => after("domain").map(|o| (o, i)),
            _ => None,
        };
        if let Some((from, to)) = params {
            out.extend(t[from..to].iter().copied().filter(|w| is_name(w)));
        }
    }
    out
}

/// The names a text reads: its identifiers that it does not bind itself, nor name as the
/// target of a `=` (a field `x = …`, a named argument `f(x = …)`).
fn reads(text: &str) -> Vec<&str> {
    let own = bound(text);
    let t = tokens(text);
    let target = |i: usize| t.get(i + 1) == Some(&"=");
    (0..t.len())
        .filter(|&i| is_name(t[i]) && !target(i) && !own.contains(&t[i]))
        .map(|i| t[i])
        .collect()
}

/// The whole script of an example: the `use` lines it needs (`uses`), the context lines it
/// reads, then the example, an expression wrapped as `report example { … }`.
pub fn script(example: &str, uses: &[&str]) -> String {
    let body = example.trim();
    let body = if body.lines().count() == 1 && !is_statement(body) {
        format!("report example {{ {body} }}")
    } else {
        body.to_string()
    };
    let defined: Vec<&str> = body
        .lines()
        .filter(|l| is_statement(l))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    let mut needed: Vec<&str> = reads(&body)
        .into_iter()
        .filter(|w| !defined.contains(w))
        .collect();
    let mut lines = Vec::new();
    for (name, line) in CONTEXT.iter().rev() {
        if needed.contains(name) && !defined.contains(name) {
            needed.extend(reads(line));
            lines.push(*line);
        }
    }
    lines.reverse();
    let mut out: String = uses.iter().map(|m| format!("use {m}\n")).collect();
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&body);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::script;

    #[test]
    fn an_example_gets_the_context_it_reads_and_nothing_else() {
        assert_eq!(
            script("sqrt(x)", &[]),
            "let x = [0.3, 0.9, 1.4, 2.2, 3.1]\nreport example { sqrt(x) }\n"
        );
        let s = script("forward(net, M)", &[]);
        assert!(s.starts_with("let M") && s.contains("network net"), "{s}");
        assert!(!s.contains("let x"), "{s}");
        let d = script("d.x", &[]);
        assert!(d.find("network net") < d.find("data d"), "{d}");
        let sde = script(
            "sde s { drift(x, t) = -x  diffusion = 1  init = 0  dt = 0.1  steps = 9 }",
            &[],
        );
        assert!(sde.starts_with("sde s"), "{sde}");
        assert_eq!(
            super::bound("f(a, b = 1) = a  [k for k in 0..3]  (u, v) -> u  domain (p, q) in"),
            ["a", "b", "k", "u", "v", "p", "q"]
        );
        assert!(super::bound("let y = mean(x) == 1").is_empty());
        assert_eq!(
            super::reads("report r { x = f(y = 2) }  z == w"),
            ["report", "r", "f", "z", "w"]
        );
        let own = script(
            "ensemble W = goe(n = 4)\nreport r { e = eigvals(W) }",
            &["rmt"],
        );
        assert!(own.starts_with("use rmt\nensemble W = goe"), "{own}");
    }
}
