//! The readable summary printed by `wmd run`.

use crate::ir::outcome::Outcome;
use crate::ir::value::Value;
use std::fmt::Write;

fn f(x: f64) -> String {
    crate::number::sig4(x)
}

fn num_field(v: &Value, name: &str) -> Option<f64> {
    match v.field(name) {
        Some(Value::Num(x)) => Some(*x),
        _ => None,
    }
}

/// One line for a value.
fn describe(v: &Value) -> String {
    let kind = match v.field("kind") {
        Some(Value::Str(k)) => k.to_string(),
        _ => String::new(),
    };
    match (v, kind.as_str()) {
        (Value::Num(x), _) => f(*x),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Str(s), _) => s.to_string(),
        (Value::Vector(xs), _) => vector(xs),
        (_, "plot") => {
            let n = v
                .field("x")
                .and_then(|x| x.as_slice())
                .map_or(0, |x| x.len());
            format!("a figure of {n} points")
        }
        (_, "histogram vs theory") => {
            let range = match v.field("range") {
                Some(Value::Vector(r)) => format!(" on [{}, {}]", f(r[0]), f(r[1])),
                _ => String::new(),
            };
            let bins = num_field(v, "bins").unwrap_or(0.0);
            format!(
                "{bins} bins{range}: L1 = {}, max |Δρ| = {}",
                f(num_field(v, "l1").unwrap_or(f64::NAN)),
                f(num_field(v, "max_abs_error").unwrap_or(f64::NAN))
            )
        }
        (_, "histogram") => format!(
            "{} samples in {} bins",
            num_field(v, "samples").unwrap_or(0.0),
            vector_len(v.field("centres"))
        ),
        (_, "sample vs distribution") => {
            let pair = |n: &str| {
                v.field(n)
                    .map(|p| {
                        format!(
                            "{} vs {}",
                            f(num_field(p, "measured").unwrap_or(f64::NAN)),
                            f(num_field(p, "theory").unwrap_or(f64::NAN))
                        )
                    })
                    .unwrap_or_default()
            };
            format!(
                "KS = {}; mean {}; variance {}",
                f(num_field(v, "ks").unwrap_or(f64::NAN)),
                pair("mean"),
                pair("variance")
            )
        }
        (Value::Record(_), _) if v.field("measured").is_some() && v.field("theory").is_some() => {
            match (num_field(v, "measured"), num_field(v, "theory")) {
                (Some(m), Some(t)) => match num_field(v, "rel_error") {
                    Some(r) => format!("{} vs {} (rel. error {})", f(m), f(t), f(r)),
                    None => format!("{} vs {} (abs. error {})", f(m), f(t), f((m - t).abs())),
                },
                _ => format!(
                    "max |Δ| = {}, rms = {}",
                    f(num_field(v, "max_abs_error").unwrap_or(f64::NAN)),
                    f(num_field(v, "rms_error").unwrap_or(f64::NAN))
                ),
            }
        }
        (Value::Record(fields), _) => fields
            .iter()
            .map(|(k, x)| format!("{k} = {}", short(x)))
            .collect::<Vec<_>>()
            .join(", "),
        (other, _) => other.describe(),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Num(x) => f(*x),
        Value::Vector(xs) if xs.len() <= 4 => vector(xs),
        other => other.describe(),
    }
}

fn vector_len(v: Option<&Value>) -> usize {
    match v {
        Some(Value::Vector(x)) => x.len(),
        _ => 0,
    }
}

fn vector(xs: &[f64]) -> String {
    if xs.len() <= 8 {
        return format!(
            "[{}]",
            xs.iter().map(|x| f(*x)).collect::<Vec<_>>().join(", ")
        );
    }
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    format!("{} values in [{}, {}]", xs.len(), f(lo), f(hi))
}

fn fields_block(out: &mut String, title: &str, v: &Value) {
    let _ = writeln!(out, "{title}");
    if let Value::Record(fields) = v {
        let width = fields
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, x) in fields.iter() {
            match records_of_records(x) {
                Some(inner) => {
                    let _ = writeln!(out, "  {k}");
                    let w = inner.iter().map(|(k, _)| k.chars().count()).max();
                    for (k2, y) in inner.iter() {
                        let _ = writeln!(out, "    {k2:<w$}  {}", describe(y), w = w.unwrap_or(0));
                    }
                }
                None => {
                    let _ = writeln!(out, "  {k:<width$}  {}", describe(x));
                }
            }
        }
    }
}

/// A record whose fields are all records (a sweep summary `-> { a: fit_line(...), b: ... }`),
/// whose fields get a line each instead of "a = a record, b = a record".
fn records_of_records(v: &Value) -> Option<&[(String, Value)]> {
    match v {
        Value::Record(fields)
            if v.field("kind").is_none()
                && !fields.is_empty()
                && fields.iter().all(|(_, x)| matches!(x, Value::Record(_))) =>
        {
            Some(&fields[..])
        }
        _ => None,
    }
}

/// The summary of a run: each report's fields, each sweep's columns, each expectation.
pub fn summary(outcome: &Outcome) -> String {
    let mut out = String::new();
    for (name, v) in &outcome.reports {
        fields_block(&mut out, &format!("report {name}"), v);
    }
    for (name, v) in &outcome.sweeps {
        fields_block(&mut out, &format!("sweep {name}"), v);
    }
    if !outcome.expects.is_empty() {
        let width = outcome
            .expects
            .iter()
            .map(|e| e.text.chars().count())
            .max()
            .unwrap_or(0);
        for e in &outcome.expects {
            let status = if e.passed { "ok    " } else { "FAILED" };
            let detail = if e.detail.is_empty() {
                String::new()
            } else {
                format!("  ({})", e.detail)
            };
            let _ = writeln!(out, "expect {:<width$}  {status}{detail}", e.text);
        }
        let ok = outcome.expects.iter().filter(|e| e.passed).count();
        let _ = writeln!(out, "{ok} of {} expectations hold", outcome.expects.len());
    }
    out
}
