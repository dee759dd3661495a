// sfnapic's console. Every value shown comes from requests, which are
// hostile: it goes into the page as text (textContent, text nodes), never
// as markup, and no attribute that can navigate or run takes a value.
"use strict";

const P = "/_sfnapic/";
const records = new Map(); // id -> element
let lastID = 0;

// visible writes the characters that would reorder, hide or break what
// is shown (bidi controls, zero-width and format characters, line and
// paragraph separators, controls other than tab and newline) as \uXXXX.
function visible(text) {
  return String(text).replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"));
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(visible(k)));
  return e;
}

function pre(text, cls) { return el("pre", cls ? { class: cls } : {}, text === undefined || text === null ? "" : String(text)); }

async function getJSON(path) {
  const r = await fetch(P + path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(r.status + " " + (await r.text()));
  return r.json();
}

// ---- routes and their forms

function field(label, name, value, help) {
  const input = el("input", { name: name, type: "text" });
  input.value = value || "";
  const l = el("label", {}, label, input);
  if (help) l.title = help;
  return l;
}

function routeForm(f) {
  const form = el("form", { "data-route": f.route });
  if (f.verb === "ANY") {
    const sel = el("select", { name: "method" });
    for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]) sel.append(el("option", { value: m }, m));
    form.append(el("label", {}, "method", sel));
  }
  for (const p of f.pathParams) form.append(field("path: " + p, "path:" + p, "", "path parameter"));
  for (const q of f.query) form.append(field("query: " + q.name + (q.required ? " *" : ""), "query:" + q.name, "", q.why));
  form.append(field("more query", "rawquery", "", "a=1&b=2"));
  for (const h of f.header) form.append(field("header: " + h.name + (h.required ? " *" : ""), "header:" + h.name, "", h.why));
  if (f.auth && f.auth !== "NONE") form.append(el("p", { class: "note" }, "authorization: " + f.auth));
  if (f.verb !== "GET" && f.verb !== "HEAD") {
    form.append(field("Content-Type", "contentType", f.contentType || "application/json"));
    const body = el("textarea", { name: "body" });
    body.value = f.body || "";
    form.append(el("label", {}, "body", body));
  }
  const result = el("div", { class: "result" });
  form.append(el("button", { type: "submit" }, "Send " + f.route), result);
  form.addEventListener("submit", (e) => { e.preventDefault(); send(f, form, result); });
  return el("details", { class: "route" }, el("summary", {}, f.route + (f.machine ? "  → " + f.machine : "")), form);
}

function requestURL(f, form) {
  const data = new FormData(form);
  let path = f.path.replace(/\{([^}+]+)(\+?)\}/g, (_, name, greedy) => {
    const v = String(data.get("path:" + name) || "");
    return greedy ? v.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(v);
  });
  const q = new URLSearchParams(String(data.get("rawquery") || ""));
  for (const x of f.query) {
    const v = data.get("query:" + x.name);
    if (v) q.append(x.name, v);
  }
  const qs = q.toString();
  return path + (qs ? "?" + qs : "");
}

async function send(f, form, result) {
  const data = new FormData(form);
  const method = f.verb === "ANY" ? String(data.get("method")) : f.verb;
  const headers = new Headers();
  for (const h of f.header) {
    const v = data.get("header:" + h.name);
    if (v) headers.set(h.name, String(v));
  }
  const init = { method: method, headers: headers, credentials: "omit" };
  if (data.has("body") && method !== "GET" && method !== "HEAD") {
    headers.set("Content-Type", String(data.get("contentType")));
    init.body = String(data.get("body"));
  }
  result.replaceChildren(el("p", { class: "note" }, "sending…"));
  try {
    const r = await fetch(requestURL(f, form), init);
    const text = await r.text();
    result.replaceChildren(el("p", { class: "status-" + String(r.status)[0] }, r.status + " " + r.statusText), pre(text));
  } catch (err) {
    result.replaceChildren(pre(String(err), "error"));
  }
}

// ---- requests

function step(title, ...kids) { return el("div", { class: "step" }, el("h3", {}, title), ...kids); }

function pairs(list) { return (list || []).map(([k, v]) => k + ": " + v).join("\n"); }

function requestView(r) {
  const summary = el("summary", {}, r.method + " " + r.path + (r.query ? "?" + r.query : "") + " → " + (r.route || "-") + " ",
    el("span", { class: "status-" + String(r.status)[0] }, String(r.status)), " " + r.latencyMs + " ms");
  const d = el("details", { class: "request", "data-id": String(r.id) }, summary,
    step("Request as received", pre(r.method + " " + r.path + (r.query ? "?" + r.query : "") + "\n" + pairs(r.header) + "\n\n" + r.body, "received")));
  if (r.action) d.append(step("Integration request: Step Functions " + r.action, pre(r.integrationRequest, "integration")));
  if (r.reply) d.append(step("Step Functions' reply", pre(r.reply.status + "\n" + r.reply.body, "reply")));
  d.append(step("Response " + r.status, pre(pairs(r.responseHeader) + (r.responseHeader && r.responseHeader.length ? "\n\n" : "") + r.response, "response")));
  if (r.reason) d.append(step("Why", pre(r.reason, "reason")));
  if (r.cut) d.append(el("p", { class: "note cut" }, r.cut));
  d.append(step("Timings", pre("total " + r.latencyMs + " ms, Step Functions " + r.callMs + " ms", "timings")));
  if (r.execution) {
    const b = el("button", { type: "button", class: "execution-link" }, "execution " + r.execution);
    b.addEventListener("click", () => showExecution(r.execution));
    d.append(b);
  }
  return d;
}

function addRecord(r) {
  if (records.has(r.id)) return;
  const view = requestView(r);
  // Newest first, by id: a record may come after a later one (a reload,
  // two requests answered at once).
  const next = Math.min(...[...records.keys()].filter((id) => id > r.id));
  records.set(r.id, view);
  if (Number.isFinite(next)) records.get(next).after(view);
  else document.getElementById("requests").prepend(view);
  lastID = Math.max(lastID, r.id);
  while (records.size > 100) {
    const oldest = Math.min(...records.keys());
    records.get(oldest).remove();
    records.delete(oldest);
  }
}

// loadRequests adds the records kept after the last one the page has.
async function loadRequests() {
  for (const r of await getJSON("api/requests?since=" + lastID)) addRecord(r);
}

// ---- executions and graphs

async function loadExecutions() {
  const list = await getJSON("api/executions");
  const box = document.getElementById("executions");
  box.replaceChildren();
  for (const e of list.reverse()) {
    const b = el("button", { type: "button", class: "execution-link" }, e.arn + "  (" + (e.route || "-") + ")");
    b.addEventListener("click", () => showExecution(e.arn));
    box.append(b);
  }
  if (!list.length) box.append(el("p", { class: "note" }, "none yet"));
}

async function showExecution(arn) {
  const box = document.getElementById("execution");
  box.replaceChildren(el("p", { class: "note" }, "loading…"));
  try {
    const { execution: e, machine } = await getJSON("api/execution?arn=" + encodeURIComponent(arn));
    box.replaceChildren(el("h3", {}, "Execution"), pre(e.arn, "arn"),
      step("Status", pre(e.status + (e.startDate ? "\nstarted " + e.startDate : "") + (e.stopDate ? "\nstopped " + e.stopDate : ""), "exec-status")),
      step("Input", pre(e.input)), step(e.error ? "Error" : "Output", pre(e.error ? e.error + "\n" + e.cause : e.output)),
      step("History", pre((e.history || []).map((h) => h.id + " " + h.time + " " + h.type + (h.state ? " " + h.state : "")).join("\n"), "history")));
    if (e.note) box.append(el("p", { class: "note" }, e.note));
    if (machine) await showGraph("machine=" + encodeURIComponent(machine) + "&arn=" + encodeURIComponent(arn), machine + ": " + e.arn);
  } catch (err) {
    box.replaceChildren(pre(String(err), "error"));
  }
}

// showGraph shows the SVG that sfnapic drew. It is parsed as an XML
// document and imported, never set as HTML; scripts, foreign content and
// event attributes are removed first, though the server escapes every
// name it draws.
async function showGraph(query, title) {
  const box = document.getElementById("graph");
  const r = await fetch(P + "api/graph?" + query);
  const text = await r.text();
  if (!r.ok) { box.replaceChildren(pre(text, "error")); return; }
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (doc.querySelector("parsererror") || svg.namespaceURI !== "http://www.w3.org/2000/svg") {
    box.replaceChildren(pre("the graph could not be read", "error"));
    return;
  }
  for (const bad of svg.querySelectorAll("script, foreignObject, a, use, image, iframe")) bad.remove();
  for (const node of svg.querySelectorAll("*")) {
    for (const a of [...node.attributes]) if (/^on/i.test(a.name) || /href$/i.test(a.name)) node.removeAttribute(a.name);
  }
  box.replaceChildren(el("h3", {}, title), document.importNode(svg, true));
}

async function loadRoutes() {
  const info = await getJSON("api/routes");
  const routes = document.getElementById("routes");
  routes.replaceChildren(el("p", { class: "note" }, "stage " + info.stage + "; a form's request goes to the API, as any client's does"));
  for (const f of info.routes) routes.append(routeForm(f));
  const machines = document.getElementById("machines");
  machines.replaceChildren();
  for (const m of info.machines) {
    const b = el("button", { type: "button", "data-machine": m }, m);
    b.addEventListener("click", () => showGraph("machine=" + encodeURIComponent(m), m));
    machines.append(b);
  }
  if (!info.describes) document.getElementById("executions-section").append(el("p", { class: "note" }, "this backend cannot describe executions"));
}

// ---- live updates

function live() {
  const badge = document.getElementById("live");
  const es = new EventSource(P + "api/events");
  es.addEventListener("open", () => { badge.textContent = "live"; badge.className = "live"; });
  es.addEventListener("error", () => { badge.textContent = "reconnecting…"; badge.className = "live off"; });
  es.addEventListener("request", (msg) => {
    const r = JSON.parse(msg.data);
    if (lastID && r.id > lastID + 1) loadRequests().catch(() => {}); // missed some
    addRecord(r);
    if (r.execution) loadExecutions().catch(() => {});
  });
}

async function start() {
  live();
  await Promise.all([loadRoutes(), loadRequests(), loadExecutions()]);
}

start().catch((err) => document.body.append(pre(String(err), "error")));
