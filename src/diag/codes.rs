//! The catalogue of error codes: every code wmd reports is one variant here, with what it
//! means. A test (`tests/suite/error_codes.rs`) checks that each code has a script in
//! `tests/cases/` that triggers it, with its rendered snapshot, or a named test that does.

macro_rules! catalogue {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal,)+) => {
        /// A stable error code, shown with every diagnostic (`wmd::check::unknown_name`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in catalogue order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as shown: `wmd::STAGE::NAME`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

catalogue! {
    /// The text is not wmd: an unexpected or missing token.
    ParseSyntax = "wmd::parse::syntax",
    /// Brackets, `if`s or lambdas nested deeper than the parser takes (limits::MAX_NESTING), or
    /// an expression tree deeper than limits::MAX_EXPR_DEPTH.
    ParseTooDeep = "wmd::parse::too_deep",
    /// A name that is neither defined, a parameter, a builtin nor a constant.
    CheckUnknownName = "wmd::check::unknown_name",
    /// `use` of a stdlib module that does not exist.
    CheckUnknownModule = "wmd::check::unknown_module",
    /// A declaration of a kind that is not in the registry.
    CheckUnknownKind = "wmd::check::unknown_kind",
    /// A `= builtin` function body naming no builtin.
    CheckUnknownBuiltin = "wmd::check::unknown_builtin",
    /// A named argument the function does not take.
    CheckUnknownArgument = "wmd::check::unknown_argument",
    /// A field the kind does not have.
    CheckUnknownField = "wmd::check::unknown_field",
    /// A required argument left out.
    CheckMissingArgument = "wmd::check::missing_argument",
    /// A required field of a block left out.
    CheckMissingField = "wmd::check::missing_field",
    /// The same argument given twice.
    CheckDuplicateArgument = "wmd::check::duplicate_argument",
    /// Two definitions of one name.
    CheckDuplicateDefinition = "wmd::check::duplicate_definition",
    /// The same field given twice in a block (or two `observe`/`stop` items).
    CheckDuplicateField = "wmd::check::duplicate_field",
    /// More positional arguments than the function has parameters.
    CheckArity = "wmd::check::arity",
    /// A function field written with the wrong number of parameters.
    CheckFieldArity = "wmd::check::field_arity",
    /// An argument whose type the parameter does not take.
    CheckArgumentType = "wmd::check::argument_type",
    /// A value of the wrong type where the language needs one (a condition, an operand).
    CheckType = "wmd::check::type",
    /// Shapes that cannot meet (a matrix product, a vector length) known at check time.
    CheckShape = "wmd::check::shape",
    /// A construct in a per-step function (drift, noise, …) that the compiler cannot turn
    /// into a function of numbers.
    CheckPerStep = "wmd::check::per_step",
    /// A call of something that is not a function.
    CheckNotCallable = "wmd::check::not_callable",
    /// Definitions that depend on each other in a circle.
    CheckCycle = "wmd::check::cycle",
    /// A definition that hides a builtin of the same name.
    CheckShadowsBuiltin = "wmd::check::shadows_builtin",
    /// A kind declared in the wrong form (a block for a constructor kind, or the reverse).
    CheckForm = "wmd::check::form",
    /// A field written in the wrong form (a function where a value goes, or `domain` syntax
    /// elsewhere).
    CheckFieldForm = "wmd::check::field_form",
    /// A field's literal value that is not one of its choices.
    CheckFieldValue = "wmd::check::field_value",
    /// A constructor that does not make this kind.
    CheckConstructor = "wmd::check::constructor",
    /// A block line that is not a field.
    CheckBlockItem = "wmd::check::block_item",
    /// `within` on a condition that is not an equality.
    CheckTolerance = "wmd::check::tolerance",
    /// A sweep over a name that is not a `let`.
    CheckSweepVariable = "wmd::check::sweep_variable",
    /// `run NAME` in a sweep naming no block.
    CheckSweepRun = "wmd::check::sweep_run",
    /// A run-time error without a more specific code.
    RunError = "wmd::run::error",
    /// A block's field has a value its kind cannot use.
    RunField = "wmd::run::field",
    /// A value out of the range an operation takes.
    RunValue = "wmd::run::value",
    /// A value of the wrong type at run time.
    RunType = "wmd::run::type",
    /// Shapes that do not fit at run time.
    RunShape = "wmd::run::shape",
    /// An index outside a vector or matrix.
    RunIndex = "wmd::run::index",
    /// An operation made a NaN or an infinity from finite numbers.
    RunNotFinite = "wmd::run::not_finite",
    /// An argument that holds a NaN or an infinity.
    RunNonFinite = "wmd::run::non_finite",
    /// A value or count larger than the limits (limits::MAX_ELEMENTS, limits::MAX_COUNT).
    RunTooLarge = "wmd::run::too_large",
    /// A per-step function that cannot be compiled to a function of numbers.
    RunCompile = "wmd::run::compile",
    /// A pooled call (`draws = K`) whose argument does not vary between draws.
    RunNotRandom = "wmd::run::not_random",
    /// `require(cond, message, value)` with a false condition.
    RunRequire = "wmd::run::require",
    /// An `expect` that cannot be evaluated (not a comparison of numbers).
    RunExpect = "wmd::run::expect",
    /// A `vs` comparison of things that cannot be compared.
    RunVs = "wmd::run::vs",
    /// A fit that cannot be made (too few points, singular).
    RunFit = "wmd::run::fit",
    /// A density that cannot be estimated or tabulated.
    RunDensity = "wmd::run::density",
    /// A backend refused its inputs (a builtin's numerics).
    RunBackend = "wmd::run::backend",
    /// The Fokker–Planck solver failed or refused its setup.
    RunFokkerPlanck = "wmd::run::fokker_planck",
    /// The PDE solver failed or refused its setup.
    RunPde = "wmd::run::pde",
    /// The SDE integrator failed.
    RunSde = "wmd::run::sde",
    /// The Coulomb-gas simulator failed.
    RunCoulombGas = "wmd::run::coulomb_gas",
    /// The characteristics integrator failed.
    RunCharacteristics = "wmd::run::characteristics",
    /// The worker thread pool could not be built.
    RunThreads = "wmd::run::threads",
    /// The run was stopped (Ctrl-C); the CLI exits 130.
    RunInterrupted = "wmd::run::interrupted",
    /// A bug in wmd: it should never be seen.
    RunInternal = "wmd::run::internal",
    /// `--set NAME=VALUE` naming no `let`.
    UsageSet = "wmd::usage::set",
    /// `--set` whose value does not parse or check.
    UsageSetValue = "wmd::usage::set_value",
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            let parts: Vec<&str> = s.split("::").collect();
            assert!(parts.len() == 3 && parts[0] == "wmd", "{s}");
            assert!(
                ["parse", "check", "run", "usage"].contains(&parts[1]),
                "{s}"
            );
        }
    }
}
