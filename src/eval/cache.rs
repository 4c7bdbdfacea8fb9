//! Results of block runs kept across runs of one session's plans (the REPL's): a job whose
//! [`DefKey`] (its definition, everything it depends on, the seed) is unchanged is not run
//! again. Only results that hold no code of the plan they were made in are kept, since a later
//! plan numbers its globals afresh.

use crate::ir::code::Func;
use crate::ir::plan::DefKey;
use crate::ir::value::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Job results by [`DefKey`]; shared by every run that is handed it
/// ([`crate::RunOptions::jobs`]).
#[derive(Debug, Default)]
pub struct JobCache {
    entries: Mutex<HashMap<DefKey, Value>>,
}

impl JobCache {
    /// The result kept for `key`, if any.
    pub fn get(&self, key: &DefKey) -> Option<Value> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    /// Keep `value` for `key` when it holds no code of its plan (no `fn` or lambda).
    pub fn insert(&self, key: DefKey, value: &Value) {
        if !plan_free(value) {
            return;
        }
        if let Ok(mut e) = self.entries.lock() {
            e.insert(key, value.clone());
        }
    }

    /// Forget every result whose key is not in `live` (definitions replaced since).
    pub fn retain(&self, live: &HashSet<DefKey>) {
        if let Ok(mut e) = self.entries.lock() {
            e.retain(|k, _| live.contains(k));
        }
    }

    /// Forget every result.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    /// How many results are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// Whether no result is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether a value holds no function of the plan it was computed in (a global `fn` is an
/// index into that plan, a lambda its code).
fn plan_free(v: &Value) -> bool {
    match v {
        Value::Func(f) => matches!(**f, Func::Builtin(_) | Func::Native(_)),
        Value::List(items) => items.iter().all(plan_free),
        Value::Record(fields) => fields.iter().all(|(_, v)| plan_free(v)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{FileId, Span};
    use std::sync::Arc;

    fn key(n: u32) -> DefKey {
        DefKey {
            seed: 0,
            spans: vec![Span::new(FileId(n), 0, 1)],
        }
    }

    #[test]
    fn results_holding_plan_code_are_not_kept() {
        let c = JobCache::default();
        c.insert(key(1), &Value::record(vec![("a".into(), Value::Num(1.0))]));
        let f = Value::Func(Arc::new(Func::Global(0)));
        c.insert(key(2), &Value::record(vec![("f".into(), f)]));
        assert_eq!(c.len(), 1);
        assert!(c.get(&key(1)).is_some() && c.get(&key(2)).is_none());
        c.retain(&HashSet::new());
        assert!(c.is_empty());
    }
}
