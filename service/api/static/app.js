// Editors' page: paste an Italian article, watch progress (SSE over fetch), read the brief side by side.
// Text from the server is only ever inserted as text nodes (never as HTML).
"use strict";

const $ = (id) => document.getElementById(id);
const STAGES = ["queued", "cleaned", "paragraph", "facts", "headline", "summary"];
const TAGS = { preserved: "✓", supported: "✓", altered: "≠ altered", missing: "✗ missing", unsupported: "? not in article", unverified: "☐ check by hand" };
let markdown = "";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function apiHeaders() {
  const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
  const key = $("api-key").value.trim() || sessionStorage.getItem("briefApiKey") || "";
  if (key) headers.Authorization = `Bearer ${key}`;
  return headers;
}

// --- highlighting --------------------------------------------------------------------------
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
  const sorted = marks.filter(Boolean).sort((a, b) => a.span[0] - b.span[0]);
  let at = 0;
  for (const mark of sorted) {
    const [start, end] = mark.span;
    if (start < at) continue; // overlapping: keep the first
    node.append(text.slice(at, start));
    const tag = TAGS[mark.status] || mark.status;
    const label = `${mark.kind}: ${mark.status}${mark.note ? ` — ${mark.note}` : ""}`;
    node.append(el("mark", { class: `fact fact-${mark.status}`, title: label, "aria-label": label, "data-status": mark.status },
      text.slice(start, end), el("span", { class: "tag", "aria-hidden": "true" }, tag)));
    at = end;
  }
  node.append(text.slice(at));
}

function paragraphMarks(paragraph, facts) {
  const source = [], target = [];
  for (const fact of facts) {
    const note = fact.status === "altered" ? `English has “${fact.target_text}”` :
      fact.status === "missing" ? "not found in the English" : (fact.target_text ? `English: ${fact.target_text}` : "");
    const s = spanFor(paragraph.source, fact.source_span, fact.source_text, source.map((m) => m.span));
    if (s) source.push({ span: s, status: fact.status, kind: fact.kind, note });
    if (fact.status === "missing") continue;
    const t = spanFor(paragraph.translation, fact.target_span, fact.target_text || nameOf(fact), target.map((m) => m.span));
    const back = fact.status === "altered" ? `Italian has “${fact.source_text}”` : `Italian: ${fact.source_text}`;
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

// --- progress ------------------------------------------------------------------------------
function stage(name, text) {
  const index = STAGES.indexOf(name);
  document.querySelectorAll("#stages li").forEach((li, i) => {
    li.className = i < index ? "done" : i === index ? "active" : "";
  });
  if (text) $("progress-text").textContent = text;
}

function row(index, source, translation, cls = "") {
  const tr = el("tr", { id: `p-${index}`, class: cls });
  const num = el("span", { class: "pnum" }, index >= 0 ? `¶${index + 1}` : "");
  tr.append(el("td", { lang: "it" }, num, el("span", { class: "src" }, source)),
    el("td", { lang: "en", class: translation ? "" : "pending" }, el("span", { class: "tgt" }, translation || "translating…")));
  return tr;
}

function onEvent(name, data) {
  if (name === "queued") stage("queued", data.position ? `waiting for the model (${data.position} ahead)` : "starting…");
  else if (name === "cleaned") {
    $("brief").hidden = false;
    $("rows").textContent = "";
    if (data.title) $("rows").append(row(-1, data.title, "", "title-row"));
    data.paragraphs.forEach((p, i) => $("rows").append(row(i, p, "")));
    fillList("captions", data.captions); fillList("removed", data.removed);
    stage("paragraph", `${data.paragraphs.length} paragraphs; translating…`);
  } else if (name === "paragraph") {
    // data.block is "title", "paragraph" or "caption"; data.index counts within that block kind
    $("progress-bar").value = (data.position + 1) / data.total;
    const id = data.block === "title" ? "p--1" : data.block === "paragraph" ? `p-${data.index}` : null;
    const target = id && $(id);
    if (target) { const td = target.cells[1]; td.className = ""; td.querySelector(".tgt").textContent = data.translation; }
    stage("paragraph", `translated ${data.position + 1} of ${data.total}`);
  } else if (name === "facts") stage("headline", `facts checked: ${data.translation.issues} issue(s); writing the headline…`);
  else if (name === "headline") { $("headline").textContent = data.text; stage("summary", "writing the summary…"); }
  else if (name === "summary") { $("summary").textContent = data.text; stage("summary", "finishing…"); }
  else if (name === "result") showBrief(data.result, data.markdown);
  else if (name === "error") showError(data.error);
}

function fillList(id, items) {
  $(id).textContent = "";
  (items || []).forEach((item) => $(id).append(el("li", {}, item)));
  $(`${id}-count`).textContent = (items || []).length;
}

// --- the brief ---------------------------------------------------------------------------------
function showBrief(result, md) {
  markdown = md;
  document.querySelectorAll("#stages li").forEach((li) => { li.className = "done"; });
  $("progress-bar").value = 1;
  $("progress-text").textContent = `done in ${(result.timings.total || 0).toFixed(1)} s`;
  render($("headline"), result.headline || result.title || "(no headline)", supportMarks(result.headline || "", result.facts.headline));
  render($("summary"), result.summary || "", supportMarks(result.summary || "", result.facts.summary));
  const report = result.facts.translation || { facts: [] };
  const counts = {};
  report.facts.forEach((f) => { counts[f.status] = (counts[f.status] || 0) + 1; });
  $("fact-counts").textContent = report.facts.length
    ? `${report.facts.length} facts checked: ` + Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ")
    : "no figures or names found to check";
  $("rows").textContent = "";
  if (result.source_title) $("rows").append(row(-1, result.source_title, result.title || "", "title-row"));
  for (const paragraph of result.paragraphs) {
    const facts = report.facts.filter((f) => f.paragraph === paragraph.index);
    const flagged = facts.some((f) => f.status !== "preserved");
    const tr = row(paragraph.index, "", paragraph.translation, flagged ? "flagged" : "");
    const marks = paragraphMarks(paragraph, facts);
    render(tr.querySelector(".src"), paragraph.source, marks.source);
    render(tr.querySelector(".tgt"), paragraph.translation, marks.target);
    $("rows").append(tr);
  }
  const warnings = result.warnings || [];
  $("warning-list").textContent = "";
  for (const w of warnings) {
    const where = w.paragraph != null ? el("a", { href: `#p-${w.paragraph}` }, ` (¶${w.paragraph + 1})`) : "";
    $("warning-list").append(el("li", { "data-code": w.code }, w.message, where));
  }
  $("warnings").hidden = warnings.length === 0;
  fillList("captions", (result.captions || []).map((c, i) => (result.captions_translation || [])[i] ? `${c} — ${result.captions_translation[i]}` : c));
  fillList("removed", result.removed);
  $("meta").textContent = `Models: ${Object.entries(result.models).map(([k, v]) => `${k}=${v}`).join(", ")}; guard: ${result.guard}; ` +
    `${result.usage.completion_tokens} tokens generated.`;
  $("brief").hidden = false;
  document.body.dataset.state = "done";
}

function showError(error, retryAfter) {
  const box = $("error");
  box.textContent = "";
  box.append(el("strong", {}, error.message || "Something went wrong."));
  if (error.hint) box.append(el("div", {}, `How to fix: ${error.hint}`));
  if (retryAfter) box.append(el("div", {}, `Try again in ${retryAfter} s.`));
  box.append(el("code", {}, error.code || ""));
  box.hidden = false;
  if (error.code === "unauthorized") $("key-field").hidden = false;
  $("progress").hidden = true;
  document.body.dataset.state = "error";
}

async function submit(event) {
  event.preventDefault();
  const article = $("article").value;
  $("error").hidden = true; $("brief").hidden = true; $("progress").hidden = false;
  $("headline").textContent = ""; $("summary").textContent = ""; $("progress-bar").value = 0;
  document.body.dataset.state = "running";
  stage("queued", "sending…");
  if ($("api-key").value.trim()) sessionStorage.setItem("briefApiKey", $("api-key").value.trim());
  const body = { article, format: $("format").value };
  if ($("title").value.trim()) body.title = $("title").value.trim();
  $("run").disabled = true;
  try {
    const response = await fetch("/v1/briefs/stream", { method: "POST", headers: apiHeaders(), body: JSON.stringify(body) });
    if (!response.ok) {
      const data = await response.json().catch(() => ({ error: { code: `http_${response.status}`, message: response.statusText } }));
      showError(data.error || {}, response.headers.get("Retry-After"));
      return;
    }
    await readEvents(response.body.getReader());
  } catch (err) {
    showError({ code: "network_error", message: `The connection failed: ${err.message}`, hint: "check that the server is running" });
  } finally {
    $("run").disabled = false;
  }
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
  try { await navigator.clipboard.writeText(markdown); }
  catch { const area = el("textarea"); area.value = markdown; document.body.append(area); area.select(); document.execCommand("copy"); area.remove(); }
  $("copy-note").textContent = "copied";
  setTimeout(() => { $("copy-note").textContent = ""; }, 2000);
}

function downloadMarkdown() {
  const link = el("a", { href: URL.createObjectURL(new Blob([markdown], { type: "text/markdown" })), download: "brief.md" });
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
    status.textContent = data.status === "ready" ? `model ready: ${data.model}` : data.status === "loading" ? "loading the model…" : `model failed: ${data.error.message}`;
    status.className = `model-status ${data.status}`;
    if (data.status === "loading") setTimeout(checkModel, 3000);
  } catch { status.textContent = "server unreachable"; }
}

document.addEventListener("DOMContentLoaded", () => {
  $("input-form").addEventListener("submit", submit);
  $("file").addEventListener("change", loadFile);
  $("copy-md").addEventListener("click", copyMarkdown);
  $("download-md").addEventListener("click", downloadMarkdown);
  if (sessionStorage.getItem("briefApiKey")) $("api-key").value = sessionStorage.getItem("briefApiKey");
  checkModel();
});
