//! Run errors: a message at the span of the expression that failed.

use crate::backend::BackendError;
use crate::diag::Diagnostic;
use crate::diag::ErrorCode;
use crate::span::Span;

#[derive(Debug, Clone)]
pub struct RunError {
    pub code: ErrorCode,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
}

impl RunError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        RunError {
            code: ErrorCode::RunError,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
        }
    }

    /// A backend's refusal at `span`, classified: a shape error as `wmd::run::shape`, an
    /// overflow or other numerical failure as `wmd::run::non_finite`, an interruption as
    /// `wmd::run::interrupted`, anything else as `wmd::run::value`.
    pub fn refused(span: Span) -> impl Fn(BackendError) -> RunError {
        move |e| {
            let code = match e {
                BackendError::Shape(_) => ErrorCode::RunShape,
                BackendError::Numerical(_) => ErrorCode::RunNonFinite,
                _ => ErrorCode::RunValue,
            };
            RunError::backend(span, &e, code)
        }
    }

    /// A backend's error at `span` with `code`, except an interruption, which is always
    /// `wmd::run::interrupted` whatever the backend.
    pub fn backend(span: Span, e: &BackendError, code: ErrorCode) -> Self {
        let code = match e {
            BackendError::Interrupted => ErrorCode::RunInterrupted,
            _ => code,
        };
        RunError::new(span, e.to_string()).code(code)
    }

    pub fn code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let label = if self.label.is_empty() {
            "here".to_string()
        } else {
            self.label.clone()
        };
        let mut d = Diagnostic::new(self.code, self.message.clone()).label(self.span, label);
        if let Some(h) = &self.help {
            d = d.help(h.clone());
        }
        d
    }
}

pub type Result<T> = std::result::Result<T, RunError>;
