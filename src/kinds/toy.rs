//! A toy kind, compiled for tests only: the proof that adding a kind is this one module and
//! its line in [`super::REGISTRY`]. `toy_walk T { steps = 5  sign = "down" }` walks ±1 per
//! step and returns the positions; it steps through the observer executor
//! ([`super::observe`]), so `observe every k { ... }` and `stop when ...` see `position` and
//! `step`, as they will see `loss` and `epoch` in `train`.

use super::fields::Fields;
use super::kind::Kind;
use crate::eval::error::Result;
use crate::eval::state::{Evaluator, Frame};
use crate::ir::value::Value;
use crate::schema::{choice, f, special, Choice, FieldKind, Form, KindSchema};

crate::choices! {
    /// Which way the walk goes.
    pub enum Sign {
        Up = "up",
        Down = "down",
    }
}

/// The schema of `toy_walk` blocks.
pub static SCHEMA: KindSchema = KindSchema {
    name: "toy_walk",
    form: Form::Block,
    fields: &[
        f("steps", true, "number of steps"),
        choice("sign", Sign::NAMES, "\"up\" (default) or \"down\""),
        special(
            "observe",
            FieldKind::Observe,
            false,
            "`observe every k { ... }`",
        ),
        special("stop", FieldKind::Stop, false, "`stop when cond`"),
    ],
    scope: &["position", "step"],
    per_draw: false,
    runs_are_draws: false,
    rebinds: &[],
    pairings: &[],
    doc: "a deterministic walk (tests only)",
    example: r#"toy_walk T { steps = 5  sign = "down" }"#,
};

/// The kind in the registry.
pub static KIND: Kind = Kind {
    schema: &SCHEMA,
    run: Some(run),
    realize: None,
};

struct Walk {
    sign: f64,
    path: Vec<f64>,
}

impl super::observe::Stepper for Walk {
    fn advance(&mut self, k: usize) -> Result<Option<String>> {
        self.path.push(self.sign * k as f64);
        Ok(None)
    }

    fn scope(&mut self, k: usize) -> Result<std::result::Result<Vec<Value>, String>> {
        Ok(Ok(vec![
            Value::Num(self.sign * k as f64),
            Value::Num(k as f64),
        ]))
    }
}

/// x_k = ±k for k = 0..steps (fewer when `stop` holds first).
fn run(ev: &Evaluator, f: &Fields, frame: &mut Frame) -> Result<Value> {
    let steps = ev.field_count(f, "steps", None, frame)?.unwrap_or(0);
    let sign = match ev.choice::<Sign>(f, "sign", frame)? {
        Sign::Up => 1.0,
        Sign::Down => -1.0,
    };
    let mut walk = Walk {
        sign,
        path: vec![0.0],
    };
    let cadence = super::observe::Cadence {
        stop_every_step: true,
        observe_start: false,
    };
    let watch = ev.watch(f.id, f.kind);
    let meter = watch.meter(steps as u64);
    let mut done = meter.tally(1);
    let observed = super::observe::run_steps(ev, f, frame, (steps, &mut done), cadence, &mut walk)?;
    let path = walk.path;
    let mut out = vec![("path".into(), Value::vector(path))];
    out.extend(observed.into_fields());
    Ok(Value::record(out))
}

#[cfg(test)]
mod tests {
    use crate::ir::value::Value;
    use crate::span::Sources;

    fn run(text: &str) -> Result<crate::ir::outcome::Outcome, String> {
        let mut sources = Sources::new();
        crate::run_source(&mut sources, "toy.wmd", text, &[], &Default::default())
            .map_err(|d| d.render(&sources, false))
    }

    #[test]
    fn a_kind_added_by_one_module_checks_runs_and_has_help() {
        let out =
            run("toy_walk w { steps = 3\n sign = \"down\" }\nreport r { p = w.path }\n").unwrap();
        let Value::Record(r) = &out.reports[0].1 else {
            panic!("not a record")
        };
        assert_eq!(r[0].1.as_slice(), Some(&[0.0, -1.0, -2.0, -3.0][..]));
        let help = crate::repl::kind_help("toy_walk");
        assert!(
            help.contains("a deterministic walk") && help.contains("sign"),
            "{help}"
        );
    }

    #[test]
    fn observers_see_the_scope_every_k_steps_and_stop_ends_the_loop() {
        let text = "toy_walk w {\n steps = 10\n observe every 2 { x = position\n twice = 2 * step }\n stop when position >= 7\n}\nreport r { o = w.observed\n s = w.stopped_at\n p = w.path }\n";
        let out = run(text).unwrap();
        let r = &out.reports[0].1;
        let o = r.field("o").unwrap();
        assert_eq!(
            o.field("step").unwrap().as_slice(),
            Some(&[2.0, 4.0, 6.0][..])
        );
        assert_eq!(o.field("x").unwrap().as_slice(), Some(&[2.0, 4.0, 6.0][..]));
        assert_eq!(
            o.field("twice").unwrap().as_slice(),
            Some(&[4.0, 8.0, 12.0][..])
        );
        assert!(matches!(r.field("s"), Some(Value::Num(s)) if *s == 7.0));
        assert_eq!(r.field("p").unwrap().as_slice().map(|p| p.len()), Some(8));
    }

    #[test]
    fn a_stop_that_is_not_a_condition_is_an_error_at_it() {
        let err = run("toy_walk w { steps = 3\n stop when position }\nreport r { p = w.path }\n")
            .unwrap_err();
        assert!(err.contains("`stop when` needs a condition"), "{err}");
    }

    #[test]
    fn the_observe_period_cannot_read_the_state() {
        let err = run("toy_walk w { steps = 3\n observe every step { x = position } }\nreport r { p = w.path }\n")
            .unwrap_err();
        assert!(
            err.contains("wmd::check::unknown_name") && err.contains("`step`"),
            "{err}"
        );
    }

    #[test]
    fn the_checker_holds_the_toy_kind_to_its_schema() {
        let missing = run("toy_walk w { sign = \"up\" }\n").unwrap_err();
        assert!(missing.contains("wmd::check::missing_field"), "{missing}");
        let wrong = run("toy_walk w { steps = 2\n sign = \"sideways\" }\n").unwrap_err();
        assert!(
            wrong.contains("wmd::check::") && wrong.contains("\"up\""),
            "{wrong}"
        );
    }
}
