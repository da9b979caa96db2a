// Pipeline dashboard page: plain JavaScript over the JSON API (/api/...). Routes live in the URL hash:
//   #/                 resources and the latest requests
//   #/traces?service=  recent requests, optionally of one service
//   #/trace/{traceId}  the waterfall of one trace, span details on click
//   #/logs/{resource}  console lines and structured logs of one resource
// Everything from the API is inserted as text (never as HTML).
"use strict";

const REFRESH_MS = 2000;
const view = document.getElementById("view");
const statusLine = document.getElementById("status");
const live = document.getElementById("live");
let selectedSpanId = null;
let rendering = false;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "onclick") node.addEventListener("click", value);
    else if (name === "style") Object.assign(node.style, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "resources", arg: parts[1] || null, params: new URLSearchParams(query || "") };
}

function serviceColour(name) {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360}, 55%, 45%)`;
}

function chip(service) {
  return el("span", { class: "chip", style: { background: serviceColour(service) } }, service);
}

function badge(kind, value) {
  return value ? el("span", { class: `badge ${kind}-${value}` }, value) : el("span", { class: "muted" }, "–");
}

function time(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString(undefined, { hour12: false }) + "." + String(date.getMilliseconds()).padStart(3, "0");
}

function ms(value) {
  return value < 1 ? `${value.toFixed(3)} ms` : value < 1000 ? `${value.toFixed(1)} ms` : `${(value / 1000).toFixed(2)} s`;
}

// Services colour their console output (the AppHost allows ANSI through redirection); the page shows plain text.
function stripAnsi(text) {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

function valueText(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// ---- views ---------------------------------------------------------------------------------------------------------

async function renderResources() {
  const [resources, traces] = await Promise.all([api("/api/resources"), api("/api/traces?limit=20")]);
  return [
    el("h2", {}, "Resources"),
    el("div", { class: "panel" }, resources.length === 0
      ? el("p", { class: "muted" }, "No resource has reported yet.")
      : el("table", { id: "resources" },
        el("thead", {}, el("tr", {}, ["Name", "State", "Health", "PID", "Restarts", "Endpoints", "Instances", ""].map(h => el("th", {}, h)))),
        el("tbody", {}, resources.map(r => el("tr", { "data-resource": r.name },
          el("td", {}, chip(r.name), r.type !== "project" ? el("span", { class: "muted" }, ` ${r.type}`) : null),
          el("td", {}, r.source === "telemetry" ? el("span", { class: "muted" }, "telemetry only") : badge("state", r.state)),
          el("td", {}, badge("health", r.health)),
          el("td", { class: "mono" }, r.pid ?? "–"),
          el("td", {}, r.restarts),
          el("td", {}, r.endpoints.map(e => el("div", {}, el("span", { class: "muted" }, `${e.name}: `), el("a", { href: e.url, target: "_blank", rel: "noopener" }, e.url)))),
          el("td", { class: "mono" }, r.instances.join(", ")),
          el("td", {}, el("a", { href: `#/logs/${encodeURIComponent(r.name)}` }, "logs"))))))),
    el("h2", {}, "Recent requests"),
    traceTable(traces),
  ];
}

function traceTable(traces) {
  if (traces.length === 0) return el("div", { class: "panel" }, el("p", { class: "muted" }, "No trace received yet."));
  return el("div", { class: "panel" }, el("table", { id: "traces" },
    el("thead", {}, el("tr", {}, ["Start", "Request", "Services", "Spans", "Duration", "Status"].map(h => el("th", {}, h)))),
    el("tbody", {}, traces.map(t => el("tr", {
      class: "clickable", "data-trace-id": t.traceId, onclick: () => { location.hash = `#/trace/${t.traceId}`; },
    },
      el("td", { class: "mono" }, time(t.startTime)),
      el("td", {}, chip(t.service), t.name),
      el("td", {}, t.services.map(chip)),
      el("td", {}, t.spanCount),
      el("td", {}, ms(t.durationMs)),
      el("td", {}, badge("status", t.status)))))));
}

async function renderTraces(params) {
  const service = params.get("service") || "";
  const query = new URLSearchParams({ limit: "200" });
  if (service) query.set("service", service);
  const [traces, resources] = await Promise.all([api(`/api/traces?${query}`), api("/api/resources")]);
  const select = el("select", { id: "service-filter" }, el("option", { value: "" }, "all services"),
    resources.map(r => el("option", { value: r.name, selected: r.name === service }, r.name)));
  select.addEventListener("change", () => { location.hash = select.value ? `#/traces?service=${encodeURIComponent(select.value)}` : "#/traces"; });
  return [el("h2", {}, "Requests"), el("div", { class: "toolbar" }, el("label", {}, "Service ", select)), traceTable(traces)];
}

async function renderTrace(traceId) {
  const trace = await api(`/api/traces/${encodeURIComponent(traceId)}`);
  if (!trace) return [el("h2", {}, "Trace not found"), el("p", { class: "muted" }, `No trace ${traceId} is kept (it may not have arrived yet, or was evicted).`)];
  const total = Math.max(trace.durationMs, 0.001);
  const selected = trace.spans.find(s => s.spanId === selectedSpanId) || trace.spans[0];
  selectedSpanId = selected ? selected.spanId : null;
  const rows = trace.spans.map(s => {
    const left = Math.min(100, Math.max(0, (s.offsetMs / total) * 100));
    const width = Math.max(0.3, Math.min(100 - left, (s.durationMs / total) * 100));
    return el("div", {
      class: `span-row${s.spanId === selectedSpanId ? " selected" : ""}`, "data-span-id": s.spanId,
      onclick: () => { selectedSpanId = s.spanId; refresh(); },
    },
      el("div", { class: "span-label", style: { paddingLeft: `${6 + s.depth * 16}px` }, title: `${s.service}: ${s.name}` }, chip(s.service), s.name),
      el("div", { class: "span-track" },
        el("div", { class: `span-bar${s.status.code === "Error" ? " error" : ""}`, style: { left: `${left}%`, width: `${width}%`, background: serviceColour(s.service) } }),
        el("span", { class: "span-time", style: timeLabelPosition(left, width) }, ms(s.durationMs))));
  });
  return [
    el("h2", {}, chip(trace.service), trace.name),
    el("p", { class: "muted" },
      `trace ${trace.traceId} · ${time(trace.startTime)} · ${ms(trace.durationMs)} · ${trace.spanCount} spans · `,
      badge("status", trace.status), trace.droppedSpans ? ` · ${trace.droppedSpans} spans dropped` : ""),
    el("div", { class: "panel waterfall", id: "waterfall" }, rows),
    selected ? spanDetails(selected) : null,
  ];
}

// The duration goes right of the bar; near the right edge it goes inside a wide bar, else left of a narrow one.
function timeLabelPosition(left, width) {
  if (left + width <= 80) return { left: `${left + width + 0.5}%` };
  if (width >= 15) return { right: `${100 - left - width + 0.5}%`, color: "#fff" };
  return { right: `${100 - left + 0.5}%` };
}

function spanDetails(span) {
  const rows = [
    ["span id", span.spanId], ["parent span id", span.parentSpanId || "(root)"], ["service", span.service],
    ["instance", span.instanceId || "–"], ["scope", span.scope], ["kind", span.kind], ["start", span.startTime],
    ["duration", ms(span.durationMs)], ["status", span.status.code + (span.status.message ? `: ${span.status.message}` : "")],
  ];
  const attributes = Object.entries(span.attributes);
  return el("div", { class: "panel details", id: "span-details" },
    el("h2", {}, `Span: ${span.name}`),
    el("table", {}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", { class: "mono" }, v))))),
    el("h2", {}, "Attributes"),
    attributes.length === 0 ? el("p", { class: "muted" }, "none")
      : el("table", { id: "span-attributes" }, el("tbody", {}, attributes.map(([k, v]) => el("tr", {}, el("td", { class: "mono" }, k), el("td", { class: "mono" }, valueText(v)))))),
    span.events.length === 0 ? null : [
      el("h2", {}, "Events"),
      el("table", {}, el("tbody", {}, span.events.map(e => el("tr", {},
        el("td", { class: "mono" }, `+${ms(e.offsetMs)} ${e.name}`),
        el("td", { class: "mono" }, Object.entries(e.attributes).map(([k, v]) => el("div", {}, `${k} = ${valueText(v)}`))))))),
    ]);
}

async function renderLogs(resource) {
  const resources = await api("/api/resources");
  const name = resource || (resources[0] && resources[0].name);
  const select = el("select", { id: "resource-filter" }, resources.map(r => el("option", { value: r.name, selected: r.name === name }, r.name)));
  select.addEventListener("change", () => { location.hash = `#/logs/${encodeURIComponent(select.value)}`; });
  if (!name) return [el("h2", {}, "Logs"), el("p", { class: "muted" }, "No resource has reported yet.")];
  const logs = await api(`/api/logs/${encodeURIComponent(name)}?limit=500`);
  return [
    el("h2", {}, "Logs"),
    el("div", { class: "toolbar" }, el("label", {}, "Resource ", select)),
    el("h2", {}, "Structured logs"),
    el("div", { class: "panel" }, logs.structured.length === 0 ? el("p", { class: "muted" }, "No structured log received over OTLP.")
      : el("table", { id: "structured-logs" },
        el("thead", {}, el("tr", {}, ["Time", "Level", "Category", "Message", "Trace"].map(h => el("th", {}, h)))),
        el("tbody", {}, logs.structured.slice().reverse().map(l => el("tr", {},
          el("td", { class: "mono" }, time(l.timestamp)),
          el("td", { class: `level-${l.severity}` }, l.severity),
          el("td", { class: "mono" }, l.category),
          el("td", {}, l.message),
          el("td", {}, l.traceId ? el("a", { href: `#/trace/${l.traceId}`, class: "mono" }, l.traceId.slice(0, 8)) : "")))))),
    el("h2", {}, "Console"),
    logs.console.length === 0 ? el("p", { class: "muted" }, "No console output pushed by the AppHost.")
      : el("pre", { class: "console", id: "console-logs" }, logs.console.map(l => `${time(l.timestamp)}  ${stripAnsi(l.text)}\n`).join("")),
  ];
}

// ---- loop ----------------------------------------------------------------------------------------------------------

async function refresh() {
  if (rendering) return;
  rendering = true;
  const current = route();
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.nav === (current.name === "trace" ? "traces" : current.name));
  }
  try {
    let content;
    switch (current.name) {
      case "traces": content = await renderTraces(current.params); break;
      case "trace": content = await renderTrace(current.arg); break;
      case "logs": content = await renderLogs(current.arg); break;
      default: content = await renderResources(); break;
    }
    view.replaceChildren(...[content].flat(3).filter(Boolean));
    statusLine.textContent = "";
    document.body.dataset.ready = "true";
  } catch (error) {
    statusLine.textContent = `dashboard unreachable (${error.message})`;
  } finally {
    rendering = false;
  }
}

window.addEventListener("hashchange", () => { selectedSpanId = null; refresh(); });
live.addEventListener("change", () => { if (live.checked) refresh(); });
setInterval(() => { if (live.checked && !document.hidden) refresh(); }, REFRESH_MS);
refresh();
