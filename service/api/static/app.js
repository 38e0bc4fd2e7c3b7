// Editors' page: paste an Italian article, watch progress (SSE over fetch), read the brief side by side.
// Text from the server is only ever inserted as text nodes (never as HTML).
//
// One state machine decides what is shown: idle → running → done | error | cancelled. `setState` is the
// only code that shows or hides a panel; every run starts by clearing every result area.
"use strict";

const $ = (id) => document.getElementById(id);

// Status marks are drawn by CSS (`::after { content: attr(data-tag) }`), so selecting and copying the
// text gives the text itself, never "Blinken✓".
const TAGS = { preserved: "✓", supported: "✓", altered: "≠ altered", missing: "✗ missing", unverified: "☐ check by hand",
  unsupported: "? not in article" };
const ISSUES = new Set(["altered", "missing"]);
const STATUS_WORDS = { preserved: "preserved", altered: "altered", missing: "missing", unverified: "to check by hand" };

// Stage times of the seed article's brief on the offline default (README "Benchmarks": translate 26.8 s
// for 6 blocks, headline 5.7 s, summary 17.6 s); replaced by this browser's own last runs once it has some.
const DEFAULT_SECONDS = { block: 4.5, headline: 5.7, summary: 17.6 };
const STAGE_NAMES = ["queued", "translate", "facts", "headline", "summary"];

const run = { state: "idle", streaming: false, keyNeeded: false, markdown: "", controller: null, timer: null };
let progress = null; // the running brief's progress model (see startProgress)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

const plural = (n, word, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

// --- the state machine --------------------------------------------------------------------------
function setState(state) {
  run.state = state;
  document.body.dataset.state = state;
  $("error").hidden = state !== "error";
  $("progress").hidden = !["running", "done", "cancelled"].includes(state);
  $("brief").hidden = !(state === "done" || (state === "running" && run.streaming));
  $("key-field").hidden = !run.keyNeeded;
  $("run").disabled = state === "running";
  $("cancel").hidden = state !== "running";
  const ready = state === "done" && run.markdown !== "";
  $("copy-md").disabled = !ready;
  $("download-md").disabled = !ready;
}

function clearResults() {
  run.markdown = "";
  run.streaming = false;
  for (const id of ["headline", "summary", "fact-counts", "warning-list", "rows", "captions", "removed", "meta", "copy-note",
    "progress-text", "progress-time", "error"]) $(id).textContent = "";
  $("captions-count").textContent = "0";
  $("removed-count").textContent = "0";
  $("warnings").hidden = true;
  $("progress-bar").value = 0;
  document.querySelectorAll("#stages li").forEach((li) => { li.className = ""; });
}

// --- highlighting --------------------------------------------------------------------------------
const WORD = /[\p{L}\p{N}]/u;

function wordSpan(text, [start, end]) { // never split a word: "Asia" in "Asian" marks "Asian"
  while (start > 0 && WORD.test(text[start - 1]) && WORD.test(text[start])) start -= 1;
  while (end < text.length && WORD.test(text[end]) && WORD.test(text[end - 1])) end += 1;
  return [start, end];
}

function findSpan(text, needle, taken) {
  if (!needle) return null;
  const lower = text.toLowerCase(), target = needle.toLowerCase();
  for (let at = lower.indexOf(target); at >= 0; at = lower.indexOf(target, at + 1)) {
    const span = [at, at + target.length];
    if (!taken.some(([s, e]) => s < span[1] && span[0] < e)) return span;
  }
  return null;
}

function spanFor(text, span, expected, taken) {
  if (Array.isArray(span) && span[1] <= text.length && (!expected || text.slice(span[0], span[1]) === expected)) return span;
  return findSpan(text, expected, taken); // spans are code points; fall back to searching the text
}

function nameOf(fact) { // "person:mario draghi" -> "mario draghi"
  return fact.canonical && ["person", "place", "org"].includes(fact.kind) ? fact.canonical.split(":").slice(1).join(":") : "";
}

function render(node, text, marks) {
  node.textContent = "";
  const sorted = marks.filter(Boolean).map((m) => ({ ...m, span: wordSpan(text, m.span) })).sort((a, b) => a.span[0] - b.span[0]);
  let at = 0;
  for (const mark of sorted) {
    const [start, end] = mark.span;
    if (start < at) continue; // overlapping: keep the first
    node.append(text.slice(at, start));
    const label = `${mark.kind}: ${STATUS_WORDS[mark.status] || mark.status}${mark.note ? ` — ${mark.note}` : ""}`;
    node.append(el("mark", { class: `fact fact-${mark.status}`, title: label, "aria-label": label, "data-status": mark.status,
      "data-tag": TAGS[mark.status] || mark.status }, text.slice(start, end)));
    at = end;
  }
  node.append(text.slice(at));
}

function blockMarks(block, facts) { // block: {source, translation}
  const source = [], target = [];
  for (const fact of facts) {
    const why = fact.detail ? ` (${fact.detail})` : "";
    const note = fact.status === "altered" ? `English has “${fact.target_text}”${why}` :
      fact.status === "missing" ? `not found in the English${why}` :
        fact.status === "unverified" ? `check by hand${why}` : (fact.target_text ? `English: ${fact.target_text}` : "");
    const s = spanFor(block.source, fact.source_span, fact.source_text, source.map((m) => m.span));
    if (s) source.push({ span: s, status: fact.status, kind: fact.kind, note });
    if (fact.status === "missing") continue;
    const t = spanFor(block.translation, fact.target_span, fact.target_text || nameOf(fact), target.map((m) => m.span));
    const back = fact.status === "altered" ? `Italian has “${fact.source_text}”${why}` : `Italian: ${fact.source_text}`;
    if (t) target.push({ span: t, status: fact.status, kind: fact.kind, note: back });
  }
  return { source, target };
}

function supportMarks(text, report) {
  const marks = [];
  for (const fact of (report && report.facts) || []) {
    const span = findSpan(text, fact.text, marks.map((m) => m.span));
    if (span) marks.push({ span, status: fact.status, kind: fact.kind, note: fact.status === "unsupported" ? "the article does not state this" : "" });
  }
  return marks;
}

// --- progress: by stage, weighted by measured stage times ------------------------------------------
function learnedSeconds() {
  try { return { ...DEFAULT_SECONDS, ...JSON.parse(sessionStorage.getItem("briefStageSeconds") || "{}") }; }
  catch { return { ...DEFAULT_SECONDS }; }
}

function learn(timings, blocks) {
  if (!timings || !blocks) return;
  const old = learnedSeconds(), mix = (a, b) => (b > 0 ? 0.5 * a + 0.5 * b : a);
  const next = { block: mix(old.block, (timings.translate || 0) / blocks), headline: mix(old.headline, timings.headline || 0),
    summary: mix(old.summary, timings.summary || 0) };
  sessionStorage.setItem("briefStageSeconds", JSON.stringify(next));
}

function startProgress() {
  progress = { started: performance.now(), stage: "queued", stageStarted: performance.now(), blocks: 0, blocksDone: 0,
    seconds: learnedSeconds(), layout: null };
  clearInterval(run.timer);
  run.timer = setInterval(tick, 250);
  tick();
}

function stopProgress() { clearInterval(run.timer); run.timer = null; }

function expected() { // seconds each stage should take for this article
  const s = progress.seconds, blocks = Math.max(progress.blocks, 1);
  return { queued: 0, translate: blocks * s.block, facts: 0, headline: s.headline, summary: s.summary };
}

function enterStage(name) {
  progress.stage = name;
  progress.stageStarted = performance.now();
  const index = STAGE_NAMES.indexOf(name);
  document.querySelectorAll("#stages li").forEach((li) => {
    const at = STAGE_NAMES.indexOf(li.dataset.stage);
    li.className = at < index ? "done" : at === index ? "active" : "";
  });
  tick();
}

function fraction() { // share of the expected work done; reaches 1 only when the result is in
  const exp = expected(), total = Object.values(exp).reduce((a, b) => a + b, 0) || 1;
  let done = 0;
  for (const name of STAGE_NAMES) {
    if (name === progress.stage) break;
    done += exp[name];
  }
  const inStage = (performance.now() - progress.stageStarted) / 1000;
  if (progress.stage === "translate") {
    const per = exp.translate / Math.max(progress.blocks, 1);
    done += progress.blocksDone * per + (progress.blocksDone < progress.blocks ? Math.min(inStage, 0.9 * per) : 0);
  } else {
    done += Math.min(inStage, 0.9 * exp[progress.stage]);
  }
  progress.shown = Math.max(progress.shown || 0, Math.min(done / total, 0.99)); // never backwards
  return { done: progress.shown, left: Math.max(total - done, 0) };
}

function tick() {
  if (!progress) return;
  const elapsed = (performance.now() - progress.started) / 1000;
  if (run.state !== "running") return;
  const { done, left } = fraction();
  $("progress-bar").value = done;
  const estimate = progress.stage === "queued" ? "" : left >= 1 ? ` · about ${Math.round(left)} s left` : " · finishing";
  $("progress-time").textContent = `${elapsed.toFixed(0)} s elapsed${estimate}`;
}

function blockName(position) { // the block at this position of the translation order, in words
  const { title, paragraphs, captions } = progress.layout;
  if (position < title) return "the title";
  if (position < title + paragraphs) return `paragraph ${position - title + 1} of ${paragraphs}`;
  return `caption ${position - title - paragraphs + 1} of ${captions}`;
}

function row(id, source, translation, cls = "", label = "") {
  const tr = el("tr", { id, class: cls });
  tr.append(el("td", { lang: "it" }, el("span", { class: "pnum" }, label), el("span", { class: "src" }, source)),
    el("td", { lang: "en", class: translation ? "" : "pending" }, el("span", { class: "tgt" }, translation || "translating…")));
  return tr;
}

function onEvent(name, data) {
  if (name === "queued") {
    $("progress-text").textContent = data.position ? `waiting for the model (${data.position} ahead)` : "starting…";
  } else if (name === "cleaned") {
    const title = data.title ? 1 : 0, paragraphs = data.paragraphs.length, captions = (data.captions || []).length;
    progress.layout = { title, paragraphs, captions };
    progress.blocks = title + paragraphs + captions;
    $("rows").textContent = "";
    if (title) $("rows").append(row("p-title", data.title, "", "title-row", "title"));
    data.paragraphs.forEach((p, i) => $("rows").append(row(`p-${i}`, p, "", "", `¶${i + 1}`)));
    fillList("captions", data.captions);
    fillList("removed", data.removed);
    run.streaming = true;
    setState("running");
    enterStage("translate");
    $("progress-text").textContent = `${plural(paragraphs, "paragraph")}${title ? " and a title" : ""}` +
      `${captions ? `, ${plural(captions, "caption")}` : ""}; translating ${blockName(0)}…`;
  } else if (name === "paragraph") {
    progress.blocksDone = data.position + 1;
    progress.stageStarted = performance.now();
    const id = data.block === "title" ? "p-title" : data.block === "paragraph" ? `p-${data.index}` : null;
    const target = id && $(id);
    if (target) { const td = target.cells[1]; td.className = ""; td.querySelector(".tgt").textContent = data.translation; }
    $("progress-text").textContent = data.position + 1 < progress.blocks ? `translating ${blockName(data.position + 1)}…` : "checking the facts…";
  } else if (name === "facts") {
    enterStage("headline");
    const report = data.translation || {};
    $("progress-text").textContent = `facts checked: ${plural(report.issues || 0, "issue")}; writing the headline…`;
  } else if (name === "headline") {
    $("headline").textContent = data.text;
    enterStage("summary");
    $("progress-text").textContent = "writing the summary…";
  } else if (name === "summary") {
    $("summary").textContent = data.text;
    $("progress-text").textContent = "finishing…";
  } else if (name === "result") showBrief(data.result, data.markdown);
  else if (name === "error") showError(data.error);
}

function fillList(id, items) {
  $(id).textContent = "";
  (items || []).forEach((item) => $(id).append(el("li", {}, item)));
  $(`${id}-count`).textContent = (items || []).length;
}

// --- the brief -----------------------------------------------------------------------------------
function factCounts(facts) {
  const counts = {};
  facts.forEach((f) => { counts[f.status] = (counts[f.status] || 0) + 1; });
  return facts.length
    ? `${plural(facts.length, "fact")} checked: ` + Object.entries(counts).map(([s, n]) => `${n} ${STATUS_WORDS[s] || s}`).join(", ")
    : "no figures or names found to check";
}

function briefRow(id, block, facts, label) {
  const flagged = facts.some((f) => ISSUES.has(f.status));
  const tr = row(id, "", block.translation, [label === "title" ? "title-row" : "", flagged ? "flagged" : ""].join(" ").trim(), label);
  const marks = blockMarks(block, facts);
  render(tr.querySelector(".src"), block.source, marks.source);
  render(tr.querySelector(".tgt"), block.translation, marks.target);
  return tr;
}

function showBrief(result, md) {
  stopProgress();
  run.markdown = md || "";
  const report = result.facts.translation || { facts: [] };
  const facts = report.facts || [];
  render($("headline"), result.headline || result.title || "(no headline)", supportMarks(result.headline || "", result.facts.headline));
  render($("summary"), result.summary || "", supportMarks(result.summary || "", result.facts.summary));
  $("fact-counts").textContent = factCounts(facts);
  $("rows").textContent = "";
  if (result.source_title) {
    const titleFacts = facts.filter((f) => f.title != null);
    $("rows").append(briefRow("p-title", { source: result.source_title, translation: result.title || "" }, titleFacts, "title"));
  }
  for (const paragraph of result.paragraphs) {
    $("rows").append(briefRow(`p-${paragraph.index}`, paragraph, facts.filter((f) => f.paragraph === paragraph.index), `¶${paragraph.index + 1}`));
  }
  const warnings = result.warnings || [];
  $("warning-list").textContent = "";
  for (const w of warnings) {
    const li = el("li", { "data-code": w.code }, w.message);
    if (w.paragraph != null) li.append(" (", el("a", { href: `#p-${w.paragraph}` }, `¶${w.paragraph + 1}`), ")");
    $("warning-list").append(li);
  }
  $("warnings").hidden = warnings.length === 0;
  $("captions").textContent = "";
  (result.captions || []).forEach((source, i) => {
    const caption = { source, translation: (result.captions_translation || [])[i] || "" };
    const marks = blockMarks(caption, facts.filter((f) => f.caption === i));
    const it = el("span", { lang: "it", class: "src" }), en = el("span", { lang: "en", class: "tgt" });
    render(it, caption.source, marks.source);
    render(en, caption.translation, marks.target);
    $("captions").append(el("li", {}, it, " — ", en));
  });
  $("captions-count").textContent = (result.captions || []).length;
  fillList("removed", result.removed);
  $("meta").textContent = `Models: ${Object.entries(result.models).map(([k, v]) => `${k}=${v}`).join(", ")}; guard: ${result.guard}; ` +
    `${result.usage.completion_tokens} tokens generated.`;
  const blocks = (result.source_title ? 1 : 0) + result.paragraphs.length + (result.captions || []).length;
  learn(result.timings, blocks);
  document.querySelectorAll("#stages li").forEach((li) => { li.className = "done"; });
  $("progress-bar").value = 1;
  $("progress-text").textContent = `done in ${(result.timings.total || 0).toFixed(1)} s`;
  $("progress-time").textContent = "";
  setState("done");
  $("brief").scrollIntoView({ block: "start" });
}

function showError(error, retryAfter) {
  stopProgress();
  const box = $("error");
  box.textContent = "";
  box.append(el("strong", {}, error.message || "Something went wrong."));
  if (error.hint) box.append(el("div", {}, `How to fix: ${error.hint}`));
  if (retryAfter) box.append(el("div", {}, `Try again in ${retryAfter} s.`));
  box.append(el("code", {}, error.code || ""));
  if (error.code === "unauthorized") run.keyNeeded = true;
  setState("error");
}

function cancel() {
  if (run.state !== "running" || !run.controller) return;
  run.controller.abort(); // closes the stream: the server stops the run at its next token
}

async function submit(event) {
  event.preventDefault();
  if (run.state === "running") return;
  clearResults();
  run.controller = new AbortController();
  setState("running");
  startProgress();
  enterStage("queued");
  $("progress-text").textContent = "sending…";
  if ($("api-key").value.trim()) sessionStorage.setItem("briefApiKey", $("api-key").value.trim());
  const body = { article: $("article").value, format: $("format").value };
  if ($("title").value.trim()) body.title = $("title").value.trim();
  try {
    const response = await fetch("/v1/briefs/stream", { method: "POST", headers: apiHeaders(), body: JSON.stringify(body),
      signal: run.controller.signal });
    if (!response.ok) {
      const data = await response.json().catch(() => ({ error: { code: `http_${response.status}`, message: response.statusText } }));
      showError(data.error || {}, response.headers.get("Retry-After"));
      return;
    }
    await readEvents(response.body.getReader());
    if (run.state === "running") showError({ code: "stream_ended", message: "The server closed the stream before the brief was ready.", hint: "try again" });
  } catch (err) {
    if (err.name === "AbortError") {
      stopProgress();
      const elapsed = progress ? ((performance.now() - progress.started) / 1000).toFixed(0) : "0";
      $("progress-text").textContent = `cancelled after ${elapsed} s; the server stopped the run`;
      $("progress-time").textContent = "";
      setState("cancelled");
    } else {
      showError({ code: "network_error", message: `The connection failed: ${err.message}`, hint: "check that the server is running" });
    }
  } finally {
    run.controller = null;
  }
}

function apiHeaders() {
  const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
  const key = $("api-key").value.trim() || sessionStorage.getItem("briefApiKey") || "";
  if (key) headers.Authorization = `Bearer ${key}`;
  return headers;
}

async function readEvents(reader) {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

async function copyMarkdown() {
  if (run.state !== "done" || !run.markdown) return;
  try { await navigator.clipboard.writeText(run.markdown); }
  catch { const area = el("textarea"); area.value = run.markdown; document.body.append(area); area.select(); document.execCommand("copy"); area.remove(); }
  $("copy-note").textContent = "copied";
  setTimeout(() => { $("copy-note").textContent = ""; }, 2000);
}

function downloadMarkdown() {
  if (run.state !== "done" || !run.markdown) return;
  const link = el("a", { href: URL.createObjectURL(new Blob([run.markdown], { type: "text/markdown" })), download: "brief.md" });
  document.body.append(link); link.click(); link.remove();
}

function loadFile() {
  const file = $("file").files[0];
  if (!file) return;
  const ext = file.name.split(".").pop().toLowerCase();
  $("format").value = { html: "html", htm: "html", md: "markdown", markdown: "markdown", txt: "text" }[ext] || "auto";
  file.text().then((text) => { $("article").value = text; });
}

async function checkModel() {
  const status = $("model-status");
  try {
    const response = await fetch("/readyz");
    const data = await response.json();
    status.textContent = data.status === "ready" ? `model ready: ${data.model}` : data.status === "loading" ? "loading the model…" :
      `model ${data.status}: ${(data.error && data.error.message) || ""}`;
    status.className = `model-status ${data.status}`;
    if (data.status === "loading") setTimeout(checkModel, 3000);
  } catch { status.textContent = "server unreachable"; }
}

document.addEventListener("DOMContentLoaded", () => {
  $("input-form").addEventListener("submit", submit);
  $("cancel").addEventListener("click", cancel);
  $("file").addEventListener("change", loadFile);
  $("copy-md").addEventListener("click", copyMarkdown);
  $("download-md").addEventListener("click", downloadMarkdown);
  if (sessionStorage.getItem("briefApiKey")) { $("api-key").value = sessionStorage.getItem("briefApiKey"); run.keyNeeded = true; }
  setState("idle");
  checkModel();
});
