// Pipeline's web page: plain JavaScript, no build step, no CDN. Every API call carries the key the user typed
// (kept in localStorage); images are fetched with it too and shown from blob: URLs, since <img src> cannot send a key.
"use strict";

const KEY_STORAGE = "pipeline.apiKey";
const $ = (id) => document.getElementById(id);
const imageUrls = new Map(); // image id -> blob: URL

let catalogue = { configs: [], defaults: {} };

// --- API ----------------------------------------------------------------------------------------------------------

function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

function api(path, init = {}) {
  const headers = new Headers(init.headers || {});
  headers.set("Authorization", "Bearer " + apiKey());
  return fetch(path, { ...init, headers });
}

// The message of an error answer: OpenAI envelope, ProblemDetails (with every violation) or the status line.
async function errorMessage(response) {
  const fallback = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body.error && body.error.message) {
      return body.error.message;
    }
    const violations = body.errors ? Object.entries(body.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`) : [];
    return [body.title, body.detail, ...violations].filter(Boolean).join(" — ") || fallback;
  } catch {
    return fallback;
  }
}

async function imageUrl(imageId, urlPath) {
  if (!imageUrls.has(imageId)) {
    const response = await api(urlPath || `/images/${encodeURIComponent(imageId)}`);
    if (!response.ok) {
      throw new Error(`image ${imageId}: ${await errorMessage(response)}`);
    }
    imageUrls.set(imageId, URL.createObjectURL(await response.blob()));
  }
  return imageUrls.get(imageId);
}

// Reads a text/event-stream body and calls onEvent(name, data) per event as it arrives.
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done }).replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.slice(6).trim();
        } else if (line.startsWith("data:")) {
          data.push(line.slice(5).replace(/^ /, ""));
        }
      }
      if (data.length > 0) {
        await onEvent(name, JSON.parse(data.join("\n")));
      }
    }
    if (done) {
      return;
    }
  }
}

// --- Configs ------------------------------------------------------------------------------------------------------

async function loadConfigs() {
  const response = await api(`/api/configs?language=${encodeURIComponent(navigator.language || "en")}`);
  if (!response.ok) {
    throw new Error(await errorMessage(response));
  }
  catalogue = await response.json();
  const select = $("config");
  select.replaceChildren();
  // The page uploads no images, so configs that need one (edits) are left out.
  for (const config of (catalogue.configs || []).filter((c) => c.operation !== "edit")) {
    const option = new Option(config.displayName || config.name, config.name);
    option.title = config.description || "";
    select.add(option);
  }
  const modes = (catalogue.defaults && catalogue.defaults.image && catalogue.defaults.image.modes) || {};
  const preferred = modes.stream || modes.fast;
  if (preferred && [...select.options].some((o) => o.value === preferred)) {
    select.value = preferred;
  }
  showConfig();
}

function selectedConfig() {
  return (catalogue.configs || []).find((c) => c.name === $("config").value);
}

function showConfig() {
  const config = selectedConfig();
  $("config-description").textContent = config
    ? `${config.description || ""} (${config.provider}/${config.model})`
    : "";
  const partials = config && config.parameters ? Number(config.parameters.partial_images || 0) : 0;
  $("partials").value = String(Math.min(3, Math.max(0, partials)));
}

// --- Generate -----------------------------------------------------------------------------------------------------

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function slot(index) {
  let figure = document.querySelector(`#result figure[data-index="${index}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.dataset.index = String(index);
    const img = document.createElement("img");
    img.alt = `Image ${index + 1}`;
    figure.append(img, document.createElement("figcaption"));
    $("result").append(figure);
  }
  return figure;
}

async function generate(event) {
  event.preventDefault();
  const button = $("generate-button");
  button.disabled = true;
  $("frames").replaceChildren();
  $("result").replaceChildren();
  setStatus("Sending…");
  const request = {
    prompt: $("prompt").value,
    config: $("config").value,
    parameters: { partialImages: Number($("partials").value) },
  };
  try {
    const response = await api("/api/generate", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      setStatus(await errorMessage(response), true);
      return;
    }
    let finals = 0;
    let servedBy = "";
    await readEvents(response, async (name, data) => {
      switch (name) {
        case "accepted":
          setStatus(`Run ${data.runId}: ${data.config} (${data.provider}/${data.model}), ${data.imageCount || 1} image(s)…`);
          break;
        case "fallback":
          servedBy = fallbackText(data);
          setStatus(`${servedBy}…`);
          break;
        case "partial":
          showPartial(data);
          break;
        case "final":
          finals++;
          await showFinal(data);
          break;
        case "error":
          setStatus(data.message || data.code || "The generation failed.", true);
          break;
      }
    });
    if (finals > 0 && !$("status").classList.contains("error")) {
      setStatus(`Done: ${finals} image(s) stored` + (servedBy ? `, ${servedBy}.` : "."));
    }
  } catch (error) {
    setStatus(String(error.message || error), true);
  } finally {
    button.disabled = false;
    loadRuns().catch(() => {});
  }
}

// "served by B (A failed: UNAVAILABLE: reason)" from a fallback event (protobuf JSON of imagegen.v1.Fallback).
function fallbackText(fallback) {
  const earlier = (fallback.earlier || []).map((attempt) => {
    const outcome = attempt.outcome === "ATTEMPT_OUTCOME_SKIPPED" ? "skipped" : "failed";
    const why = [attempt.statusCode, attempt.reason].filter(Boolean).join(": ");
    return `${attempt.config} ${outcome}` + (why ? `: ${why}` : "");
  });
  return `served by ${fallback.config} (${fallback.provider}/${fallback.model})` + (earlier.length ? ` (${earlier.join("; ")})` : "");
}

function showPartial(partial) {
  const imageIndex = partial.imageIndex || 0;
  const partialIndex = partial.partialIndex || 0;
  const src = `data:${partial.mimeType || "image/png"};base64,${partial.data}`;
  const figure = document.createElement("figure");
  const img = document.createElement("img");
  img.className = "partial-frame";
  img.alt = `Image ${imageIndex + 1}, preview ${partialIndex + 1}`;
  img.src = src;
  const caption = document.createElement("figcaption");
  caption.textContent = `#${imageIndex + 1} · ${partialIndex + 1}`;
  figure.append(img, caption);
  $("frames").append(figure);
  const preview = slot(imageIndex).querySelector("img");
  if (!preview.classList.contains("final-image")) {
    preview.classList.add("preview");
    preview.src = src;
  }
  setStatus(`Preview ${partialIndex + 1} of image ${imageIndex + 1}…`);
}

async function showFinal(final) {
  const figure = slot(final.imageIndex || 0);
  const img = figure.querySelector("img");
  const url = final.data
    ? URL.createObjectURL(new Blob([Uint8Array.from(atob(final.data), (c) => c.charCodeAt(0))], { type: final.mimeType }))
    : await imageUrl(final.imageId, final.storage && final.storage.urlPath);
  img.classList.remove("preview");
  img.classList.add("final-image");
  img.dataset.imageId = final.imageId;
  img.src = url;
  const storage = final.storage || {};
  figure.querySelector("figcaption").replaceChildren(
    `${final.width}×${final.height} ${final.mimeType}` + (storage.sizeBytes ? `, ${Math.round(storage.sizeBytes / 1024)} KiB` : "") + " · ",
    downloadLink(url, final.imageId, final.mimeType),
    final.revisedPrompt ? ` · ${final.revisedPrompt}` : "");
}

function downloadLink(url, imageId, mimeType) {
  const link = document.createElement("a");
  link.href = url;
  link.download = `${imageId}.${(mimeType || "image/png").split("/")[1]}`;
  link.textContent = "download";
  return link;
}

// --- Runs ---------------------------------------------------------------------------------------------------------

async function loadRuns() {
  const response = await api("/api/runs?limit=20");
  if (!response.ok) {
    throw new Error(await errorMessage(response));
  }
  const body = await response.json();
  const list = $("run-list");
  list.replaceChildren();
  for (const run of body.runs || []) {
    const item = document.createElement("li");
    item.dataset.runId = run.runId;
    const prompt = document.createElement("div");
    prompt.className = "prompt";
    prompt.textContent = run.prompt || "(no prompt)";
    const meta = document.createElement("div");
    meta.className = "meta";
    const when = run.createdAt ? new Date(run.createdAt).toLocaleString() : "";
    // costKnown false: a price was missing, so the figure is only a lower bound (absent on runs recorded before it existed).
    const usd = `$${(Number(run.costUsdMicros || 0) / 1e6).toFixed(4)}`;
    const cost = run.costKnown === false ? ` · cost unknown (at least ${usd})` : run.costUsdMicros ? ` · ${usd}` : "";
    meta.textContent = `${when} · ${run.config} (${run.provider}/${run.model}) · ${(run.status || "").replace("RUN_STATUS_", "").toLowerCase()}${cost}` +
      (run.error ? ` · ${run.error}` : "");
    const thumbs = document.createElement("div");
    thumbs.className = "thumbs";
    item.append(prompt, meta, thumbs);
    list.append(item);
    for (const image of run.images || []) {
      imageUrl(image.imageId, image.urlPath).then((url) => {
        const img = document.createElement("img");
        img.alt = `${run.runId} image ${(image.imageIndex || 0) + 1}`;
        img.title = `${image.width}×${image.height} ${image.mimeType} — click to download`;
        img.src = url;
        const link = downloadLink(url, image.imageId, image.mimeType);
        link.replaceChildren(img);
        thumbs.append(link);
      }).catch(() => {});
    }
  }
}

// --- Start --------------------------------------------------------------------------------------------------------

async function refresh() {
  if (!apiKey()) {
    $("key-status").textContent = "Enter the API key the AppHost printed.";
    return;
  }
  try {
    await loadConfigs();
    $("key-status").textContent = "";
    $("key-status").classList.remove("error");
    await loadRuns();
  } catch (error) {
    $("key-status").textContent = String(error.message || error);
    $("key-status").classList.add("error");
  }
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  localStorage.setItem(KEY_STORAGE, $("api-key").value.trim());
  refresh();
});
$("generate-form").addEventListener("submit", generate);
$("config").addEventListener("change", showConfig);
$("refresh-runs").addEventListener("click", () => loadRuns().catch((error) => setStatus(String(error.message || error), true)));
$("api-key").value = apiKey();
refresh();
