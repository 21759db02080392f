// entigraph view: builds the vis-network graph from the JSON block and wires the controls.
// Every string from the data reaches the page through textContent or vis' plain-text
// tooltips: document text is never parsed as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var TOOLTIP_EVIDENCE = 3;
  var TOOLTIP_CHARS = 200;
  var LABEL_CHARS = 60;
  var NEIGHBOURS_SHOWN = 10;
  var PHRASES_SHOWN = 5;
  // Labels drawn at once: the most central entities whose labels fit without overlapping,
  // at a size legible whatever the zoom (screen pixels, largest for the most central).
  var LABELS_SHOWN = 40;
  var LABEL_PX = 13;
  var LABEL_PX_TOP = 18;
  var LABEL_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  // Edges and evidence travel as arrays with node indexes (a third of the bytes to parse).
  var allEdges = data.edges.map(function (row, i) {
    return {
      id: "e" + i, from: data.nodes[row[0]].id, to: data.nodes[row[1]].id, weight: row[2], documents: row[3],
      evidence: row[4].map(function (ev) { return { doc: ev[0], start: ev[1], end: ev[2], text: ev[3] }; }),
      // sources (distinct after near-duplicate grouping) and npmi: only on graphs that have them
      sources: row[5] ? row[5].sources : undefined, npmi: row[5] ? row[5].npmi : undefined,
      // roles of the scheme and linking phrases: [name, reversed, count, [doc, start, end, sentence]]
      relations: (row[5] && row[5].relations) || [], phrases: (row[5] && row[5].phrases) || [],
    };
  });
  var adjacency = new Map();
  data.nodes.forEach(function (n) { adjacency.set(n.id, []); });
  allEdges.forEach(function (e) {
    adjacency.get(e.from).push({ edge: e, other: e.to });
    adjacency.get(e.to).push({ edge: e, other: e.from });
  });
  adjacency.forEach(function (links) {
    links.sort(function (a, b) { return b.edge.weight - a.edge.weight || (a.other < b.other ? -1 : 1); });
  });

  var state = {
    colorBy: "type",
    sizeBy: "mentions",
    hiddenTypes: new Set(),
    minWeight: data.minWeight,
    minMentions: 0,
    showUnlinked: true,
  };
  var hasCommunities = data.nodes.some(function (n) { return n.community !== undefined; });
  var hasPagerank = data.nodes.some(function (n) { return n.pagerank !== undefined; });

  // Centrality orders the labels: PageRank when the graph has it, else weighted degree.
  function centrality(n) { return n.pagerank !== undefined ? n.pagerank : n.strength; }
  var byCentrality = data.nodes.slice().sort(function (a, b) {
    return centrality(b) - centrality(a) || b.mentions - a.mentions || (a.id < b.id ? -1 : 1);
  });

  function clip(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1) + "\u2026" : text;
  }

  // toLocaleString per call costs seconds over 50,000 tooltips; one formatter is cheap
  var numberFormat = new Intl.NumberFormat("en");

  function plural(count, word, many) {
    return numberFormat.format(count) + " " + (count === 1 ? word : many || word + "s");
  }

  function nodeTooltip(n) {
    var lines = [n.label, n.type + " \u00b7 " + plural(n.mentions, "mention") + " in " + plural(n.documents, "document")];
    var others = n.aliases.filter(function (a) { return a !== n.label; });
    if (others.length) lines.push("also: " + clip(others.join(", "), TOOLTIP_CHARS));
    return lines.join("\n");
  }

  // "weight 6 · 2 documents", then sources and npmi when the graph carries them
  function edgeFigures(e) {
    var parts = ["weight " + e.weight, plural(e.documents, "document")];
    if (e.sources !== undefined) parts.push(plural(e.sources, "source"));
    if (e.npmi !== undefined) parts.push("npmi " + e.npmi.toFixed(2));
    return parts.join(" \u00b7 ");
  }

  function edgeTooltip(e) {
    var lines = [byId.get(e.from).label + " \u2014 " + byId.get(e.to).label, edgeFigures(e)];
    e.evidence.slice(0, TOOLTIP_EVIDENCE).forEach(function (ev) {
      lines.push("\u2022 [" + ev.doc + "] " + clip(ev.text, TOOLTIP_CHARS));
    });
    if (e.evidence.length > TOOLTIP_EVIDENCE) {
      lines.push("\u2026 " + (e.evidence.length - TOOLTIP_EVIDENCE) + " more: click the link");
    }
    return lines.join("\n");
  }

  function nodeColor(n) {
    var base = state.colorBy === "community" && n.community !== undefined
      ? data.communityColors[n.community % data.communityColors.length]
      : data.types[n.type];
    return { background: base, border: base, highlight: { background: base, border: "#111" },
      hover: { background: base, border: "#111" } };
  }

  function nodeValue(n) {
    if (state.sizeBy === "strength") return n.strength;
    if (state.sizeBy === "pagerank") return n.pagerank !== undefined ? n.pagerank : 0;
    return n.mentions;
  }

  // Width from weight here rather than vis' `value` scaling: that rescales every edge on
  // each data change, seconds at 50,000 edges. Log scale: weights are heavy-tailed.
  var maxWeight = allEdges.reduce(function (m, e) { return Math.max(m, e.weight); }, 1);
  function edgeWidth(weight) {
    return maxWeight > 1 ? 1 + 7 * Math.log(Math.max(weight, 1)) / Math.log(maxWeight) : 1;
  }

  // Nodes stay in the network and carry `hidden` (vis then skips their edges too); edges
  // lighter than the weight filter are left out of the network altogether, because vis
  // spends ~0.1 ms building each edge and 50,000 of them would take seconds to open.
  var nodeHidden = new Map();
  var edgeShown = new Set();

  function edgeItem(e) {
    return { id: e.id, from: e.from, to: e.to, width: edgeWidth(e.weight), title: edgeTooltip(e) };
  }

  // Label font size per node in canvas units; 0 hides the label (see planLabels).
  var labelSize = new Map();
  // Entities with no link in the page sit on the shelf the layout set apart: physics
  // must not pull them back in.
  var linkedIds = new Set();
  allEdges.forEach(function (e) { linkedIds.add(e.from); linkedIds.add(e.to); });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = { id: n.id, label: clip(n.label, LABEL_CHARS), title: nodeTooltip(n), value: nodeValue(n),
      color: nodeColor(n), font: { size: 0 } };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    if (!linkedIds.has(n.id)) item.physics = false;
    nodeHidden.set(n.id, false);
    labelSize.set(n.id, 0);
    return item;
  }));
  var edges = new vis.DataSet(allEdges.filter(function (e) { return e.weight >= state.minWeight; }).map(function (e) {
    edgeShown.add(e.id);
    return edgeItem(e);
  }));

  // Marks for the benchmark: data parsed, network built, first stable frame drawn.
  performance.mark("entigraph-data");
  // Graphs too big for in-page physics arrive with positions: the same ones need edges
  // hidden while dragging or zooming to stay fluid.
  var fixed = data.layout === "fixed";
  var options = {
    nodes: {
      shape: "dot",
      scaling: {
        min: 6, max: 40,
        // label sizes are set per node by planLabels: 0 hides one, and any size it gives
        // (13 px and up on screen) is drawn
        label: { enabled: false, drawThreshold: 5, maxVisible: 100 },
        // area, not radius, grows with the count: mentions are heavy-tailed
        customScalingFunction: function (min, max, total, value) {
          return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
        },
      },
      font: { size: 0, face: LABEL_FACE, color: "#222", strokeWidth: 3, strokeColor: "#fff" },
      borderWidth: 1, borderWidthSelected: 3,
    },
    edges: {
      // rgba and no inheritance: otherwise vis derives each edge's colour on every frame
      color: { color: "rgba(154,164,174,0.55)", highlight: "#333", hover: "#555", inherit: false },
      smooth: false,
      selectionWidth: 2,
    },
    physics: fixed ? { enabled: false } : {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.3 },
      stabilization: { enabled: true, iterations: 200, updateInterval: 50, fit: true },
    },
    layout: { improvedLayout: false },  // every node arrives with a position
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: fixed, hideEdgesOnZoom: fixed },
  };

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  performance.mark("entigraph-network");
  // Exposed for tests and for analysts poking at the page from the console.
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;

  var physicsToggle = document.getElementById("physics-toggle");
  physicsToggle.checked = !fixed && data.nodes.length > 0;

  function markReady() {
    if (document.body.dataset.state === "ready") return;
    document.body.dataset.state = "ready";
    performance.mark("entigraph-ready");
  }

  // ---- labels: the most central ones that fit, legible at the current zoom ----------

  var measure = document.createElement("canvas").getContext("2d");
  var labelWidths = new Map();

  function labelWidth(n, px) {
    var key = n.id + "@" + px;
    if (!labelWidths.has(key)) {
      measure.font = px + "px " + LABEL_FACE;
      labelWidths.set(key, measure.measureText(clip(n.label, LABEL_CHARS)).width);
    }
    return labelWidths.get(key);
  }

  // Walk the entities, selected ones first and then by centrality, and give a label to
  // each whose box on screen overlaps no label already given, until LABELS_SHOWN; every
  // other label is hidden. Font sizes are in canvas units, so divide by the zoom.
  function planLabels() {
    var scale = network.getScale();
    var centre = network.getViewPosition();
    var width = container.clientWidth;
    var height = container.clientHeight;
    var selected = network.getSelectedNodes();
    var selectedSet = new Set(selected);
    var order = selected.map(function (id) { return byId.get(id); }).concat(
      byCentrality.filter(function (n) { return !selectedSet.has(n.id); }));
    var boxes = [];
    var changes = [];
    var given = 0;
    var positions = network.getPositions();
    order.forEach(function (n, rank) {
      var want = 0;
      var pos = positions[n.id];
      if (pos && !nodeHidden.get(n.id) && (given < LABELS_SHOWN || selectedSet.has(n.id))) {
        var x = (pos.x - centre.x) * scale + width / 2;
        var y = (pos.y - centre.y) * scale + height / 2;
        var px = rank < 10 ? LABEL_PX_TOP : LABEL_PX;
        var half = labelWidth(n, px) / 2 + 3;
        var radius = (network.body.nodes[n.id].options.size || 10) * scale;
        var box = [x - half, y + radius, x + half, y + radius + px * 1.3 + 4];
        var onScreen = box[2] > 0 && box[0] < width && box[3] > 0 && box[1] < height;
        var free = boxes.every(function (b) { return box[0] >= b[2] || box[2] <= b[0] || box[1] >= b[3] || box[3] <= b[1]; });
        if (onScreen && (free || selectedSet.has(n.id))) {
          boxes.push(box);
          given++;
          want = px / scale;
        }
      }
      if (labelSize.get(n.id) !== want) {
        labelSize.set(n.id, want);
        changes.push({ id: n.id, font: { size: want } });
      }
    });
    if (changes.length) nodes.update(changes);
  }

  // Zooming, panning, selecting and filtering move labels: re-plan once things settle.
  var labelTimer = null;
  function scheduleLabels() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(planLabels, 120);
  }
  ["zoom", "dragEnd", "animationFinished", "selectNode", "deselectNode", "resize"].forEach(function (event) {
    network.on(event, scheduleLabels);
  });

  // The header grew as the legend and counts were filled in after the network was made:
  // size the canvas to its container now, so the fit and the label plan hold for the
  // first frame (one draw: at 5,000 nodes each costs a second).
  function settled() {
    network.setSize("100%", "100%");
    network.fit({ animation: false });
    planLabels();
    network.once("afterDrawing", markReady);
    network.redraw();
  }


  physicsToggle.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsToggle.checked } });
  });

  // ---- filters: legend toggles and sliders hide elements, positions stay put -------

  // A node is hidden by its type, its mentions, or (with the unlinked box unticked) by
  // having no shown link to a node that is not itself hidden by type or mentions.
  function applyFilters() {
    var filtered = new Map();
    data.nodes.forEach(function (n) {
      filtered.set(n.id, state.hiddenTypes.has(n.type) || n.mentions < state.minMentions);
    });
    var added = [];
    var removed = [];
    var visibleEdges = 0;
    var linkedNow = new Set();
    allEdges.forEach(function (e) {
      var show = e.weight >= state.minWeight;
      if (show && !filtered.get(e.from) && !filtered.get(e.to)) {
        visibleEdges++;
        linkedNow.add(e.from);
        linkedNow.add(e.to);
      }
      if (show && !edgeShown.has(e.id)) { edgeShown.add(e.id); added.push(edgeItem(e)); }
      if (!show && edgeShown.has(e.id)) { edgeShown.delete(e.id); removed.push(e.id); }
    });
    var nodeChanges = [];
    var visibleNodes = 0;
    var unlinked = 0;
    data.nodes.forEach(function (n) {
      var lonely = !filtered.get(n.id) && !linkedNow.has(n.id);
      if (lonely) unlinked++;
      var hide = filtered.get(n.id) || (lonely && !state.showUnlinked);
      if (!hide) visibleNodes++;
      if (nodeHidden.get(n.id) !== hide) {
        nodeHidden.set(n.id, hide);
        nodeChanges.push({ id: n.id, hidden: hide });
      }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (removed.length) edges.remove(removed);
    if (added.length) edges.add(added);
    document.getElementById("unlinked-count").textContent = numberFormat.format(unlinked);
    document.getElementById("counts").textContent = plural(visibleNodes, "entity", "entities") + ", " +
      numberFormat.format(visibleEdges) + " of " + plural(allEdges.length, "link") + " shown";
    if (document.body.dataset.state === "ready") scheduleLabels();
  }

  var unlinkedToggle = document.getElementById("unlinked-toggle");
  unlinkedToggle.addEventListener("change", function () {
    state.showUnlinked = unlinkedToggle.checked;
    applyFilters();
  });

  var legend = document.getElementById("legend");
  Object.keys(data.types).forEach(function (type) {
    var count = data.nodes.filter(function (n) { return n.type === type; }).length;
    var button = document.createElement("button");
    button.type = "button";
    button.dataset.type = type;
    button.setAttribute("aria-pressed", "true");
    button.title = "Hide or show " + type;
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = data.types[type];
    button.appendChild(swatch);
    button.appendChild(document.createTextNode(type + " " + numberFormat.format(count)));
    button.addEventListener("click", function () {
      var shown = state.hiddenTypes.has(type);
      if (shown) state.hiddenTypes.delete(type); else state.hiddenTypes.add(type);
      button.setAttribute("aria-pressed", String(shown));
      applyFilters();
    });
    legend.appendChild(button);
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
      requestAnimationFrame(function () { pending = false; applyFilters(); });
    });
  }
  wireSlider("min-weight", "minWeight", allEdges.map(function (e) { return e.weight; }));
  wireSlider("min-mentions", "minMentions", data.nodes.map(function (n) { return n.mentions; }));

  // ---- colour and size toggles ---------------------------------------------------

  var colorBy = document.getElementById("color-by");
  colorBy.querySelector('option[value="community"]').disabled = !hasCommunities;
  colorBy.addEventListener("change", function () {
    state.colorBy = colorBy.value;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: nodeColor(n) }; }));
  });
  var sizeBy = document.getElementById("size-by");
  sizeBy.querySelector('option[value="pagerank"]').disabled = !hasPagerank;
  sizeBy.addEventListener("change", function () {
    state.sizeBy = sizeBy.value;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, value: nodeValue(n) }; }));
    scheduleLabels();  // node radii moved the labels
  });

  // ---- side panel ------------------------------------------------------------------

  var panel = document.getElementById("panel");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function section(title, items, render) {
    if (!items.length) return;
    panel.appendChild(el("h3", title));
    var list = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); list.appendChild(li); });
    panel.appendChild(list);
  }

  function showNode(id) {
    var n = byId.get(id);
    panel.replaceChildren();
    panel.dataset.kind = "node";
    panel.dataset.id = id;
    panel.appendChild(el("h2", n.label));
    var type = el("p", null, "meta");
    var swatch = el("span", undefined, "swatch");
    swatch.style.background = data.types[n.type];
    type.appendChild(swatch);
    type.appendChild(document.createTextNode(" " + n.type + (n.community !== undefined ? " \u00b7 community " + n.community : "")));
    panel.appendChild(type);
    panel.appendChild(el("p", plural(n.mentions, "mention") + " in " + plural(n.documents, "document") +
      " \u00b7 weighted degree " + numberFormat.format(n.strength)));
    if (n.pagerank !== undefined) {
      panel.appendChild(el("p", "PageRank " + n.pagerank.toPrecision(3) + " \u00b7 betweenness " +
        (n.betweenness !== undefined ? n.betweenness.toPrecision(3) : "n/a"), "meta"));
    }
    if (nodeHidden.get(id)) panel.appendChild(el("p", "Hidden by the current filters.", "meta"));
    section("Aliases", n.aliases, function (li, alias) { li.textContent = alias; });
    section("Why merged", n.merges, function (li, line) { li.textContent = line; });
    section("Strongest neighbours", adjacency.get(id).slice(0, NEIGHBOURS_SHOWN), function (li, link) {
      var button = el("button", byId.get(link.other).label, "neighbour");
      button.type = "button";
      button.dataset.id = link.other;
      button.addEventListener("click", function () { focusNode(link.other); });
      li.appendChild(button);
      li.appendChild(document.createTextNode(" \u00b7 weight " + link.edge.weight));
    });
  }

  // Text with every occurrence of `names` wrapped in <mark>, built from text nodes.
  function highlighted(text, names) {
    var needles = names.filter(function (s) { return s.length > 0; })
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (s) { return s.toLowerCase(); });
    var out = document.createDocumentFragment();
    var plainFrom = 0;
    var i = 0;
    while (i < text.length) {
      var hit = null;
      for (var j = 0; j < needles.length && !hit; j++) {
        if (text.slice(i, i + needles[j].length).toLowerCase() === needles[j]) hit = needles[j];
      }
      if (hit) {
        if (i > plainFrom) out.appendChild(document.createTextNode(text.slice(plainFrom, i)));
        out.appendChild(el("mark", text.slice(i, i + hit.length)));
        i += hit.length;
        plainFrom = i;
      } else {
        i++;
      }
    }
    if (plainFrom < text.length) out.appendChild(document.createTextNode(text.slice(plainFrom)));
    return out;
  }

  function showEdge(id) {
    var e = allEdges[Number(id.slice(1))];
    var a = byId.get(e.from);
    var b = byId.get(e.to);
    panel.replaceChildren();
    panel.dataset.kind = "edge";
    panel.dataset.id = id;
    panel.appendChild(el("h2", a.label + " \u2014 " + b.label));
    panel.appendChild(el("p", edgeFigures(e), "meta"));
    var names = [a.label, b.label].concat(a.aliases, b.aliases);
    linkRelations(e, a, b, names);
    panel.appendChild(el("h3", "Evidence"));
    var list = el("ol");
    e.evidence.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", ev.doc + " @ " + ev.start + "\u2013" + ev.end, "doc"));
      li.appendChild(highlighted(ev.text, names));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  // "A → head_of → B · 3" for each role; each phrase the same, above the sentence saying it.
  function linkRelations(e, a, b, names) {
    function row(li, item) {
      var ends = item[1] ? [b, a] : [a, b];
      li.appendChild(el("span", ends[0].label + " \u2192 ", "end"));
      li.appendChild(el("strong", item[0], "relation"));
      li.appendChild(el("span", " \u2192 " + ends[1].label + " \u00b7 " + item[2], "end"));
    }
    section("Relations", e.relations, row);
    section("Phrases", e.phrases.slice(0, PHRASES_SHOWN), function (li, item) {
      row(li, item);
      var ev = item[3];
      var quote = el("span", undefined, "example");
      quote.appendChild(el("span", ev[0] + " @ " + ev[1] + "\u2013" + ev[2], "doc"));
      quote.appendChild(highlighted(ev[3], names));
      li.appendChild(quote);
    });
  }

  function focusNode(id) {
    var visibleNeighbours = adjacency.get(id)
      .filter(function (link) { return edgeShown.has(link.edge.id) && !nodeHidden.get(link.other); })
      .map(function (link) { return link.other; });
    network.selectNodes([id].concat(visibleNeighbours), true);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // ---- search ----------------------------------------------------------------------

  // Lower-cased name or alias -> node id; the most mentioned entity wins a shared alias.
  var nameIndex = new Map();
  var ranked = data.nodes.slice().sort(function (a, b) { return b.mentions - a.mentions || (a.id < b.id ? -1 : 1); });
  ranked.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name) {
      var key = name.toLowerCase();
      if (!nameIndex.has(key)) nameIndex.set(key, n.id);
    });
  });
  var names = Array.from(nameIndex.keys()).sort();
  var datalist = document.getElementById("names");
  ranked.forEach(function (n) {
    [n.label].concat(n.aliases.filter(function (a) { return a !== n.label; })).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      if (name !== n.label) option.label = name + " \u2192 " + n.label;
      datalist.appendChild(option);
    });
  });

  function lookup(query, loose) {
    var key = query.trim().toLowerCase();
    if (!key) return null;
    if (nameIndex.has(key)) return nameIndex.get(key);
    if (!loose) return null;
    var prefix = names.find(function (name) { return name.startsWith(key); });
    var found = prefix || names.find(function (name) { return name.indexOf(key) >= 0; });
    return found ? nameIndex.get(found) : null;
  }

  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    var id = lookup(search.value, false);
    search.removeAttribute("aria-invalid");
    if (id) focusNode(id);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var id = lookup(search.value, true);
    if (id) focusNode(id); else search.setAttribute("aria-invalid", "true");
  });

  applyFilters();
  if (fixed || data.nodes.length === 0) {
    settled();
  } else {
    // The layout has settled: stop the simulation so nothing drifts while reading.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      physicsToggle.checked = false;
      settled();
    });
  }
})();
