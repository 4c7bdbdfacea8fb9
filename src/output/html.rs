//! `report.html`: one self-contained page of a run — the summary, every expectation with its
//! verdict, every figure inline (the same SVG as `figures/*.svg`), and the manifest. No
//! scripts, no fonts or styles from the network: it opens from disk anywhere.

use super::figures::Figure;
use crate::ir::outcome::Outcome;
use std::fmt::Write;

/// What the page shows besides the outcome: the script's name, the summary text and the
/// manifest as text.
pub struct Page<'a> {
    pub script: &'a str,
    pub summary: &'a str,
    pub manifest: &'a str,
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;\
padding:0 1em;color:#1b1b1b}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;\
border-bottom:1px solid #ddd}pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:.85em}\
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #e4e4e4;\
text-align:left;vertical-align:top}td.ok{color:#176b1d;font-weight:600}\
td.failed{color:#b00020;font-weight:600}figure{margin:1.5em 0}figcaption{font-size:.9em;\
color:#444}figure svg{max-width:100%;height:auto;border:1px solid #eee}code{font-size:.95em}";

/// Escape text for HTML.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The page, with each figure's SVG as rendered.
pub fn page(p: &Page, outcome: &Outcome, figures: &[(Figure, String)]) -> String {
    let mut h = String::new();
    let title = escape(p.script);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>wmd: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>wmd run <code>{title}</code></h1>\n"
    );
    expectations(&mut h, outcome);
    let _ = write!(h, "<h2>Summary</h2>\n<pre>{}</pre>\n", escape(p.summary));
    figure_section(&mut h, figures);
    let _ = write!(
        h,
        "<h2>Manifest</h2>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape(p.manifest)
    );
    h
}

fn expectations(h: &mut String, outcome: &Outcome) {
    if outcome.expects.is_empty() {
        return;
    }
    let held = outcome.expects.iter().filter(|e| e.passed).count();
    let _ = write!(
        h,
        "<h2>Expectations: {held} of {} hold</h2>\n<table>\n\
         <tr><th>expect</th><th>verdict</th><th>how</th></tr>\n",
        outcome.expects.len()
    );
    for e in &outcome.expects {
        let (class, verdict) = if e.passed {
            ("ok", "ok")
        } else {
            ("failed", "FAILED")
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"{class}\">{verdict}</td><td>{}</td></tr>",
            escape(&e.text),
            escape(&e.detail)
        );
    }
    h.push_str("</table>\n");
}

fn figure_section(h: &mut String, figures: &[(Figure, String)]) {
    if figures.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h2>Figures</h2>");
    for (fig, svg) in figures {
        let body = svg.trim_start_matches(|c| c != '<');
        let _ = write!(
            h,
            "<figure id=\"{id}\">\n{body}\n<figcaption><code>{title}</code> — \
             <a href=\"figures/{id}.svg\">figures/{id}.svg</a></figcaption>\n</figure>\n",
            id = escape(&fig.name),
            title = escape(&fig.title),
        );
    }
}
