// The tenant's runs, newest first, a page at a time (cursor paging with the server's page tokens), and one run's details.
import { downloadLink, getJson, imageUrl } from "./api.js";

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 10;
const DASHBOARD_STORAGE = "pipeline.dashboard";

// tokens[i] is the page token of page i (page 0: none); the next page's token comes with each answer.
const paging = { tokens: [""], index: 0, next: "" };

/** The Aspire dashboard's address: ?dashboard=… (then remembered) or the one saved in the header. */
export function dashboardUrl() {
  return (localStorage.getItem(DASHBOARD_STORAGE) || "").replace(/\/+$/, "");
}

export function saveDashboardUrl(url) {
  localStorage.setItem(DASHBOARD_STORAGE, (url || "").trim());
}

function statusText(run) {
  return (run.status || "").replace("RUN_STATUS_", "").toLowerCase();
}

// costKnown false: a price was missing, so the figure is only a lower bound (absent on runs recorded before it existed).
// local: a local backend (ComfyUI, the eco mode) made the images, at no charge.
function costText(run) {
  if (run.local) return "free (local)";
  const usd = `$${(Number(run.costUsdMicros || 0) / 1e6).toFixed(4)}`;
  return run.costKnown === false ? `unknown (at least ${usd})` : usd;
}

// Fetches the image with the key, then hands the <img> (and its blob: URL) to place.
function thumbnail(run, image, place) {
  imageUrl(image.imageId, image.urlPath).then((url) => {
    const img = document.createElement("img");
    img.alt = `${run.runId} image ${(image.imageIndex || 0) + 1}`;
    img.title = `${image.width}×${image.height} ${image.mimeType}`;
    img.dataset.imageId = image.imageId;
    img.src = url;
    place(img, url);
  }).catch(() => {});
}

export async function loadRuns(direction = 0) {
  const index = Math.max(0, paging.index + direction);
  if (direction > 0 && !paging.next) {
    return;
  }
  if (direction > 0) {
    paging.tokens[index] = paging.next;
  }
  const token = paging.tokens[index] || "";
  const body = await getJson(`/api/runs?page_size=${PAGE_SIZE}` + (token ? `&page_token=${encodeURIComponent(token)}` : ""));
  paging.index = index;
  paging.next = body.nextPageToken || "";
  $("runs-previous").disabled = paging.index === 0;
  $("runs-next").disabled = !paging.next;
  $("runs-page").textContent = `page ${paging.index + 1}`;
  const list = $("run-list");
  list.replaceChildren();
  for (const run of body.runs || []) {
    const item = document.createElement("li");
    item.dataset.runId = run.runId;
    item.tabIndex = 0;
    const prompt = document.createElement("div");
    prompt.className = "prompt";
    prompt.textContent = run.prompt || "(no prompt)";
    const meta = document.createElement("div");
    meta.className = "meta";
    const when = run.createdAt ? new Date(run.createdAt).toLocaleString() : "";
    meta.textContent = `${when} · ${run.config} (${run.provider}/${run.model}) · ${statusText(run)} · ${costText(run)}` +
      (run.parentRunId ? " · regenerated" : "") + (run.error ? ` · ${run.error}` : "");
    const thumbs = document.createElement("div");
    thumbs.className = "thumbs";
    item.append(prompt, meta, thumbs);
    list.append(item);
    for (const image of run.images || []) {
      thumbnail(run, image, (img) => thumbs.append(img));
    }
  }
  if (!list.children.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = "No runs yet.";
    list.append(empty);
  }
}

/** Back to the newest page. */
export function resetPaging() {
  paging.tokens = [""];
  paging.index = 0;
  paging.next = "";
}

function field(name, label, value) {
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  dd.dataset.field = name;
  if (value instanceof Node) {
    dd.append(value);
  } else {
    dd.textContent = value;
  }
  return [dt, dd];
}

function traceLink(run) {
  if (!run.traceId) {
    return "no trace recorded";
  }
  const dashboard = dashboardUrl();
  if (!dashboard) {
    return `${run.traceId} (enter the dashboard's address above to link it)`;
  }
  const link = document.createElement("a");
  link.id = "trace-link";
  link.href = `${dashboard}/traces/detail/${encodeURIComponent(run.traceId)}`;
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = run.traceId;
  return link;
}

function parametersText(parameters) {
  return Object.entries(parameters || {}).map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : value}`).join(", ");
}

/** Shows run runId in the details panel and returns the run (protobuf JSON of imagegen.v1.Run). */
export async function showRun(runId) {
  const run = await getJson(`/api/runs/${encodeURIComponent(runId)}`);
  const panel = $("run-details");
  panel.hidden = false;
  panel.dataset.runId = run.runId;
  $("run-details-title").textContent = `Run ${run.runId}`;
  let parent = "—";
  if (run.parentRunId) {
    parent = document.createElement("a");
    parent.href = "#";
    parent.id = "parent-link";
    parent.dataset.runId = run.parentRunId;
    parent.textContent = run.parentRunId;
    parent.addEventListener("click", (event) => {
      event.preventDefault();
      showRun(run.parentRunId).catch((error) => showDetailsError(error));
    });
  }
  $("run-fields").replaceChildren(...[
    field("prompt", "Prompt", run.prompt || ""),
    field("revised-prompt", "Revised prompt", run.revisedPrompt || "—"),
    field("config", "Config", run.config || ""),
    field("model", "Model", `${run.provider || ""}/${run.model || ""}`),
    field("status", "Status", statusText(run) + (run.error ? `: ${run.error}` : "")),
    field("cost", "Cost", costText(run)),
    field("parameters", "Parameters", parametersText(run.parameters)),
    field("parent", "Parent run", parent),
    field("created", "Created", run.createdAt ? new Date(run.createdAt).toLocaleString() : ""),
    field("trace", "Trace", traceLink(run)),
  ].flat());
  const images = $("run-images");
  images.replaceChildren();
  for (const image of run.images || []) {
    thumbnail(run, image, (img, url) => {
      const link = downloadLink(url, image.imageId, image.mimeType);
      link.replaceChildren(img);
      images.append(link);
    });
  }
  return run;
}

export function showDetailsError(error) {
  const panel = $("run-details");
  panel.hidden = false;
  $("run-fields").replaceChildren(...field("error", "Error", String(error.message || error)));
  $("run-images").replaceChildren();
}
