// Wiring: reads the data, opens the drawing, the date control and the panels, and
// connects the header's controls (search, legend, sliders, colour, size, reset) to them.
var data = openData(JSON.parse(document.getElementById("graph-data").textContent));
// Neighbours brought in with an entity found by search, and per click on "expand".
var BRING_NEIGHBOURS = 10;
var EXPAND_LIMIT = 20;
var SUGGESTIONS = 12;

var state = {
  colorBy: "type",
  sizeBy: "mentions",
  hiddenTypes: new Set(),
  minWeight: data.minWeight,
  minMentions: 0,
  showUnlinked: true,
  period: null,  // [first day, last day] chosen on the date control; null: all
  focus: null,  // the entities "focus" shows (an entity and its neighbours); null: all
};
var fmt = data.format;
var container = document.getElementById("graph");
var drawing = openDrawing(data, container, state);
var network = drawing.network;
// Exposed for tests and for analysts poking at the page from the console.
window.network = network;
window.data = data;
window.nodes = drawing.nodes;
window.edges = drawing.edges;

function plural(count, word, many) {
  return fmt.format(count) + " " + (count === 1 ? word : many || word + "s");
}

function refilter() {
  var counts = drawing.applyFilters();
  document.getElementById("unlinked-count").textContent = fmt.format(counts.unlinked);
  document.getElementById("counts").textContent = plural(counts.entities, "entity", "entities") + ", " +
    fmt.format(counts.links) + " of " + plural(counts.of, "link") + " shown";
}

// Select an entity and its shown neighbours and move the view onto it.
function focusCamera(n) {
  var neighbours = data.linksOf(n)
    .filter(function (link) { return drawing.isLinkShown(link.link) && drawing.isDrawn(link.other) && !drawing.isHidden(link.other); })
    .map(function (link) { return link.other.id; });
  network.selectNodes([n.id].concat(neighbours), true);
  network.focus(n.id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
}

var actions = {
  expandLimit: EXPAND_LIMIT,
  // Open an entity, bringing it into the drawing with its strongest neighbours if needed
  // (a served view fetches them first: data.need calls back once they are known).
  choose: function (n) {
    data.need(n, BRING_NEIGHBOURS, function () {
      var note = null;
      if (!drawing.isDrawn(n)) {
        var came = drawing.bring(n, BRING_NEIGHBOURS);
        var links = data.linkCount(n);
        var shown = links - drawing.undrawnCount(n);
        note = "Added to the drawing" + (!links ? "." : shown === links ? " with its " + plural(links, "neighbour") + "."
          : " with " + fmt.format(came) + " of its " + plural(links, "neighbour") + " (" + fmt.format(shown) + " now drawn).");
        refilter();
      }
      focusCamera(n);
      panels.showEntity(n, note);
    });
  },
  // Draw the next EXPAND_LIMIT of its neighbours (a served view fetches the next page).
  expand: function (n) {
    data.more(n, EXPAND_LIMIT, function () {
      var came = drawing.bring(n, EXPAND_LIMIT);
      refilter();
      var left = drawing.undrawnCount(n);
      focusCamera(n);
      panels.showEntity(n, "Drew " + plural(came, "neighbour") + (left ? "; " + fmt.format(left) + " more not drawn." : "."));
    });
  },
  // Show only `n` and its neighbours (bringing in up to EXPAND_LIMIT), or everything again.
  focus: function (n) {
    if (actions.focused(n)) {
      state.focus = null;
      refilter();
      panels.showEntity(n);
      return;
    }
    data.need(n, EXPAND_LIMIT, function () { focusOn(n); });
  },
  focused: function (n) { return focusRoot() === n; },
};
// Show only `n` and its neighbours, once they are known.
function focusOn(n) {
  state.focus = new Set([n]);
  data.linksOf(n).forEach(function (link) { if (drawing.isDrawn(link.other)) state.focus.add(link.other); });
  drawing.bring(n, EXPAND_LIMIT);
  refilter();
  var ids = Array.from(state.focus).map(function (e) { return e.id; });
  network.selectNodes(ids, true);
  network.fit({ nodes: ids, animation: { duration: 300 } });
  panels.showEntity(n, "Showing " + plural(state.focus.size - 1, "neighbour") + " of " + n.label + " only.");
}
function focusRoot() { return state.focus === null ? null : state.focus.values().next().value; }

var panel = document.getElementById("panel");
var panels = openPanels(data, drawing, panel, actions);
var timeline = openTimeline(data, document.getElementById("timeline"), function (period) {
  state.period = period;
  refilter();
});

var physicsToggle = document.getElementById("physics-toggle");
physicsToggle.checked = !drawing.fixed && data.opening.length > 0;
physicsToggle.addEventListener("change", function () {
  network.setOptions({ physics: { enabled: physicsToggle.checked } });
});

function markReady() {
  if (document.body.dataset.state === "ready") return;
  document.body.dataset.state = "ready";
  performance.mark("entigraph-ready");
}

// The header grew as the legend and counts were filled in after the network was made:
// size the canvas to its container now, so the fit and the label plan hold for the
// first frame (one draw: at 5,000 nodes each costs a second).
function settled() {
  network.setSize("100%", "100%");
  network.fit({ animation: false });
  drawing.planLabels();
  network.once("afterDrawing", markReady);
  network.redraw();
}

// The header reflows as controls appear (the aliases button) or the window narrows:
// redraw at once, not at vis' next size check a second later, with a blank canvas between.
var resizing = false;
new ResizeObserver(function () {
  if (resizing) return;
  resizing = true;
  requestAnimationFrame(function () {
    resizing = false;
    network.setSize("100%", "100%");
    network.redraw();
  });
}).observe(container);

// ---- filters -------------------------------------------------------------------

var unlinkedToggle = document.getElementById("unlinked-toggle");
unlinkedToggle.addEventListener("change", function () {
  state.showUnlinked = unlinkedToggle.checked;
  refilter();
});

var legend = document.getElementById("legend");
Object.keys(data.types).forEach(function (type) {
  var count = data.typeCount(type);
  var b = document.createElement("button");
  b.type = "button";
  b.dataset.type = type;
  b.setAttribute("aria-pressed", "true");
  b.title = "Hide or show " + type;
  var swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = data.types[type];
  b.appendChild(swatch);
  b.appendChild(document.createTextNode(type + " " + fmt.format(count)));
  b.addEventListener("click", function () {
    var shown = state.hiddenTypes.has(type);
    if (shown) state.hiddenTypes.delete(type); else state.hiddenTypes.add(type);
    b.setAttribute("aria-pressed", String(shown));
    refilter();
  });
  legend.appendChild(b);
});

function wireSlider(id, key, values) {
  var input = document.getElementById(id);
  var output = document.getElementById(id + "-value");
  var max = values.reduce(function (m, v) { return Math.max(m, v); }, 1);
  input.max = String(Math.ceil(max));
  input.step = values.every(Number.isInteger) ? "1" : "any";
  input.value = String(state[key]);
  output.textContent = String(state[key]);
  var pending = false;
  input.addEventListener("input", function () {
    state[key] = Number(input.value);
    output.textContent = input.value;
    // a drag fires many input events; filter once per frame, for the latest value
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; refilter(); });
  });
}
wireSlider("min-weight", "minWeight", data.links.map(function (l) { return l.weight; }));
wireSlider("min-mentions", "minMentions", data.entities.map(function (n) { return n.mentions; }));

var colorBy = document.getElementById("color-by");
colorBy.querySelector('option[value="community"]').disabled = !data.entities.some(function (n) { return n.community !== undefined; });
colorBy.addEventListener("change", function () { state.colorBy = colorBy.value; drawing.restyle(); });
var sizeBy = document.getElementById("size-by");
sizeBy.querySelector('option[value="pagerank"]').disabled = !data.entities.some(function (n) { return n.pagerank !== undefined; });
sizeBy.addEventListener("change", function () { state.sizeBy = sizeBy.value; drawing.restyle(); });

// Back to the opening view: the opening entities only, where they were, every period
// and no focus; the header's filters stay as set.
document.getElementById("reset").addEventListener("click", function () {
  state.focus = null;
  drawing.reset();
  if (timeline) timeline.set(0, data.time.days);
  refilter();
  network.unselectAll();
  network.fit({ animation: { duration: 300 } });
  panel.replaceChildren();
  var hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent = "Click an entity or a link to see its details.";
  panel.appendChild(hint);
});

network.on("click", function (params) {
  if (params.nodes.length === 2) panels.showPair(data.entity(params.nodes[0]), data.entity(params.nodes[1]));
  else if (params.nodes.length) panels.showEntity(data.entity(params.nodes[params.nodes.length - 1]));
  else if (params.edges.length) panels.showLink(data.link(params.edges[0]));
});

// ---- search: any entity the page carries, by name or alias ------------------------

var search = document.getElementById("search");
var list = document.getElementById("suggestions");
var offered = [];
var offeredFor = null;  // the text the suggestions offered were found for
var active = -1;

// Suggestions for the text in the box; `then` is called once they are shown (a served
// view asks its server; an answer for text typed over since is dropped).
function suggest(then) {
  var typed = search.value;
  data.find(typed, SUGGESTIONS, function (found) {
    if (search.value !== typed) return;
    offeredFor = typed;
    offered = found;
    showSuggestions();
    if (then) then();
  });
}

function showSuggestions() {
  active = offered.length ? 0 : -1;
  list.replaceChildren();
  offered.forEach(function (s, i) {
    var item = document.createElement("li");
    item.setAttribute("role", "option");
    item.id = "suggestion-" + i;
    item.dataset.id = s.entity.id;
    item.appendChild(document.createTextNode(s.name));
    var about = document.createElement("span");
    about.className = "about";
    about.textContent = (s.name !== s.entity.label ? " \u2192 " + s.entity.label : "") + " \u00b7 " + s.entity.type +
      " \u00b7 " + fmt.format(s.entity.mentions) + (drawing.isDrawn(s.entity) ? "" : " \u00b7 not drawn");
    item.appendChild(about);
    // mousedown, not click: the box's blur would hide the list before a click lands
    item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(s.entity); });
    list.appendChild(item);
  });
  highlight();
  list.hidden = offered.length === 0;
}

function highlight() {
  Array.prototype.forEach.call(list.children, function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
  if (active >= 0) search.setAttribute("aria-activedescendant", "suggestion-" + active);
  else search.removeAttribute("aria-activedescendant");
}

function pick(n) {
  list.hidden = true;
  search.removeAttribute("aria-invalid");
  actions.choose(n);
}

search.addEventListener("input", function () {
  search.removeAttribute("aria-invalid");
  suggest();
  // typing a drawn entity's whole name focuses it at once; an undrawn one waits for Enter
  var n = data.lookup(search.value);
  if (n && drawing.isDrawn(n)) { focusCamera(n); panels.showEntity(n); }
});
search.addEventListener("keydown", function (event) {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!offered.length) return;
    event.preventDefault();
    active = (active + (event.key === "ArrowDown" ? 1 : offered.length - 1)) % offered.length;
    highlight();
  } else if (event.key === "Escape") {
    list.hidden = true;
  } else if (event.key === "Enter") {
    var choosing = function () {
      if (offered.length) pick(offered[Math.max(active, 0)].entity);
      else search.setAttribute("aria-invalid", "true");
    };
    if (offeredFor === search.value) choosing(); else suggest(choosing);
  }
});
search.addEventListener("blur", function () { list.hidden = true; });
search.addEventListener("focus", function () { if (search.value) suggest(); });

refilter();
if (drawing.fixed || data.opening.length === 0) {
  settled();
} else {
  // The layout has settled: stop the simulation so nothing drifts while reading.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    physicsToggle.checked = false;
    settled();
  });
}
