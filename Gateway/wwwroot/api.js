// The gateway's HTTP API with the key the user pasted (kept in localStorage). Images are fetched with the key too and
// shown from blob: URLs, since <img src> cannot send a key.

const KEY_STORAGE = "pipeline.apiKey";
const imageUrls = new Map(); // image id -> blob: URL

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

export function saveApiKey(key) {
  localStorage.setItem(KEY_STORAGE, key);
  imageUrls.clear();
}

export function api(path, init = {}) {
  const headers = new Headers(init.headers || {});
  headers.set("Authorization", "Bearer " + apiKey());
  return fetch(path, { ...init, headers });
}

/** GET path as JSON; a refusal throws with the server's message. */
export async function getJson(path) {
  const response = await api(path);
  if (!response.ok) {
    throw new Error(await errorMessage(response));
  }
  return response.json();
}

/** POSTs body as JSON and asks for server-sent events. */
export function postForEvents(path, body) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
}

// The message of an error answer: OpenAI envelope, ProblemDetails (with every violation) or the status line.
export async function errorMessage(response) {
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

export async function imageUrl(imageId, urlPath) {
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
export async function readEvents(response, onEvent) {
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

export function downloadLink(url, imageId, mimeType) {
  const link = document.createElement("a");
  link.href = url;
  link.download = `${imageId}.${(mimeType || "image/png").split("/")[1]}`;
  link.textContent = "download";
  return link;
}
