// Pipeline's web page: plain JavaScript modules, no build step, no CDN. Every API call carries the key the user pasted.
import { apiKey, getJson, postForEvents, saveApiKey } from "./api.js";
import { buildForm, formParameters, readUploads } from "./form.js";
import { clearResult, setStatus, showGeneration } from "./stream.js";
import { dashboardUrl, loadRuns, resetPaging, saveDashboardUrl, showDetailsError, showRun } from "./gallery.js";

const $ = (id) => document.getElementById(id);

let catalogue = { configs: [], defaults: {} };
let regenerating = null; // the run being regenerated (imagegen.v1.Run JSON), or null

// --- Configs ------------------------------------------------------------------------------------------------------

function displayOf(config) {
  return config.display || {};
}

// Sorted by display order (configs without one after those with, in catalogue order).
function sortedConfigs() {
  const order = (config) => (displayOf(config).order === undefined ? Number.MAX_SAFE_INTEGER : displayOf(config).order);
  return [...(catalogue.configs || [])].sort((a, b) => order(a) - order(b));
}

async function loadConfigs() {
  catalogue = await getJson(`/api/configs?language=${encodeURIComponent(navigator.language || "en")}`);
  const select = $("config");
  const previous = select.value;
  select.replaceChildren();
  for (const config of sortedConfigs()) {
    const display = displayOf(config);
    const option = new Option((display.icon ? `${display.icon} ` : "") + (config.displayName || config.name), config.name);
    option.title = config.description || "";
    if (display.color) {
      option.dataset.color = display.color;
    }
    select.add(option);
  }
  const modes = (catalogue.defaults && catalogue.defaults.image && catalogue.defaults.image.modes) || {};
  const preferred = [previous, modes.stream, modes.fast].find((name) => name && [...select.options].some((o) => o.value === name));
  if (preferred) {
    select.value = preferred;
  }
  showConfig();
}

function configNamed(name) {
  return (catalogue.configs || []).find((c) => c.name === name);
}

function describe(config) {
  const audience = config.audienceDetails || {};
  const facts = [
    `${config.provider}/${config.model}`,
    config.estimatedDuration ? `about ${config.estimatedDuration} s` : "",
    config.estimatedCostUsdMicros ? `~$${(Number(config.estimatedCostUsdMicros) / 1e6).toFixed(3)} per image` : "",
    audience.level ? `for ${audience.level}` + (audience.minAge ? `, ${audience.minAge}+` : "") : "",
    config.gridRows && config.gridColumns ? `a ${config.gridRows}×${config.gridColumns} grid and its tiles` : "",
  ].filter(Boolean);
  return `${config.description || ""} (${facts.join(" · ")})`;
}

function showConfig() {
  const config = configNamed($("config").value);
  const display = config ? displayOf(config) : {};
  const badge = $("config-badge");
  badge.textContent = display.icon || "";
  badge.style.background = display.color || "transparent";
  badge.hidden = !display.icon && !display.color;
  $("config-description").textContent = config ? describe(config) : "";
  if (!regenerating) {
    buildForm(config, config && config.parameters);
  }
}

// --- Generate and regenerate --------------------------------------------------------------------------------------

function startRegenerate(run) {
  regenerating = run;
  const select = $("config");
  if (![...select.options].some((o) => o.value === run.config)) {
    select.add(new Option(run.config, run.config));
  }
  select.value = run.config;
  select.disabled = true;
  $("prompt").value = run.prompt || "";
  $("regenerate-text").textContent = `Regenerating run ${run.runId}: change what you like; only the changes are sent.`;
  $("regenerate-banner").hidden = false;
  $("generate-button").textContent = "Regenerate";
  buildForm(configNamed(run.config), run.parameters, true);
  $("prompt").focus();
}

function stopRegenerate() {
  regenerating = null;
  $("config").disabled = false;
  $("regenerate-banner").hidden = true;
  $("generate-button").textContent = "Generate";
  showConfig();
}

async function submit(event) {
  event.preventDefault();
  const button = $("generate-button");
  button.disabled = true;
  clearResult();
  setStatus("Sending…");
  try {
    let response;
    if (regenerating) {
      const request = { parameters: formParameters(true) };
      if ($("prompt").value !== (regenerating.prompt || "")) {
        request.prompt = $("prompt").value;
      }
      response = await postForEvents(`/api/runs/${encodeURIComponent(regenerating.runId)}/regenerate`, request);
    } else {
      const config = configNamed($("config").value);
      const uploads = await readUploads(config);
      const request = { prompt: $("prompt").value, config: $("config").value, parameters: formParameters(false) };
      if (uploads.inputImages.length) {
        request.inputImages = uploads.inputImages;
      }
      if (uploads.mask) {
        request.mask = { data: uploads.mask };
      }
      response = await postForEvents("/api/generate", request);
    }
    const runId = await showGeneration(response);
    if (runId && regenerating) {
      stopRegenerate();
    }
  } catch (error) {
    setStatus(String(error.message || error), true);
  } finally {
    button.disabled = false;
    resetPaging();
    loadRuns().catch(() => {});
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
    resetPaging();
    await loadRuns();
  } catch (error) {
    $("key-status").textContent = String(error.message || error);
    $("key-status").classList.add("error");
  }
}

function openRun(runId) {
  showRun(runId).catch((error) => showDetailsError(error));
}

const fromQuery = new URLSearchParams(location.search).get("dashboard");
if (fromQuery) {
  saveDashboardUrl(fromQuery);
}
$("dashboard-url").value = dashboardUrl();
$("dashboard-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveDashboardUrl($("dashboard-url").value);
  if (!$("run-details").hidden && $("run-details").dataset.runId) {
    openRun($("run-details").dataset.runId);
  }
});
$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveApiKey($("api-key").value.trim());
  refresh();
});
$("generate-form").addEventListener("submit", submit);
$("config").addEventListener("change", showConfig);
$("regenerate-cancel").addEventListener("click", stopRegenerate);
$("refresh-runs").addEventListener("click", () => loadRuns().catch((error) => setStatus(String(error.message || error), true)));
$("runs-next").addEventListener("click", () => loadRuns(1).catch((error) => setStatus(String(error.message || error), true)));
$("runs-previous").addEventListener("click", () => loadRuns(-1).catch((error) => setStatus(String(error.message || error), true)));
$("run-list").addEventListener("click", (event) => {
  const item = event.target.closest("li[data-run-id]");
  if (item) {
    openRun(item.dataset.runId);
  }
});
$("run-list").addEventListener("keydown", (event) => {
  const item = event.target.closest("li[data-run-id]");
  if (item && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    openRun(item.dataset.runId);
  }
});
$("regenerate-button").addEventListener("click", async () => {
  try {
    startRegenerate(await getJson(`/api/runs/${encodeURIComponent($("run-details").dataset.runId)}`));
  } catch (error) {
    setStatus(String(error.message || error), true);
  }
});
$("api-key").value = apiKey();
refresh();
