//! Diagnostics: one type for every stage (parse, check, run), rendered by miette with the
//! source line, a label at the span, a code (`wmd::parse::...`, `wmd::check::...`) and help.

use crate::span::{Sources, Span};
use miette::{LabeledSpan, NamedSource};
use std::fmt;

mod clip;
mod codes;

pub use codes::ErrorCode;

/// A labelled span: the primary label comes first.
#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One error found in a script.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable code such as `wmd::check::unknown_name`.
    pub code: ErrorCode,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// Attach the source text so miette can render it. Labels in other files than the
    /// primary one are folded into the help text (miette shows one source per report).
    pub fn to_report(&self, sources: &Sources) -> miette::Report {
        let rendered = Rendered::new(self, sources);
        miette::Report::new(rendered)
    }
}

/// A list of diagnostics from one stage; never empty when returned as an error.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn one(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }

    /// Render every diagnostic as text, with the graphical theme (no colour, fixed width) so
    /// that output is stable for snapshots and readable in logs.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&render_one(d, sources, color));
        }
        let n = self.0.len();
        if n > 1 {
            out.push_str(&format!("{n} errors\n"));
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::one(d)
    }
}

/// Render one diagnostic at a fixed width of 100 columns.
pub fn render_one(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    let rendered = Rendered::new(d, sources);
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!("error[{}]: {}\n", d.code, d.message);
    }
    out
}

/// A diagnostic bound to its source text, implementing miette's trait.
#[derive(Debug)]
struct Rendered {
    code: String,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<clip::Clipped>>,
    labels: Vec<LabeledSpan>,
}

impl Rendered {
    fn new(d: &Diagnostic, sources: &Sources) -> Self {
        let primary = d.primary_span();
        let mut help = d.help.clone();
        let mut here = Vec::new();
        for (i, l) in d.labels.iter().enumerate() {
            if Some(l.span.file) == primary.map(|p| p.file) {
                here.push((i, l));
            } else {
                let file = &sources.get(l.span.file).name;
                let line = sources.line_of(l.span);
                let note = format!("{} (at {file}:{line})", l.text);
                help = Some(match help {
                    Some(h) => format!("{h}\n{note}"),
                    None => note,
                });
            }
        }
        let (source, labels) = match primary {
            Some(p) => {
                let f = sources.get(p.file);
                let spans: Vec<(usize, usize)> = here
                    .iter()
                    .map(|(_, l)| (l.span.start as usize, l.span.len()))
                    .collect();
                let (text, moved) = clip::clip(&f.text, &spans);
                let labels = here.iter().zip(moved).map(|((i, l), at)| {
                    let text = (!l.text.is_empty()).then(|| l.text.clone());
                    if *i == 0 {
                        LabeledSpan::new_primary_with_span(text, at)
                    } else {
                        LabeledSpan::new_with_span(text, at)
                    }
                });
                let source = NamedSource::new(f.name.clone(), text);
                (Some(source), labels.collect())
            }
            None => (None, Vec::new()),
        };
        Rendered {
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            help,
            source,
            labels,
        }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.clone().into_iter()))
        }
    }
}
