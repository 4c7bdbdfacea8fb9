#!/usr/bin/env node
// Opens a wmd output folder's report.html in headless Chromium and checks that it renders:
// no console or page errors, no requests beyond the page itself, one <figure> per
// figures/*.svg with the same names, every figure at its size and not blank (on screen and
// drawn as an image into a canvas), the expectations table when the results have expects.
// Saves a full-page screenshot.
//
//   node tests/browser/check_report.mjs OUT_DIR SCREENSHOT.png
//
// Exit status: 0 all checks pass, 1 a check failed, 2 bad usage or the browser could not run.
// The browser is $CHROMIUM, else /usr/bin/chromium. See README.md beside this file.

import { readFileSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

// What a figure must be: wmd's SVGs are 720×440; the page may scale them down.
const SVG_W = 720;
const SVG_H = 440;
const MIN_WIDTH = 400;
const ASPECT_TOLERANCE = 0.02;
// Not blank: at least this fraction of pixels not white (any channel < 250: faint grid lines
// count, an empty SVG is 0%, its title alone < 1%), and more than a handful of colours.
const MIN_INK = 0.02;
const MIN_COLOURS = 16;

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function usage(message) {
  console.error(`check_report: ${message}`);
  console.error("usage: node tests/browser/check_report.mjs OUT_DIR SCREENSHOT.png");
  process.exit(2);
}

const [outArg, shotArg, ...rest] = process.argv.slice(2);
if (!outArg || !shotArg || rest.length) usage("expected two arguments");
const outDir = resolve(outArg);
const shotPath = resolve(shotArg);
const reportPath = join(outDir, "report.html");
if (!existsSync(reportPath)) usage(`no report.html in ${outDir}`);

// --- What the output folder says the page must show -----------------------------------------

const figDir = join(outDir, "figures");
const svgFiles = existsSync(figDir)
  ? readdirSync(figDir)
      .filter((f) => f.endsWith(".svg"))
      .map((f) => f.slice(0, -".svg".length))
      .sort()
  : [];

/** The expects of the run as [{text, passed}], from results.yaml, .json or .csv. */
function readExpects() {
  const yaml = join(outDir, "results.yaml");
  const json = join(outDir, "results.json");
  const csv = join(outDir, "results.csv");
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, "utf8"));
    return (r.expects ?? []).map((e) => ({ text: e.expect, passed: e.passed === true }));
  }
  if (existsSync(yaml)) {
    // The top-level `expects:` block: `- expect: TEXT` then `  passed: BOOL` per entry.
    const lines = readFileSync(yaml, "utf8").split("\n");
    const start = lines.indexOf("expects:");
    if (start < 0) return [];
    const out = [];
    for (const line of lines.slice(start + 1)) {
      if (/^\S/.test(line)) {
        if (!line.startsWith("- ")) break; // the next top-level key
        out.push({ text: line.replace(/^- expect:\s*/, ""), passed: null });
      } else {
        const m = /^\s+passed:\s*(true|false)\s*$/.exec(line);
        if (m && out.length) out[out.length - 1].passed = m[1] === "true";
      }
    }
    return out;
  }
  if (existsSync(csv)) {
    // Rows `expect,TEXT,,passed,BOOL,`; the text may be quoted, the verdict is what ends it.
    return readFileSync(csv, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("expect,"))
      .map((l) => ({ text: l, passed: /,passed,true,[^,]*$/.test(l) }));
  }
  usage(`no results.yaml, results.json or results.csv in ${outDir}`);
}
const expects = readExpects();

// --- The page in the browser ---------------------------------------------------------------

const failures = [];
const fail = (m) => failures.push(m);

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
let browser;
try {
  browser = await chromium.launch({ executablePath, args: ARGS, timeout: 60_000 });
} catch (e) {
  console.error(`check_report: could not start Chromium at ${executablePath}: ${e.message}`);
  process.exit(2);
}

let figures = [];
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);

  const consoleErrors = [];
  const pageErrors = [];
  const requests = [];
  let loading = true;
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()} (${m.location().url || "page"})`);
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const url = pathToFileURL(reportPath).href;
  page.on("request", (r) => {
    if (loading && r.url() !== url) requests.push(r.url());
  });

  const response = await page.goto(url, { waitUntil: "load" });
  if (response && !response.ok()) fail(`report.html did not load: ${response.status()}`);
  await page.evaluate(() => document.fonts.ready);
  loading = false;

  // The document: its sections, the expectations table, the figures and their boxes.
  const doc = await page.evaluate(() => {
    const h2 = [...document.querySelectorAll("h2")].map((h) => h.textContent.trim());
    const expHead = [...document.querySelectorAll("h2")].find((h) =>
      h.textContent.startsWith("Expectations"),
    );
    let table = null;
    if (expHead) {
      let el = expHead.nextElementSibling;
      while (el && el.tagName !== "TABLE" && el.tagName !== "H2") el = el.nextElementSibling;
      if (el && el.tagName === "TABLE") {
        const rows = [...el.querySelectorAll("tr")].filter((tr) => tr.querySelector("td"));
        const box = el.getBoundingClientRect();
        table = {
          heading: expHead.textContent.trim(),
          rows: rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
          visible: box.width > 0 && box.height > 0,
        };
      }
    }
    const figures = [...document.querySelectorAll("figure")].map((f) => {
      const svgs = f.querySelectorAll(":scope > svg");
      const svg = svgs[0];
      const box = svg ? svg.getBoundingClientRect() : null;
      return {
        id: f.id,
        svgCount: svgs.length,
        caption: f.querySelector("figcaption")?.textContent.trim() ?? null,
        width: box ? box.width : 0,
        height: box ? box.height : 0,
      };
    });
    return { h2, table, figures, scripts: document.scripts.length, title: document.title };
  });
  figures = doc.figures;

  // (1) No errors, nothing fetched, no scripts: the page is self-contained.
  for (const e of consoleErrors) fail(`console error: ${e}`);
  for (const e of pageErrors) fail(`page error: ${e}`);
  for (const r of requests) fail(`the page fetched ${r} (it must be self-contained)`);
  if (doc.scripts) fail(`the page has ${doc.scripts} <script> element(s); it must have none`);
  for (const s of ["Summary", "Manifest"])
    if (!doc.h2.includes(s)) fail(`no "${s}" section (sections: ${doc.h2.join(", ")})`);

  // (3) One figure per figures/*.svg, same names; the expectations table when there are expects.
  const ids = figures.map((f) => f.id).sort();
  if (ids.length !== svgFiles.length)
    fail(`${ids.length} <figure>s on the page but ${svgFiles.length} files in figures/`);
  for (const n of svgFiles.filter((n) => !ids.includes(n)))
    fail(`figures/${n}.svg has no <figure id="${n}"> on the page`);
  for (const n of ids.filter((n) => !svgFiles.includes(n)))
    fail(`<figure id="${n}"> has no figures/${n}.svg`);
  if (new Set(ids).size !== ids.length) fail(`figure ids repeat: ${ids.join(", ")}`);
  if (figures.length && !doc.h2.includes("Figures")) fail(`figures but no "Figures" section`);

  if (expects.length) {
    const t = doc.table;
    const held = expects.filter((e) => e.passed).length;
    if (!t) fail(`the results have ${expects.length} expects but the page has no expectations table`);
    else {
      if (t.rows.length !== expects.length)
        fail(`expectations table has ${t.rows.length} rows, the results ${expects.length} expects`);
      const ok = t.rows.filter((r) => r[1] === "ok").length;
      if (ok !== held) fail(`expectations table shows ${ok} ok, the results ${held} passed`);
      if (t.heading !== `Expectations: ${held} of ${expects.length} hold`)
        fail(`expectations heading "${t.heading}" (want "${held} of ${expects.length} hold")`);
      if (!t.visible) fail("the expectations table is not visible");
      console.log(`ok  expectations table: ${t.rows.length} rows, ${ok} ok`);
    }
  } else if (doc.h2.some((h) => h.startsWith("Expectations"))) {
    fail("the results have no expects but the page shows an expectations section");
  }

  // (2) Every figure at its size and not blank.
  for (const [i, f] of figures.entries()) {
    const problems = [];
    if (f.svgCount !== 1) problems.push(`${f.svgCount} <svg> children (want 1)`);
    if (!f.caption) problems.push("no caption");
    const aspect = f.height > 0 ? f.width / f.height : 0;
    const want = SVG_W / SVG_H;
    if (f.width < MIN_WIDTH) problems.push(`width ${f.width.toFixed(0)} px < ${MIN_WIDTH}`);
    if (Math.abs(aspect / want - 1) > ASPECT_TOLERANCE)
      problems.push(`aspect ${aspect.toFixed(3)} (want ${want.toFixed(3)} ± 2%)`);
    let pixels = "";
    if (f.svgCount >= 1 && f.width > 0 && f.height > 0) {
      const svg = page.locator("figure").nth(i).locator(":scope > svg").first();
      // On screen: what the page shows, as a screenshot of the element.
      const png = await svg.screenshot({ type: "png", animations: "disabled" });
      const screen = await page.evaluate(inkOf, {
        src: `data:image/png;base64,${png.toString("base64")}`,
        inset: await svg.evaluate((el) => el.clientLeft), // the page's border is not the figure
      });
      // As an image: the SVG serialized and drawn into a canvas at its own size.
      const drawn = await svg.evaluate((el) => ({
        src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(
          new XMLSerializer().serializeToString(el),
        )}`,
        width: el.width.baseVal.value || el.getBoundingClientRect().width,
        height: el.height.baseVal.value || el.getBoundingClientRect().height,
      }));
      const image = await page.evaluate(inkOf, drawn);
      for (const [how, r] of [["on screen", screen], ["as an image", image]]) {
        if (r.error) problems.push(`${how}: ${r.error}`);
        else {
          if (r.ink < MIN_INK)
            problems.push(`${how}: ${(100 * r.ink).toFixed(1)}% not white (want ≥ ${100 * MIN_INK}%)`);
          if (r.colours < MIN_COLOURS)
            problems.push(`${how}: ${r.colours} colours (want ≥ ${MIN_COLOURS})`);
        }
      }
      const fmt = (r) =>
        r.error ? "error" : `${(100 * r.ink).toFixed(1)}% ink ${r.colours} colours`;
      pixels = `  screen ${fmt(screen)}, image ${fmt(image)}`;
    }
    const size = `${f.width.toFixed(0)}x${f.height.toFixed(0)}`;
    if (problems.length) {
      console.log(`FAIL figure ${f.id || `#${i + 1}`}  ${size}${pixels}`);
      for (const p of problems) fail(`figure ${f.id || `#${i + 1}`}: ${p}`);
    } else {
      console.log(`ok  figure ${f.id}  ${size}${pixels}`);
    }
  }

  // (4) The screenshot, for a person to look at.
  mkdirSync(dirname(shotPath), { recursive: true });
  await page.screenshot({ path: shotPath, fullPage: true });
  await context.close();
} catch (e) {
  fail(`the browser check stopped: ${e.stack || e.message}`);
} finally {
  await browser.close();
}

if (failures.length) {
  for (const f of failures) console.error(`FAILED ${f}`);
  console.error(
    `check_report: ${reportPath}: ${failures.length} problem(s); screenshot ${existsSync(shotPath) ? shotPath : "not taken"}`,
  );
  process.exit(1);
}
console.log(
  `check_report: ${reportPath}: ok, ${figures.length} figure(s), ${expects.length} expect(s), no console or page errors; screenshot ${shotPath}`,
);

/**
 * In the page: load `src` as an image, draw it on white into a canvas (`width`×`height`, else
 * the image's own size) and measure it: the fraction of pixels not white, and how many
 * distinct colours, `inset` pixels in from the edges. Self-contained: it is sent to the page as source.
 */
async function inkOf({ src, width, height, inset = 0 }) {
  const img = new Image();
  try {
    img.src = src;
    await img.decode();
  } catch (e) {
    return { error: `the image does not decode (${e.message})` };
  }
  const w = Math.round(width || img.naturalWidth);
  const h = Math.round(height || img.naturalHeight);
  if (!w || !h) return { error: "the image has no size" };
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(img, 0, 0, w, h);
  let data;
  try {
    data = ctx.getImageData(inset, inset, w - 2 * inset, h - 2 * inset).data;
  } catch (e) {
    return { error: `the canvas cannot be read (${e.message})` };
  }
  let ink = 0;
  const colours = new Set();
  for (let p = 0; p < data.length; p += 4) {
    const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
    if (r < 250 || g < 250 || b < 250) ink++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { ink: ink / (data.length / 4), colours: colours.size };
}
