// Renders a generation's server-sent events: accepted, fallback, partial frames live, the finals (for grid configs the
// grid, then its tiles in their rows and columns) and errors as text.
import { downloadLink, errorMessage, imageUrl, readEvents } from "./api.js";

const $ = (id) => document.getElementById(id);

export function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

export function clearResult() {
  $("frames").replaceChildren();
  $("result").replaceChildren();
  $("tiles").replaceChildren();
  $("tiles").hidden = true;
}

// "served by B (A failed: UNAVAILABLE: reason)" from a fallback event (protobuf JSON of imagegen.v1.Fallback).
export function fallbackText(fallback) {
  const earlier = (fallback.earlier || []).map((attempt) => {
    const outcome = attempt.outcome === "ATTEMPT_OUTCOME_SKIPPED" ? "skipped" : "failed";
    const why = [attempt.statusCode, attempt.reason].filter(Boolean).join(": ");
    return `${attempt.config} ${outcome}` + (why ? `: ${why}` : "");
  });
  return `served by ${fallback.config} (${fallback.provider}/${fallback.model})` + (earlier.length ? ` (${earlier.join("; ")})` : "");
}

function slot(index, tile) {
  const container = tile ? $("tiles") : $("result");
  let figure = container.querySelector(`figure[data-index="${index}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.dataset.index = String(index);
    const img = document.createElement("img");
    img.alt = `Image ${index + 1}`;
    figure.append(img, document.createElement("figcaption"));
    container.append(figure);
  }
  return figure;
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
  const preview = slot(imageIndex, false).querySelector("img");
  if (!preview.classList.contains("final-image")) {
    preview.classList.add("preview");
    preview.src = src;
  }
  setStatus(`Preview ${partialIndex + 1} of image ${imageIndex + 1}…`);
}

async function showFinal(final) {
  const tile = final.kind === "IMAGE_KIND_TILE";
  const figure = slot(final.imageIndex || 0, tile);
  if (tile) {
    $("tiles").hidden = false;
    figure.classList.add("tile");
    figure.style.gridRow = String((final.gridRow || 0) + 1);
    figure.style.gridColumn = String((final.gridColumn || 0) + 1);
  }
  const img = figure.querySelector("img");
  const url = final.data
    ? URL.createObjectURL(new Blob([Uint8Array.from(atob(final.data), (c) => c.charCodeAt(0))], { type: final.mimeType }))
    : await imageUrl(final.imageId, final.storage && final.storage.urlPath);
  img.classList.remove("preview");
  img.classList.add("final-image");
  img.dataset.imageId = final.imageId;
  img.dataset.kind = (final.kind || "IMAGE_KIND_UNSPECIFIED").replace("IMAGE_KIND_", "").toLowerCase();
  img.src = url;
  const storage = final.storage || {};
  const where = tile ? `tile ${(final.gridRow || 0) + 1},${(final.gridColumn || 0) + 1} · ` : final.kind === "IMAGE_KIND_GRID" ? "grid · " : "";
  figure.querySelector("figcaption").replaceChildren(
    where + `${final.width}×${final.height} ${final.mimeType}` + (storage.sizeBytes ? `, ${Math.round(storage.sizeBytes / 1024)} KiB` : "") + " · ",
    downloadLink(url, final.imageId, final.mimeType),
    final.revisedPrompt ? ` · ${final.revisedPrompt}` : "");
}

/**
 * Shows the events of response (an answer of /api/generate or /api/runs/{id}/regenerate) as they arrive; returns the
 * run id (null when refused before it started).
 */
export async function showGeneration(response) {
  if (!response.ok) {
    setStatus(await errorMessage(response), true);
    return null;
  }
  let runId = null;
  let finals = 0;
  let servedBy = "";
  await readEvents(response, async (name, data) => {
    switch (name) {
      case "accepted":
        runId = data.runId;
        setStatus(`Run ${data.runId}: ${data.config} (${data.provider}/${data.model}), ${data.imageCount || 1} image(s)` +
          (data.parentRunId ? `, regenerated from ${data.parentRunId}` : "") + "…");
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
  return runId;
}
