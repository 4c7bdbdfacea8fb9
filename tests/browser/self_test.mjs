#!/usr/bin/env node
// The checker's own test: it must FAIL on broken reports. From a good output folder (one with
// expects and figures, e.g. examples/marchenko_pastur.wmd's), makes broken copies — an emptied
// <svg>, a console.error, a thrown error, a figure missing, an extra figures/*.svg, a squashed
// figure, a hidden figure, no expectations table, a request to the network — and requires
// check_report.mjs to exit 1 on each, saying why.
//
//   node tests/browser/self_test.mjs GOOD_OUT_DIR
//
// Exit status: 0 every broken copy was caught, 1 one was not (or the good folder did not pass).

import { cpSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const checker = join(here, "check_report.mjs");
const [goodArg, ...rest] = process.argv.slice(2);
if (!goodArg || rest.length) {
  console.error("usage: node tests/browser/self_test.mjs GOOD_OUT_DIR");
  process.exit(2);
}
const good = resolve(goodArg);

/** Replace the first match of `re` in the report, or fail loudly if there is none. */
const edit = (re, to) => (html) => {
  if (!re.test(html)) throw new Error(`the good report has no ${re}`);
  return html.replace(re, to);
};
const beforeBodyEnd = (s) => edit(/<\/body>/, `${s}\n</body>`);

// name, what to do to the copy, a piece of what the checker must say.
const cases = [
  ["empty-svg", { html: edit(/(<svg[^>]*>)[\s\S]*?<\/svg>/, "$1</svg>") }, "not white"],
  ["console-error", { html: beforeBodyEnd("<script>console.error('x')</script>") }, "console error: x"],
  ["page-error", { html: beforeBodyEnd("<script>throw new Error('boom')</script>") }, "page error: boom"],
  ["missing-figure", { html: edit(/<figure[\s\S]*?<\/figure>\n/, "") }, "has no <figure"],
  ["extra-svg-file", { files: (dir) => {
      const f = readdirSync(join(dir, "figures")).find((n) => n.endsWith(".svg"));
      cpSync(join(dir, "figures", f), join(dir, "figures", "extra.svg"));
    } }, "files in figures/"],
  ["squashed-figure", { html: edit(/(<svg[^>]*?) height="440"/, '$1 height="300"') }, "aspect"],
  ["hidden-figure", { html: edit(/<\/style>/, "figure svg{display:none}</style>") }, "width 0 px"],
  ["no-expectations-table", { html: edit(/<table>[\s\S]*?<\/table>\n/, "") }, "no expectations table"],
  ["network-request", { html: beforeBodyEnd('<img src="http://127.0.0.1:9/x.png" alt="">') }, "the page fetched"],
];

const run = (dir) =>
  new Promise((done) => {
    execFile(process.execPath, [checker, dir, join(dir, "shot.png")], (err, stdout, stderr) =>
      done({ code: err ? (err.code ?? 1) : 0, stdout, stderr }),
    );
  });

const root = mkdtempSync(join(tmpdir(), "wmd-browser-self-test-"));
let bad = 0;
try {
  const base = await run(good);
  if (base.code !== 0) {
    console.error(`FAILED the good folder ${good} does not pass:\n${base.stdout}${base.stderr}`);
    process.exit(1);
  }
  console.log(`ok  good: ${good} passes`);
  // A few at a time: each is a Chromium.
  const results = [];
  for (let i = 0; i < cases.length; i += 3) {
    results.push(
      ...(await Promise.all(
        cases.slice(i, i + 3).map(async ([name, how, says]) => {
          const dir = join(root, name);
          cpSync(good, dir, { recursive: true });
          if (how.html) {
            const p = join(dir, "report.html");
            writeFileSync(p, how.html(readFileSync(p, "utf8")));
          }
          if (how.files) how.files(dir);
          return { name, says, ...(await run(dir)) };
        }),
      )),
    );
  }
  for (const { name, says, code, stdout, stderr } of results) {
    const why = stderr.split("\n").find((l) => l.includes(says));
    if (code === 1 && why) console.log(`ok  ${name}: caught (${why.replace(/^FAILED /, "")})`);
    else {
      bad++;
      console.error(`FAILED ${name}: exit ${code}, want 1 with "${says}"\n${stdout}${stderr}`);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (bad) {
  console.error(`self_test: ${bad} of ${cases.length} broken reports were not caught`);
  process.exit(1);
}
console.log(`self_test: all ${cases.length} broken reports caught`);
