// The browser half of naltrexone_lab.widgets.figure.FigureView (an anywidget ESM module).
//
// plotly.js is loaded once per page, not once per figure: from the URL the course's Jupyter
// server extension serves (naltrexone_lab.labserver; the browser caches it), or, where that
// extension is not enabled, sent once over the kernel connection. The figure's whole state is in
// the model (_data, _layout) so a reloaded page redraws it; live updates arrive as small
// "patch" messages holding only the traces and layout that changed, numeric arrays as binary
// buffers.

const PLOTLY_PATH = "naltrexone-lab/static/plotly.min.js";

function baseUrl() {
  const el = document.getElementById("jupyter-config-data");
  if (el) {
    try {
      const url = JSON.parse(el.textContent).baseUrl;
      if (url) return url.endsWith("/") ? url : url + "/";
    } catch (_) { /* fall through */ }
  }
  return "/";
}

function addScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
    s.onerror = () => { s.remove(); reject(new Error("could not load " + src)); };
    document.head.appendChild(s);
  });
}

function plotlyFromKernel(model) {
  // Ask this figure's kernel for plotly.js (one binary message), once per page.
  return new Promise((resolve, reject) => {
    const onMsg = (msg, buffers) => {
      if (!msg || msg.type !== "plotly-js") return;
      model.off("msg:custom", onMsg);
      if (!buffers || !buffers.length) { reject(new Error(msg.error || "no plotly.js")); return; }
      const blob = new Blob([buffers[0]], { type: "text/javascript" });
      const url = URL.createObjectURL(blob);
      addScript(url).then(resolve, reject).finally(() => URL.revokeObjectURL(url));
    };
    model.on("msg:custom", onMsg);
    model.send({ type: "need-plotly-js" });
  });
}

function loadPlotly(model) {
  if (window.Plotly && window.Plotly.react) return Promise.resolve(window.Plotly);
  if (!window.__ntxPlotly) {
    const version = model.get("_plotly_version") || "";
    window.__ntxPlotly = addScript(baseUrl() + PLOTLY_PATH + "?v=" + encodeURIComponent(version))
      .catch(() => plotlyFromKernel(model));
    window.__ntxPlotly.catch(() => { window.__ntxPlotly = null; });
  }
  return window.__ntxPlotly;
}

// --- decoding: {"__ntx_nd__": dtype, "shape": [...], "buffer": DataView | "b": index} -----------
const ARRAYS = { float64: Float64Array, float32: Float32Array, int32: Int32Array, uint8: Uint8Array };

function toTyped(desc, buffers) {
  const view = desc.buffer !== undefined ? desc.buffer : buffers[desc.b];
  const Kind = ARRAYS[desc.__ntx_nd__];
  const bytes = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
  const flat = new Kind(bytes);
  const shape = desc.shape;
  if (shape.length < 2) return flat;
  const rows = [];
  const width = shape[1];
  for (let r = 0; r < shape[0]; r++) rows.push(flat.subarray(r * width, (r + 1) * width));
  return rows;
}

function decode(value, buffers) {
  if (Array.isArray(value)) return value.map((v) => decode(v, buffers));
  if (value && typeof value === "object" && !(value instanceof DataView)) {
    if (value.__ntx_nd__ !== undefined) return toTyped(value, buffers);
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decode(v, buffers);
    return out;
  }
  return value;
}

// anywidget 0.11 holds each kernel message for a model until the model's module has loaded,
// and drops every one, for good, if that took more than 2 s (its Runtime rejects `ready` after
// a fixed timeout). On a slow or busy machine that left a figure frozen at its first state:
// blank, and deaf to every slider. The model here takes its messages back: the comm's handler
// becomes the plain ipywidgets one (the message handling anywidget defers to once ready).
async function takeMessagesBack(model) {
  const id = model.get("_ntx_id");
  const manager = model.widget_manager;
  if (!id || !manager || typeof manager.get_model !== "function") return false;
  let widgetModel;
  try { widgetModel = await manager.get_model(id); } catch (_) { return false; }
  const comm = widgetModel && widgetModel.comm;
  if (!comm || typeof comm.on_msg !== "function") return false;
  let proto = Object.getPrototypeOf(widgetModel);
  const deferred = proto && proto._handle_comm_msg;
  while (proto && proto._handle_comm_msg === deferred) proto = Object.getPrototypeOf(proto);
  const handle = proto && proto._handle_comm_msg;
  if (typeof handle !== "function") return false;
  comm.on_msg((msg) => handle.call(widgetModel, msg));
  return true;
}

async function initialize({ model }) {
  // Live updates: patch the model's state in the browser (no round trip to the kernel), so
  // every view of this figure, and any view created later, draws the current state.
  const onPatch = (msg, buffers) => {
    if (!msg || msg.type !== "patch") return;
    const data = (model.get("_data") || []).slice();
    if (msg.n_traces !== undefined) data.length = msg.n_traces;
    for (const [index, trace] of Object.entries(msg.traces || {})) {
      data[Number(index)] = decodeLater(trace, buffers);
    }
    model.set("_data", data);
    if (msg.layout !== undefined) model.set("_layout", decodeLater(msg.layout, buffers));
    model.set("_revision", msg.revision);
  };
  model.on("msg:custom", onPatch);
  await takeMessagesBack(model);
  // messages dropped before that (see above) are made good: ask for the whole state
  model.send({ type: "need-state" });
  return () => model.off("msg:custom", onPatch);
}

// A patch's arrays refer to that message's buffers; bind them now, decode at draw time.
function decodeLater(value, buffers) {
  if (Array.isArray(value)) return value.map((v) => decodeLater(v, buffers));
  if (value && typeof value === "object" && !(value instanceof DataView)) {
    if (value.__ntx_nd__ !== undefined && value.b !== undefined) {
      return { __ntx_nd__: value.__ntx_nd__, shape: value.shape, buffer: buffers[value.b] };
    }
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeLater(v, buffers);
    return out;
  }
  return value;
}

// A learner must see a control and the whole plot at once (at 1280x720 the notebook shows
// about 570 px): a tall figure is drawn shorter, down to MIN_PLOT_PX, when the notebook's
// scrolling area cannot hold it below the model's last control.
const MIN_PLOT_PX = 380;

function lastControl(el) {
  // the ModelWidget layout: [controls | readouts] row, status line, then this figure
  const row = el.previousElementSibling && el.previousElementSibling.previousElementSibling;
  const controls = row && row.firstElementChild;
  return controls && controls.lastElementChild;
}

function fittedHeight(el, wanted) {
  const panel = el.closest(".jp-WindowedPanel-outer") || el.closest(".jp-Notebook");
  const control = lastControl(el);
  if (!panel || !control || !wanted || !el.isConnected) return wanted;
  const above = el.getBoundingClientRect().top - control.getBoundingClientRect().top;
  const room = panel.clientHeight - Math.max(0, above) - 8;
  if (!(room > 0)) return wanted;
  return Math.round(Math.max(MIN_PLOT_PX, Math.min(wanted, room)));
}

// --- JupyterLab's theme: light, dark or high contrast -----------------------------------------
// The figure's layout comes from the kernel with plotly's white template; here its background,
// text and axis colours are taken from the theme's CSS variables at every draw, and lines drawn
// in black or dark grey (Okabe-Ito black, reference lines) get the theme's text colour on a dark
// background. The other Okabe-Ito colours keep at least 3:1 against both backgrounds.
const DARK_INKS = new Set(["#000", "#000000", "black", "#444", "#444444"]);

function cssVar(name, fallback) {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function luminance(colour) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour) ||
    /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
  if (!m) return 1;
  const c = m.slice(1, 4).map((v) => (m[0].startsWith("rgb") ? +v : parseInt(v, 16)) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

function theme() {
  const bg = cssVar("--jp-layout-color0", "#ffffff");
  const flag = document.body.dataset.jpThemeLight;
  const dark = flag === undefined ? luminance(bg) < 0.3 : flag === "false";
  return { dark, bg, bg2: cssVar("--jp-layout-color2", dark ? "#333" : "#eee"),
    fg: cssVar("--jp-ui-font-color1", dark ? "#e0e0e0" : "#212121"),
    grid: cssVar("--jp-border-color2", dark ? "#424242" : "#e0e0e0"),
    line: cssVar("--jp-ui-font-color2", dark ? "#bdbdbd" : "#444") };
}

function ink(part, t) {
  if (!part || !t.dark) return;
  if (typeof part.color === "string" && DARK_INKS.has(part.color.toLowerCase())) part.color = t.fg;
  if (Array.isArray(part.color)) {
    part.color = part.color.map((c) => (typeof c === "string" && DARK_INKS.has(c.toLowerCase()) ? t.fg : c));
  }
}

function themed(data, layout) {
  const t = theme();
  layout.paper_bgcolor = layout.plot_bgcolor = t.bg;
  layout.font = Object.assign({}, layout.font, { color: t.fg });
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key)) {
      layout[key] = Object.assign({}, layout[key],
        { gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.line, tickcolor: t.line });
    }
  }
  layout.legend = Object.assign({}, layout.legend, { bgcolor: "rgba(0,0,0,0)" });
  // a label box drawn light behind its text (a diagram's node labels) takes the theme's colours
  if (t.dark && Array.isArray(layout.annotations)) {
    layout.annotations = layout.annotations.map((a) => (a && a.bgcolor && luminance(a.bgcolor) > 0.5
      ? Object.assign({}, a, { bgcolor: t.bg2, font: Object.assign({}, a.font, { color: t.fg }) }) : a));
  }
  for (const trace of data) {
    // a band shaded in translucent black (baseline ± 10%) is shaded in translucent white
    if (t.dark && typeof trace.fillcolor === "string") {
      trace.fillcolor = trace.fillcolor.replace(/^rgba\(\s*0\s*,\s*0\s*,\s*0\s*,\s*([\d.]+)\s*\)$/,
        (_, a) => "rgba(255,255,255," + Math.min(1, 2 * Number(a)) + ")");
    }
    ink(trace.line, t);
    ink(trace.marker, t);
    if (trace.marker) ink(trace.marker.line, t);
    if (trace.type === "table") {
      trace.header = Object.assign({}, trace.header, { fill: { color: t.bg2 },
        font: Object.assign({}, (trace.header || {}).font, { color: t.fg }), line: { color: t.grid } });
      trace.cells = Object.assign({}, trace.cells, { fill: { color: t.bg },
        font: Object.assign({}, (trace.cells || {}).font, { color: t.fg }), line: { color: t.grid } });
    }
  }
  return t;
}

// --- what ipywidgets leaves out for a screen reader -------------------------------------------
// The model's other widgets (ModelWidget puts classes on them): a slider handle gets its label
// as its name (the label carries the unit) and the shown value as aria-valuetext (a selection
// slider's aria-valuenow is an index); readouts and the status line become polite live regions.
// ids unique on the page: each widget may run its own copy of this module
const uniqueId = (kind) => "ntx-" + kind + "-" + Math.random().toString(36).slice(2, 10);
function nameOf(label) {
  if (!label.id) label.id = uniqueId("label");
  return label.id;
}

// a focus ring on every control of a course model, in the theme's brand colour
const FOCUS_CSS = ".ntx-model .noUi-handle:focus-visible, .ntx-model select:focus-visible, " +
  ".ntx-model input:focus-visible, .ntx-model .widget-readout:focus-visible, " +
  ".ntx-model .ntx-readouts:focus-visible " +
  "{ outline: 3px solid var(--jp-brand-color1, #1976d2) !important; outline-offset: 2px; }";

// Keys with Ctrl, Cmd or Alt stay JupyterLab's (Ctrl+S saves with a slider focused): before
// Lumino sees such a key (window, capture phase: first of all listeners), the suppressing
// attribute is lifted from the focused control, and put back once the key is handled.
function keepModifiedShortcuts() {
  window.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey || event.altKey)) return;
    const target = event.target;
    if (!target || !target.closest || !target.closest(".ntx-model")) return;
    if (target.getAttribute("data-lm-suppress-shortcuts") !== "true") return;
    target.removeAttribute("data-lm-suppress-shortcuts");
    setTimeout(() => target.setAttribute("data-lm-suppress-shortcuts", "true"), 0);
  }, true);
}

function a11y(el) {
  if (!document.getElementById("ntx-a11y-style")) {
    const style = document.createElement("style");
    style.id = "ntx-a11y-style";
    style.textContent = FOCUS_CSS;
    document.head.appendChild(style);
    keepModifiedShortcuts();
  }
  const root = el.closest(".ntx-model");
  if (!root) return;
  for (const box of root.querySelectorAll(".ntx-readouts, .ntx-status")) {
    box.setAttribute("aria-live", "polite");
  }
  // keys typed on a control belong to it: without this, JupyterLab's command-mode shortcuts
  // took them from a dropdown (typing "b" to choose buprenorphine inserted a cell below and
  // focused it, and the rest of the word ran as commands there). The attribute must be on the
  // focused element itself: Lumino walks up from the key's target and, at each element, checks
  // the attribute *before* the shortcut's selector (".jp-Notebook.jp-mod-commandMode... :focus"),
  // which the focused <select> already matches, so an attribute on an ancestor is never reached.
  // Set on each focusable control now and, for one ipywidgets renders later, when it takes focus.
  const controls = root.querySelector(".ntx-controls");
  const ownKeys = (node) => {
    if (node && node.setAttribute && !node.hasAttribute("data-lm-suppress-shortcuts")) {
      node.setAttribute("data-lm-suppress-shortcuts", "true");
    }
  };
  if (controls) {
    for (const target of controls.querySelectorAll("select, input, textarea, button, [tabindex]")) ownKeys(target);
  }
  if (!root.dataset.ntxOwnKeys) {
    root.dataset.ntxOwnKeys = "1";
    root.addEventListener("focusin", (event) => {
      const target = event.target;
      if (target && target.closest && (target.closest(".ntx-controls") || target === root.querySelector(".ntx-readouts"))) {
        ownKeys(target);
      }
    });
  }
  // a long readout line scrolls sideways inside its box: the box takes focus, so a keyboard
  // can scroll it too (the arrow keys), in reading order after the controls
  const readouts = root.querySelector(".ntx-readouts");
  if (readouts && !readouts.hasAttribute("tabindex")) {
    readouts.setAttribute("tabindex", "0");
    readouts.setAttribute("role", "group");
    readouts.setAttribute("aria-label", "readouts");
  }
  ownKeys(readouts);  // its arrow keys scroll it, not the notebook
  for (const control of root.querySelectorAll(".ntx-controls .widget-slider, .ntx-controls .widget-dropdown")) {
    const label = control.querySelector(".widget-label");
    const target = control.querySelector(".noUi-handle, select");
    if (!label || !target || target.dataset.ntxNamed) continue;
    target.dataset.ntxNamed = "1";
    target.setAttribute("aria-labelledby", nameOf(label));
    const readout = control.querySelector(".widget-readout");
    if (!readout) continue;
    const say = () => {
      const text = readout.textContent.trim();
      if (text && target.getAttribute("aria-valuetext") !== text) target.setAttribute("aria-valuetext", text);
    };
    say();
    new MutationObserver(say).observe(readout, { childList: true, characterData: true, subtree: true });
    new MutationObserver(say).observe(target, { attributes: true, attributeFilter: ["aria-valuetext"] });
  }
}

// --- the figure's data as CSV (issue 25: the numbers behind the picture, for a screen reader or a
// spreadsheet): every visible line, marker or bar trace as drawn, one row per point, and every
// cell of a colour map; built in the browser from what it has drawn, so nothing extra is sent.
function csvCell(value) {
  const text = value === null || value === undefined ? "" : String(value).replace(/<[^>]+>/g, " ");
  return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function axisTitle(layout, ref, letter) {
  const axis = layout[letter + "axis" + (ref && ref.length > 1 ? ref.slice(1) : "")] || {};
  const title = axis.title;
  const text = title && typeof title === "object" ? title.text : title;
  return text ? String(text).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() : letter;
}

function figureCsv(data, layout) {
  const rows = [["trace", "x axis", "x", "y axis", "y", "value"]];
  for (const trace of data) {
    if (trace.visible === false || trace.visible === "legendonly") continue;
    const name = trace.name || trace.type || "trace";
    const xt = axisTitle(layout, trace.xaxis, "x");
    const yt = axisTitle(layout, trace.yaxis, "y");
    const xs = trace.x ? Array.from(trace.x) : null;
    const ys = trace.y ? Array.from(trace.y) : null;
    if (trace.type === "heatmap" && trace.z) {
      Array.from(trace.z).forEach((row, i) => Array.from(row).forEach((z, j) => {
        rows.push([name, xt, xs ? xs[j] : j, yt, ys ? ys[i] : i, z]);
      }));
    } else if ((trace.type === undefined || trace.type === "scatter" || trace.type === "bar") && ys) {
      ys.forEach((y, i) => rows.push([name, xt, xs ? xs[i] : i, yt, y, ""]));
    }
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

function fileName(title) {
  const stem = String(title || "figure").replace(/<[^>]+>/g, " ").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return (stem || "figure") + ".csv";
}

function render({ model, el }) {
  el.classList.add("ntx-figure");
  const plot = document.createElement("div");
  plot.className = "ntx-figure-plot";
  plot.style.width = "100%";
  // the text alternative: the figure is named by its title and described by the summary the
  // kernel computes from the same data (naltrexone_lab.plots.describe); not a live region (the
  // readouts are), so a slider's every step is not read twice
  const summary = document.createElement("p");
  summary.className = "ntx-figure-summary";
  summary.id = uniqueId("summary");
  summary.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);" +
    "white-space:normal;margin:0;";
  plot.setAttribute("role", "figure");
  plot.setAttribute("aria-describedby", summary.id);
  const note = document.createElement("div");
  note.className = "ntx-figure-note";
  note.textContent = "drawing the figure\u2026";
  note.style.cssText = "padding:1em;color:var(--jp-ui-font-color2, #555);font-style:italic;";
  el.style.position = "relative";
  el.style.width = "100%";
  const csv = document.createElement("button");
  csv.type = "button";
  csv.className = "ntx-figure-csv";
  csv.textContent = "Download the figure's data (CSV)";
  csv.style.cssText = "margin:2px 0 0 0;padding:1px 8px;font-size:var(--jp-ui-font-size1, 13px);" +
    "color:var(--jp-ui-font-color1, #212121);background:transparent;cursor:pointer;" +
    "border:1px solid var(--jp-border-color1, #bdbdbd);border-radius:2px;";
  el.append(note, plot, summary, csv);
  let shown = { data: [], layout: {} };  // what was drawn last: the CSV gives exactly that
  csv.addEventListener("click", () => {
    const blob = new Blob([figureCsv(shown.data, shown.layout)], { type: "text/csv" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName(shown.layout.title && shown.layout.title.text);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });

  let Plotly = null;
  let pending = false;
  let alive = true;
  let drawn = Promise.resolve();

  const draw = () => {
    if (!Plotly || !alive) return;
    if (pending) return;
    pending = true;
    // one redraw per animation frame however many changes arrive in it
    requestAnimationFrame(() => {
      pending = false;
      if (!alive) return;
      const data = decode(model.get("_data") || [], []);
      const layout = decode(model.get("_layout") || {}, []);
      if (layout.uirevision === undefined) layout.uirevision = "course";
      layout.autosize = true;
      delete layout.width;
      layout.height = fittedHeight(el, layout.height);
      const t = themed(data, layout);
      const title = layout.title && layout.title.text;
      if (title) plot.setAttribute("aria-label", String(title).replace(/<[^>]+>/g, " "));
      drawn = drawn.then(() => Plotly.react(plot, data, layout,
        { responsive: true, displaylogo: false, scrollZoom: false }))
        .then(() => {
          shown = { data, layout };
          plot.dataset.ntxRevision = String(model.get("_revision"));
          plot.dataset.ntxTheme = t.dark ? "dark" : "light";
          plot.dataset.ntxBg = t.bg;
          note.style.display = "none";
          a11y(el);
        })
        .catch((err) => { note.style.display = ""; note.textContent = "could not draw: " + err; });
    });
  };
  const describe = () => { summary.textContent = model.get("summary") || ""; };

  // The controls beside the figure are drawn by ipywidgets in their own time: after a page
  // reload, often after the figure, when a11y() (run after each draw) found none to name and
  // none to keep JupyterLab's shortcuts off. Name them whenever they appear (once a frame).
  let controlsWatch = null;
  let relabelling = false;
  const relabel = () => {
    if (relabelling || !alive) return;
    relabelling = true;
    requestAnimationFrame(() => { relabelling = false; if (alive) a11y(el); });
  };
  const watchControls = () => {
    if (!alive) return;
    const root = el.closest(".ntx-model");
    if (!root) { setTimeout(watchControls, 250); return; }
    controlsWatch = new MutationObserver(relabel);
    controlsWatch.observe(root, { childList: true, subtree: true });
    relabel();
  };
  watchControls();

  model.on("change:_data", draw);
  model.on("change:_layout", draw);
  model.on("change:summary", describe);
  describe();

  const busy = () => { plot.style.opacity = model.get("busy") ? "0.45" : ""; };
  model.on("change:busy", busy);

  // a theme change swaps JupyterLab's stylesheet and then these attributes: redraw at once and
  // again shortly after, when the new CSS variables are certain to apply
  const retheme = () => { draw(); setTimeout(draw, 300); setTimeout(draw, 1200); };
  const themeWatch = new MutationObserver(retheme);
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name"] });

  let observer = null;
  loadPlotly(model).then((P) => {
    Plotly = P;
    draw();
    observer = new ResizeObserver(() => {
      if (!alive || !plot.data) return;
      const wanted = (model.get("_layout") || {}).height;
      if (plot.layout && fittedHeight(el, wanted) !== plot.layout.height) draw();
      else Plotly.Plots.resize(plot);
    });
    observer.observe(el);
    const panel = el.closest(".jp-WindowedPanel-outer") || el.closest(".jp-Notebook");
    if (panel) observer.observe(panel);  // the window's height changes what fits
  }).catch((err) => {
    note.textContent = "plotly.js could not be loaded (" + err.message + "). " +
      "Ask your instructor to run: jupyter server extension enable naltrexone_lab";
  });

  return () => {
    alive = false;
    model.off("change:_data", draw);
    model.off("change:_layout", draw);
    model.off("change:summary", describe);
    model.off("change:busy", busy);
    if (observer) observer.disconnect();
    if (controlsWatch) controlsWatch.disconnect();
    themeWatch.disconnect();
    if (Plotly) Plotly.purge(plot);
  };
}

export default { initialize, render };
