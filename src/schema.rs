//! What a kind declares: its form, its fields with their types, defaults and choices, and the
//! names it binds in its block. Each kind's module (`src/kinds/`) writes one [`KindSchema`];
//! the checker holds blocks against it, lowering reads its form, `:help` and the docs print it.
//!
//! A field that takes one of a fixed set of strings is a [`Choice`] enum, declared once with
//! [`choices!`](crate::choices): its names (the default first), the parser of a script's string and the
//! names the schema lists all come from that one declaration.

/// An enum whose values a script names by string, the first one the default.
pub trait Choice: Copy + Sized + 'static {
    /// The script's names, the default first.
    const NAMES: &'static [&'static str];
    /// Every value, in the order of [`Choice::NAMES`].
    const ALL: &'static [Self];

    /// The value a script's string names.
    fn parse(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// The script's name of this value.
    fn name(self) -> &'static str;

    /// The default: the first of [`Choice::ALL`].
    fn default_value() -> Self {
        Self::ALL[0]
    }
}

/// Declare a [`Choice`] enum: `choices! { /// doc \n pub enum Scheme { Rk4 = "rk4", ... } }`.
/// The first variant is the default ([`Default`] too).
#[macro_export]
macro_rules! choices {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::schema::Choice for $name {
            const NAMES: &'static [&'static str] = &[$($text),+];
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                <Self as $crate::schema::Choice>::default_value()
            }
        }
    };
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `name = expr`
    Value,
    /// `name = "one of these"`: a string literal is checked against the list here, a computed
    /// string at run time.
    Choice(&'static [&'static str]),
    /// `name(params) = expr` with this many parameters (or a value, which is a constant function).
    /// Names ending in `?` may be left off: `["x", "y?", "t?"]` takes 1 to 3, and `["x?", "i"]`
    /// takes `noise(i)` or `noise(x, i)`; the checker counts them, the kind reads the count.
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
    /// A function compiled to closures of numbers and called every step (a drift, a noise):
    /// `wmd check` verifies that its body compiles.
    pub per_step: bool,
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
    /// A constructor-form kind whose value is drawn afresh for every draw (an ensemble: its
    /// constructor makes a law, each draw samples a matrix from it); otherwise the
    /// constructor's value is computed once, like a `let`, for other blocks to take as a field.
    pub per_draw: bool,
    /// A block whose runs are draws: run r sees draw r of every per-draw value (networks,
    /// data sets, ensembles), so the block's result is one value however random its inputs
    /// are (`train`). Other blocks that read a per-draw value are computed once per draw.
    pub runs_are_draws: bool,
    /// Fields that rebind a name: when such a field is given as a bare global name
    /// (`model = student`), that name means, inside `observe` and `stop`, the block's scope
    /// value of the field's name (the network being trained, not its initial draw). Each
    /// takes one slot after the scope names there, named `\0field` when not given so.
    pub rebinds: &'static [&'static str],
    /// Fields whose declarations must be made by constructors that go together (a `pcd`
    /// optimizer with a Gaussian RBM): `wmd check` refuses a pair that cannot run.
    pub pairings: &'static [Pairing],
    /// One line: what a declaration of the kind is (the mathematics where it has one).
    pub doc: &'static str,
    /// A whole script that declares one of the kind and reports from it: `wmd doc KIND` and
    /// docs/reference.md show it, and a test holds it to `wmd check`.
    pub example: &'static str,
}

/// When field `field` names a declaration made by one of `makers`, field `other` (if it names
/// a declaration too) must be made by one of `other_makers`; `reason` says why.
#[derive(Debug, Clone, Copy)]
pub struct Pairing {
    pub field: &'static str,
    pub makers: &'static [&'static str],
    pub other: &'static str,
    pub other_makers: &'static [&'static str],
    pub reason: &'static str,
}

impl KindSchema {
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A value field.
pub const fn f(name: &'static str, required: bool, doc: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Value,
        required,
        doc,
        per_step: false,
    }
}

/// An optional string field taking one of `values` (the first is the default): a
/// [`Choice`]'s `NAMES`.
pub const fn choice(
    name: &'static str,
    values: &'static [&'static str],
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        kind: FieldKind::Choice(values),
        required: false,
        doc,
        per_step: false,
    }
}

/// A function field `name(params) = expr` (or a constant).
pub const fn func(
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
        per_step: false,
    }
}

/// A function field called every step, compiled to closures of numbers (see
/// [`FieldSpec::per_step`]).
pub const fn step_func(
    name: &'static str,
    params: &'static [&'static str],
    required: bool,
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        per_step: true,
        ..func(name, params, required, doc)
    }
}

/// A field of its own syntax (`domain`, `observe`, `stop`).
pub const fn special(
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
        per_step: false,
    }
}

/// The schema named `name` in a table of kinds.
pub fn lookup(kinds: &[&'static KindSchema], name: &str) -> Option<&'static KindSchema> {
    kinds.iter().copied().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::Choice;

    crate::choices! {
        /// A test choice.
        pub enum Colour { Red = "red", Green = "green" }
    }

    #[test]
    fn a_choice_parses_its_names_and_defaults_to_the_first() {
        assert_eq!(Colour::NAMES, ["red", "green"]);
        assert_eq!(Colour::parse("green"), Some(Colour::Green));
        assert_eq!(Colour::parse("blue"), None);
        assert_eq!(Colour::default(), Colour::Red);
        assert_eq!(Colour::Green.name(), "green");
    }
}
