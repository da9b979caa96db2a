// The generation form's parameter fields, built from a config's rules (ConfigInfo.rules). A config without rules (an
// older router, or a catalogue not filled in yet) gets free fields the server validates. Each field starts at a
// baseline (the config's defaults, or a run's parameters when regenerating); a request carries only what changed.

const $ = (id) => document.getElementById(id);

// Field id -> the GenerationParameters JSON name, the snake_case key of ConfigInfo.parameters / Run.parameters, and a label.
const FIELDS = [
  { id: "size", name: "size", key: "size", label: "Size" },
  { id: "quality", name: "quality", key: "quality", label: "Quality" },
  { id: "output-format", name: "outputFormat", key: "output_format", label: "Format" },
  { id: "background", name: "background", key: "background", label: "Background" },
  { id: "n", name: "n", key: "n", label: "Images", number: true },
  { id: "partials", name: "partialImages", key: "partial_images", label: "Previews", number: true },
  { id: "compression", name: "outputCompression", key: "output_compression", label: "Compression", number: true },
];

let baseline = {};

export function hasRules(config) {
  return Boolean(config && config.rules && Object.keys(config.rules).length > 0);
}

function range(min, max) {
  const values = [];
  for (let i = min; i <= max; i++) {
    values.push(String(i));
  }
  return values;
}

function select(id, values, current) {
  const element = document.createElement("select");
  element.id = id;
  if (current === undefined || current === "" || !values.includes(current)) {
    element.add(new Option("default", ""));
  }
  for (const value of values) {
    element.add(new Option(value, value));
  }
  element.value = current !== undefined && values.includes(current) ? current : "";
  return element;
}

function input(id, type, current, attributes = {}) {
  const element = document.createElement("input");
  element.id = id;
  element.type = type;
  Object.assign(element, attributes);
  element.value = current === undefined ? "" : current;
  return element;
}

function row(labelText, control, hint) {
  const div = document.createElement("div");
  div.className = "row";
  const label = document.createElement("label");
  label.htmlFor = control.id;
  label.textContent = labelText;
  div.append(label, control);
  if (hint) {
    const span = document.createElement("span");
    span.className = "field-hint";
    span.textContent = hint;
    div.append(span);
  }
  return div;
}

/** The controls for each field the config allows, as [field, control, hint]; null when a field does not apply. */
function controls(config, values, regenerating) {
  const rules = (config && config.rules) || {};
  const strict = hasRules(config);
  const text = (field) => (values[field.key] === undefined ? undefined : String(values[field.key]));
  const choice = (field, allowed, placeholder) => (allowed && allowed.length
    ? select(field.id, allowed, text(field))
    : strict ? null : input(field.id, "text", text(field), { placeholder }));
  const number = (field, min, max) => input(field.id, "number", text(field), { min: String(min), max: String(max), step: "1" });
  const minN = rules.minN || 1;
  const maxN = strict ? rules.maxN || 1 : 10;
  const maxPartials = strict ? rules.maxPartialImages || 0 : 3;
  return {
    size: rules.flexibleSizes
      ? input("size", "text", text(FIELDS[0]), { placeholder: rules.flexibleSizes })
      : choice(FIELDS[0], rules.sizes, "1024x1024"),
    quality: choice(FIELDS[1], rules.qualities, "auto"),
    "output-format": choice(FIELDS[2], rules.outputFormats, "png"),
    background: choice(FIELDS[3], rules.backgrounds, "auto"),
    n: maxN > minN ? number(FIELDS[4], minN, maxN) : null,
    partials: maxPartials > 0 ? select("partials", range(rules.minPartialImages || 0, maxPartials), text(FIELDS[5]) || "0") : null,
    compression: rules.hasOutputCompression
      ? number(FIELDS[6], rules.minOutputCompression || 0, rules.maxOutputCompression || 100)
      : null,
    inputs: !regenerating && (strict ? (rules.maxInputImages || 0) > 0 : config && config.operation === "edit"),
    mask: !regenerating && (strict ? Boolean(rules.mask) : config && config.operation === "edit"),
  };
}

/**
 * Rebuilds the fields for config, starting at values (snake_case parameters: the config's defaults, or the run's when
 * regenerating; input images are not taken when regenerating, the parent's are reused).
 */
export function buildForm(config, values, regenerating = false) {
  baseline = { ...(values || {}) };
  const built = controls(config, baseline, regenerating);
  const container = $("parameters");
  container.replaceChildren();
  for (const field of FIELDS) {
    const control = built[field.id];
    if (control) {
      const hint = control.type === "number" ? `${control.min}–${control.max}` : "";
      container.append(row(field.label, control, hint));
    }
  }
  const rules = (config && config.rules) || {};
  if (built.inputs) {
    const files = input("input-images", "file", undefined, { accept: "image/png,image/jpeg,image/webp", multiple: (rules.maxInputImages || 16) > 1 });
    const min = rules.minInputImages || 1;
    const max = rules.maxInputImages || 16;
    container.append(row("Images", files, min === max ? `${min}` : `${min}–${max}`));
  }
  if (built.mask) {
    container.append(row("Mask", input("mask", "file", undefined, { accept: "image/png" }), "optional, PNG"));
  }
  const prompt = $("prompt");
  if (rules.maxPromptLength) {
    prompt.maxLength = rules.maxPromptLength;
  } else {
    prompt.removeAttribute("maxlength");
  }
}

/** The fields' parameters as GenerationParameters JSON: all that are set, or only those that differ from the baseline. */
export function formParameters(onlyChanged) {
  const parameters = {};
  for (const field of FIELDS) {
    const control = $(field.id);
    if (!control || control.value.trim() === "") {
      continue;
    }
    const value = control.value.trim();
    if (onlyChanged && baseline[field.key] !== undefined && String(baseline[field.key]) === value) {
      continue;
    }
    parameters[field.name] = field.number ? Number(value) : value;
  }
  return parameters;
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error(`${file.name}: ${reader.error && reader.error.message}`));
    reader.readAsDataURL(file);
  });
}

/** { inputImages, mask } read from the file fields as base64, or throws with what is wrong (too few, too many). */
export async function readUploads(config) {
  const rules = (config && config.rules) || {};
  const files = $("input-images") ? [...$("input-images").files] : [];
  if ($("input-images")) {
    const min = rules.minInputImages || 1;
    const max = rules.maxInputImages || 16;
    if (files.length < min || files.length > max) {
      throw new Error(`${config.displayName || config.name} takes ${min === max ? min : `${min} to ${max}`} input image(s); ${files.length} chosen.`);
    }
  }
  const mask = $("mask") && $("mask").files.length ? await readBase64($("mask").files[0]) : null;
  return { inputImages: await Promise.all(files.map(async (file) => ({ data: await readBase64(file) }))), mask };
}
