//! The operators of the language: shared by the AST and the plan.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Vs,
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Range,
    RangeIncl,
    Add,
    Sub,
    Mul,
    Div,
    /// `%`: the floored modulus, x − y⌊x/y⌋ (the sign of y: `-1 % 3` is 2).
    Mod,
    /// `.*`: the entrywise product (on numbers and vectors the same as `*`).
    ElemMul,
    /// `./`: the entrywise quotient (on numbers and vectors the same as `/`).
    ElemDiv,
    Pow,
    /// `.^`: the entrywise power (on numbers and vectors the same as `^`).
    ElemPow,
}

impl BinOp {
    /// The operator as written in a script.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Vs => "vs",
            Or => "or",
            And => "and",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Range => "..",
            RangeIncl => "..=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            ElemMul => ".*",
            ElemDiv => "./",
            Pow => "^",
            ElemPow => ".^",
        }
    }

    /// The operator that `.*`, `./` and `.^` are on numbers and vectors (others unchanged).
    pub fn scalar(self) -> BinOp {
        use BinOp::*;
        match self {
            ElemMul => Mul,
            ElemDiv => Div,
            ElemPow => Pow,
            op => op,
        }
    }

    pub fn is_comparison(self) -> bool {
        use BinOp::*;
        matches!(self, Eq | Ne | Lt | Le | Gt | Ge)
    }
}
