// Drawing: what vis-network shows. It opens on the opening entities at their computed
// positions; entities are brought in (placed near what is drawn), filtered, focused and
// reset here. Every string reaches the canvas as a label or vis' plain-text tooltips.
function openDrawing(data, container, state) {
  var TOOLTIP_EVIDENCE = 3;
  var TOOLTIP_CHARS = 200;
  var LABEL_CHARS = 60;
  // Labels drawn at once: the most central entities whose labels fit without overlapping,
  // at a size legible whatever the zoom (screen pixels, largest for the most central).
  var LABELS_SHOWN = 40;
  var LABEL_PX = 13;
  var LABEL_PX_TOP = 18;
  var LABEL_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  // Room around a node brought in: the layout's spacing between neighbours.
  var GAP = 80;
  var NEW_LINK = "#d9480f";
  var fmt = data.format;

  function clip(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1) + "\u2026" : text;
  }
  function plural(count, word, many) {
    return fmt.format(count) + " " + (count === 1 ? word : many || word + "s");
  }

  function nodeTooltip(n) {
    var lines = [n.label, n.type + " \u00b7 " + plural(n.mentions, "mention") + " in " + plural(n.documents, "document")];
    var others = n.aliases.filter(function (a) { return a !== n.label; });
    if (others.length) lines.push("also: " + clip(others.join(", "), TOOLTIP_CHARS));
    return lines.join("\n");
  }

  // "weight 6 · 2 documents", then sources and npmi when the graph carries them
  function linkFigures(l) {
    var parts = ["weight " + l.weight, plural(l.documents, "document")];
    if (l.sources !== undefined) parts.push(plural(l.sources, "source"));
    if (l.npmi !== undefined) parts.push("npmi " + l.npmi.toFixed(2));
    return parts.join(" \u00b7 ");
  }

  function linkTooltip(l) {
    var lines = [l.a.label + " \u2014 " + l.b.label, linkFigures(l)];
    l.evidence.slice(0, TOOLTIP_EVIDENCE).forEach(function (i) {
      var ev = data.evidence(i);
      lines.push("\u2022 [" + ev.doc + "] " + clip(ev.text, TOOLTIP_CHARS));
    });
    var more = l.evidence.length + l.omitted - TOOLTIP_EVIDENCE;
    if (more > 0) lines.push("\u2026 " + more + " more: click the link");
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
  var maxWeight = data.links.reduce(function (m, l) { return Math.max(m, l.weight); }, 1);
  function edgeWidth(weight) {
    return maxWeight > 1 ? 1 + 7 * Math.log(Math.max(weight, 1)) / Math.log(maxWeight) : 1;
  }

  // ---- the period chosen on the date control --------------------------------------

  function inPeriod(item) {
    if (!state.period) return true;
    return item.first !== undefined && item.first <= state.period[1] && item.last >= state.period[0];
  }
  // First seen inside a chosen period: what is new in it.
  function isNew(l) {
    return !!state.period && l.first !== undefined && l.first >= state.period[0] && l.first <= state.period[1];
  }

  // ---- what is drawn ------------------------------------------------------------

  // Drawn entities are in the `nodes` DataSet and carry `hidden` when filtered (vis then
  // skips their edges too); links lighter than the weight filter or outside the period
  // are left out of `edges` altogether, because vis spends ~0.1 ms building each edge.
  var drawn = new Set();
  var between = new Map();  // link id -> link, for links whose two ends are drawn
  var nodeHidden = new Map();
  var edgeShown = new Map();  // link id -> whether it is drawn marked as new
  var labelSize = new Map();  // label font size per node in canvas units; 0 hides it
  var byCentrality = [];
  var opening = new Map(data.opening.map(function (o) { return [o.entity, o]; }));

  function centrality(n) { return n.pagerank !== undefined ? n.pagerank : n.strength; }

  function edgeItem(l, fresh) {
    var item = { id: l.id, from: l.a.id, to: l.b.id, width: edgeWidth(l.weight), title: linkTooltip(l) };
    if (fresh) item.color = { color: NEW_LINK, highlight: NEW_LINK, hover: NEW_LINK, inherit: false };
    return item;
  }

  function nodeItem(n, x, y) {
    return { id: n.id, label: clip(n.label, LABEL_CHARS), title: nodeTooltip(n), value: nodeValue(n),
      color: nodeColor(n), font: { size: 0 }, x: x, y: y };
  }

  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();

  function addEntities(items) {
    var added = [];
    items.forEach(function (item) {
      var n = item.entity;
      if (drawn.has(n)) return;
      drawn.add(n);
      nodeHidden.set(n, false);
      labelSize.set(n, 0);
      added.push(nodeItem(n, item.x, item.y));
      data.linksOf(n).forEach(function (link) { if (drawn.has(link.other)) between.set(link.link.id, link.link); });
    });
    nodes.add(added);
    byCentrality = Array.from(drawn).sort(function (a, b) {
      return centrality(b) - centrality(a) || b.mentions - a.mentions || (a.id < b.id ? -1 : 1);
    });
    return added.length;
  }

  addEntities(data.opening);
  // Entities with no link in the opening drawing sit on the shelf the layout set apart:
  // physics must not pull them back in.
  var linkedAtOpening = new Set();
  between.forEach(function (l) { linkedAtOpening.add(l.a); linkedAtOpening.add(l.b); });
  nodes.update(data.opening.filter(function (o) { return !linkedAtOpening.has(o.entity); })
    .map(function (o) { return { id: o.entity.id, physics: false }; }));
  var openingEdges = [];
  between.forEach(function (l) {
    if (l.weight >= state.minWeight) { edgeShown.set(l.id, false); openingEdges.push(edgeItem(l, false)); }
  });
  edges.add(openingEdges);

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
    // multiselect: Ctrl-click (Cmd-click) picks a second entity, to mark the two as one
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: fixed, hideEdgesOnZoom: fixed, multiselect: true },
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  performance.mark("entigraph-network");
  network.once("afterDrawing", function () { performance.mark("entigraph-first-frame"); });

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
  // each whose box on screen overlaps no label already given, until LABELS_SHOWN (selected
  // ones past it too); every other label is hidden. Font sizes are in canvas units, so divide by the zoom.
  function planLabels() {
    var scale = network.getScale();
    var centre = network.getViewPosition();
    var width = container.clientWidth;
    var height = container.clientHeight;
    var selected = network.getSelectedNodes().map(data.entity);
    var selectedSet = new Set(selected);
    var order = selected.concat(byCentrality.filter(function (n) { return !selectedSet.has(n); }));
    var boxes = [];
    var changes = [];
    var given = 0;
    var positions = network.getPositions();
    order.forEach(function (n, rank) {
      var want = 0;
      var pos = positions[n.id];
      if (pos && !nodeHidden.get(n) && (given < LABELS_SHOWN || selectedSet.has(n))) {
        var x = (pos.x - centre.x) * scale + width / 2;
        var y = (pos.y - centre.y) * scale + height / 2;
        var px = rank < 10 ? LABEL_PX_TOP : LABEL_PX;
        var half = labelWidth(n, px) / 2 + 3;
        var radius = (network.body.nodes[n.id].options.size || 10) * scale;
        var box = [x - half, y + radius, x + half, y + radius + px * 1.3 + 4];
        var onScreen = box[2] > 0 && box[0] < width && box[3] > 0 && box[1] < height;
        var free = boxes.every(function (b) { return box[0] >= b[2] || box[2] <= b[0] || box[1] >= b[3] || box[3] <= b[1]; });
        // the entity in focus is labelled whatever it covers; its selected neighbours
        // only where there is room
        if (onScreen && (free || n === selected[0])) {
          boxes.push(box);
          given++;
          want = px / scale;
        }
      }
      if (labelSize.get(n) !== want) {
        labelSize.set(n, want);
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

  // ---- filters: legend toggles, sliders, the period and focus hide drawn elements ---

  // A node is hidden by its type, its mentions, the period, the focus, or (with the
  // unlinked box unticked) by having no shown link to a node not itself hidden so.
  // Returns the counts the header shows.
  function applyFilters() {
    var filtered = new Map();
    drawn.forEach(function (n) {
      filtered.set(n, state.hiddenTypes.has(n.type) || n.mentions < state.minMentions || !inPeriod(n) ||
        (state.focus !== null && !state.focus.has(n)));
    });
    var added = [];
    var removed = [];
    var restyled = [];
    var visibleEdges = 0;
    var linkedNow = new Set();
    between.forEach(function (l) {
      var show = l.weight >= state.minWeight && inPeriod(l);
      if (show && !filtered.get(l.a) && !filtered.get(l.b)) {
        visibleEdges++;
        linkedNow.add(l.a);
        linkedNow.add(l.b);
      }
      var fresh = show && isNew(l);
      if (show && !edgeShown.has(l.id)) { edgeShown.set(l.id, fresh); added.push(edgeItem(l, fresh)); }
      else if (!show && edgeShown.has(l.id)) { edgeShown.delete(l.id); removed.push(l.id); }
      else if (show && edgeShown.get(l.id) !== fresh) { edgeShown.set(l.id, fresh); restyled.push(l); }
    });
    var nodeChanges = [];
    var visibleNodes = 0;
    var unlinked = 0;
    drawn.forEach(function (n) {
      var lonely = !filtered.get(n) && !linkedNow.has(n);
      if (lonely) unlinked++;
      var hide = filtered.get(n) || (lonely && !state.showUnlinked);
      if (!hide) visibleNodes++;
      if (nodeHidden.get(n) !== hide) {
        nodeHidden.set(n, hide);
        nodeChanges.push({ id: n.id, hidden: hide });
      }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    // vis keeps an edge's colour object once given: a restyled edge is drawn anew
    if (removed.length || restyled.length) edges.remove(removed.concat(restyled.map(function (l) { return l.id; })));
    if (added.length || restyled.length) {
      edges.add(added.concat(restyled.map(function (l) { return edgeItem(l, edgeShown.get(l.id)); })));
    }
    if (document.body.dataset.state === "ready") scheduleLabels();
    return { entities: visibleNodes, links: visibleEdges, of: between.size, unlinked: unlinked };
  }

  function restyle() {
    nodes.update(Array.from(drawn).map(function (n) { return { id: n.id, color: nodeColor(n), value: nodeValue(n) }; }));
    scheduleLabels();  // node radii moved the labels
  }

  // ---- bringing entities in ------------------------------------------------------

  // Free spots on rings around `anchor`, away from every drawn node: a grid of cells of
  // GAP holds the positions taken, so each try looks at a few cells, not every node.
  function placer() {
    var grid = new Map();
    var positions = network.getPositions(Array.from(drawn).map(function (n) { return n.id; }));
    function cell(x, y) { return Math.floor(x / GAP) + "," + Math.floor(y / GAP); }
    function put(x, y) {
      var key = cell(x, y);
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push([x, y]);
    }
    function free(x, y) {
      var cx = Math.floor(x / GAP), cy = Math.floor(y / GAP);
      for (var i = -1; i <= 1; i++) {
        for (var j = -1; j <= 1; j++) {
          var taken = grid.get((cx + i) + "," + (cy + j)) || [];
          for (var k = 0; k < taken.length; k++) {
            if (Math.hypot(taken[k][0] - x, taken[k][1] - y) < GAP * 0.75) return false;
          }
        }
      }
      return true;
    }
    var right = -Infinity, top = Infinity, bottom = -Infinity;
    Object.keys(positions).forEach(function (id) {
      var p = positions[id];
      put(p.x, p.y);
      right = Math.max(right, p.x); top = Math.min(top, p.y); bottom = Math.max(bottom, p.y);
    });
    // with nothing linked drawn, a newcomer stands beside the drawing, not inside it
    var beside = drawn.size ? { x: right + 3 * GAP, y: (top + bottom) / 2 } : { x: 0, y: 0 };
    return {
      position: function (id) { return positions[id]; },
      place: function (id, anchor) {
        var at = anchor || beside;
        var spot = free(at.x, at.y) && !anchor ? { x: at.x, y: at.y } : null;
        for (var ring = 1; !spot && ring < 60; ring++) {
          var tries = 6 * ring;
          for (var t = 0; t < tries && !spot; t++) {
            var angle = (t / tries + ring * 0.37) * 2 * Math.PI;
            var x = at.x + Math.cos(angle) * ring * GAP;
            var y = at.y + Math.sin(angle) * ring * GAP;
            if (free(x, y)) spot = { x: x, y: y };
          }
        }
        spot = spot || { x: at.x, y: at.y };
        positions[id] = spot;
        put(spot.x, spot.y);
        return spot;
      },
    };
  }

  // The undrawn neighbours of `n` known to the data, strongest link first.
  function hiddenNeighbours(n) {
    return data.linksOf(n).filter(function (link) { return !drawn.has(link.other); })
      .map(function (link) { return link.other; });
  }
  // How many of `n`'s neighbours are not drawn, counting those a served view has not
  // fetched yet.
  function undrawnCount(n) {
    var drawnNeighbours = data.linksOf(n).filter(function (link) { return drawn.has(link.other); }).length;
    return Math.max(0, data.linkCount(n) - drawnNeighbours);
  }

  // Draw `n` (near its strongest drawn neighbour, else beside the drawing) and up to
  // `limit` of its undrawn neighbours around it; returns how many neighbours came in.
  function bring(n, limit) {
    var spots = placer();
    var items = [];
    if (!drawn.has(n)) {
      var anchorLink = data.linksOf(n).find(function (link) { return drawn.has(link.other); });
      var near = anchorLink ? spots.position(anchorLink.other.id) : null;
      var at = spots.place(n.id, near);
      items.push({ entity: n, x: at.x, y: at.y });
    }
    var centre = spots.position(n.id);
    // links of a drawn `n` to drawn entities, fetched since it was drawn (served view)
    if (drawn.has(n)) {
      data.linksOf(n).forEach(function (link) { if (drawn.has(link.other)) between.set(link.link.id, link.link); });
    }
    var brought = hiddenNeighbours(n).slice(0, limit);
    brought.forEach(function (other) {
      var at = spots.place(other.id, centre);
      items.push({ entity: other, x: at.x, y: at.y });
    });
    addEntities(items);
    if (state.focus !== null) items.forEach(function (item) { state.focus.add(item.entity); });
    return brought.length;
  }

  // Back to what the page opened on: only the opening entities, where they were.
  function reset() {
    var gone = Array.from(drawn).filter(function (n) { return !opening.has(n); });
    gone.forEach(function (n) { drawn.delete(n); nodeHidden.delete(n); labelSize.delete(n); });
    between.forEach(function (l, id) {
      if (!drawn.has(l.a) || !drawn.has(l.b)) {
        between.delete(id);
        if (edgeShown.has(id)) { edgeShown.delete(id); edges.remove(id); }
      }
    });
    nodes.remove(gone.map(function (n) { return n.id; }));
    nodes.update(data.opening.map(function (o) { return { id: o.entity.id, x: o.x, y: o.y }; }));
    byCentrality = byCentrality.filter(function (n) { return drawn.has(n); });
  }

  return {
    network: network,
    nodes: nodes,
    edges: edges,
    fixed: fixed,
    linkFigures: linkFigures,
    isDrawn: function (n) { return drawn.has(n); },
    isHidden: function (n) { return !!nodeHidden.get(n); },
    isLinkShown: function (l) { return edgeShown.has(l.id); },
    undrawnCount: undrawnCount,
    bring: bring,
    reset: reset,
    applyFilters: applyFilters,
    restyle: restyle,
    planLabels: planLabels,
    scheduleLabels: scheduleLabels,
  };
}
