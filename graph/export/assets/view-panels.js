// Panels: the side panel for an entity, a link (evidence in its paragraph) or two entities
// (to mark them as one), and the aliases file those marks download as. Document text is
// set through textContent only.
function openPanels(data, drawing, panel, actions) {
  var NEIGHBOURS_SHOWN = 10;
  var fmt = data.format;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function plural(count, word, many) {
    return fmt.format(count) + " " + (count === 1 ? word : many || word + "s");
  }
  function button(text, className, onClick) {
    var b = el("button", text, className);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function section(title, items, render) {
    if (!items.length) return;
    panel.appendChild(el("h3", title));
    var list = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); list.appendChild(li); });
    panel.appendChild(list);
  }

  function begin(kind, id) {
    panel.replaceChildren();
    panel.dataset.kind = kind;
    panel.dataset.id = id;
  }

  // A button that opens an entity: it is brought into the drawing if it is not drawn.
  function entityLink(n, className) {
    var b = button(n.label, className || "neighbour", function () { actions.choose(n); });
    b.dataset.id = n.id;
    return b;
  }

  // ---- an entity ---------------------------------------------------------------

  // (a served view first fetches the neighbours it lists)
  function showEntity(n, note) {
    data.need(n, NEIGHBOURS_SHOWN, function () { entityPanel(n, note); });
  }

  function entityPanel(n, note) {
    begin("node", n.id);
    panel.appendChild(el("h2", n.label));
    if (note) panel.appendChild(el("p", note, "added"));
    var type = el("p", null, "meta");
    var swatch = el("span", undefined, "swatch");
    swatch.style.background = data.types[n.type];
    type.appendChild(swatch);
    type.appendChild(document.createTextNode(" " + n.type + (n.community !== undefined ? " \u00b7 community " + n.community : "")));
    panel.appendChild(type);
    panel.appendChild(el("p", plural(n.mentions, "mention") + " in " + plural(n.documents, "document") +
      " \u00b7 weighted degree " + fmt.format(n.strength)));
    if (n.pagerank !== undefined) {
      panel.appendChild(el("p", "PageRank " + n.pagerank.toPrecision(3) + " \u00b7 betweenness " +
        (n.betweenness !== undefined ? n.betweenness.toPrecision(3) : "n/a"), "meta"));
    }
    if (n.first !== undefined) {
      panel.appendChild(el("p", "seen " + data.dayLabel(n.first) + " \u2013 " + data.dayLabel(n.last), "meta"));
    }
    if (drawing.isHidden(n)) panel.appendChild(el("p", "Hidden by the current filters.", "meta"));

    var links = data.linksOf(n);
    var total = data.linkCount(n);
    var hidden = drawing.undrawnCount(n);
    var bar = el("p", null, "actions");
    if (hidden) {
      var take = Math.min(hidden, actions.expandLimit);
      var next = take < hidden ? " (the next " + fmt.format(take) + ")" : "";
      // none drawn yet: "draw 20 of its 45"; some drawn: "and 15 more"
      var label = hidden === total
        ? "expand: draw " + (take < hidden ? fmt.format(take) + " of its " : "its ") + plural(hidden, "neighbour")
        : "expand: and " + fmt.format(hidden) + " more" + next;
      bar.appendChild(button(label, "expand", function () { actions.expand(n); }));
    }
    bar.appendChild(button(actions.focused(n) ? "show all" : "focus", "focus", function () { actions.focus(n); }));
    panel.appendChild(bar);
    panel.appendChild(el("p", "Ctrl-click a second entity to mark the two as one.", "hint"));

    section("Aliases", n.aliases, function (li, alias) { li.textContent = alias; });
    section("Why merged", n.merges, function (li, line) { li.textContent = line; });
    var title = total > NEIGHBOURS_SHOWN ? "Strongest neighbours (" + NEIGHBOURS_SHOWN + " of " + fmt.format(total) + ")"
      : "Strongest neighbours";
    section(title, links.slice(0, NEIGHBOURS_SHOWN), function (li, link) {
      li.appendChild(entityLink(link.other));
      li.appendChild(document.createTextNode(" \u00b7 weight " + link.link.weight +
        (drawing.isDrawn(link.other) ? "" : " \u00b7 not drawn")));
    });
  }

  // ---- a link ----------------------------------------------------------------------

  // The rows under a link's heading, each [class, text]: its figures, then when it was
  // seen. More facts about a link (relations, phrases) are more rows here.
  function linkRows(l) {
    var rows = [["meta", drawing.linkFigures(l)]];
    if (l.first !== undefined) rows.push(["seen", "seen " + data.dayLabel(l.first) + " \u2013 " + data.dayLabel(l.last)]);
    return rows;
  }

  // "A → head_of → B · 3" for each role; each phrase the same, above the sentence saying it.
  function linkRelations(l, names) {
    function ends(li, item) {
      var from = item[1] ? l.b : l.a, to = item[1] ? l.a : l.b;
      li.appendChild(el("span", from.label + " \u2192 ", "end"));
      li.appendChild(el("strong", item[0], "relation"));
      li.appendChild(el("span", " \u2192 " + to.label + " \u00b7 " + item[2], "end"));
    }
    section("Relations", l.relations, ends);
    section("Phrases", l.phrases, function (li, item) {
      ends(li, item);
      var ev = item[3];
      var quote = el("span", undefined, "example");
      quote.appendChild(el("span", ev[0] + " @ " + ev[1] + "\u2013" + ev[2], "doc"));
      quote.appendChild(highlighted(ev[3], names));
      li.appendChild(quote);
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
    var lower = text.toLowerCase();
    while (i < text.length) {
      var hit = null;
      for (var j = 0; j < needles.length && !hit; j++) {
        if (lower.startsWith(needles[j], i)) hit = needles[j];
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

  // The paragraph around an evidence sentence: the sentence set off, the link's two
  // entities and every other entity of the page marked (the others open on click).
  function paragraphBlock(ev, p, l) {
    var box = el("div", null, "paragraph");
    box.appendChild(el("p", ev.doc + (ev.day !== undefined ? " \u00b7 " + data.dayLabel(ev.day) : " \u00b7 undated"), "doc"));
    var body = el("p", null, "text");
    var from = ev.start - p.start, to = ev.end - p.start;
    var cuts = new Set([0, p.text.length, Math.max(0, from), Math.min(p.text.length, to)]);
    p.marks.forEach(function (m) { cuts.add(m.start); cuts.add(m.end); });
    var points = Array.from(cuts).sort(function (a, b) { return a - b; });
    if (p.cutBefore) body.appendChild(document.createTextNode("\u2026 "));
    for (var i = 0; i + 1 < points.length; i++) {
      var a = points[i], b = points[i + 1];
      var piece = p.text.slice(a, b);
      var mark = p.marks.find(function (m) { return m.start <= a && b <= m.end; });
      var node;
      if (mark) {
        var own = mark.entity === l.a || mark.entity === l.b;
        node = el("mark", piece, own ? "this" : "other");
        node.dataset.id = mark.entity.id;
        node.title = mark.entity.label + " (" + mark.entity.type + ")";
        if (!own) {
          node.tabIndex = 0;
          node.setAttribute("role", "button");
          node.addEventListener("click", (function (n) { return function () { actions.choose(n); }; })(mark.entity));
        }
      } else {
        node = document.createTextNode(piece);
      }
      if (a >= from && b <= to) {
        var span = el("span", null, "evidence");
        span.appendChild(node);
        node = span;
      }
      body.appendChild(node);
    }
    if (p.cutAfter) body.appendChild(document.createTextNode(" \u2026"));
    box.appendChild(body);
    return box;
  }

  // One evidence sentence: where it is, the sentence with the two names marked, and a
  // button opening its paragraph when the page carries it.
  function evidenceRow(ev, l, names) {
    var li = el("li");
    li.appendChild(el("span", ev.doc + " @ " + ev.start + "\u2013" + ev.end +
      (ev.day !== undefined ? " \u00b7 " + data.dayLabel(ev.day) : ""), "doc"));
    li.appendChild(highlighted(ev.text, names));
    var p = data.paragraph(ev.paragraph);
    if (p) {
      var open = button("paragraph", "open-paragraph", function () {
        var shown = li.querySelector(".paragraph");
        if (shown) { shown.remove(); open.setAttribute("aria-expanded", "false"); return; }
        li.appendChild(paragraphBlock(ev, p, l));
        open.setAttribute("aria-expanded", "true");
      });
      open.setAttribute("aria-expanded", "false");
      li.appendChild(document.createTextNode(" "));
      li.appendChild(open);
    }
    return li;
  }

  // (a served view first fetches a page of its evidence)
  function showLink(l) {
    data.needEvidence(l, function () { linkPanel(l); });
  }

  function linkPanel(l) {
    begin("edge", l.id);
    panel.appendChild(el("h2", l.a.label + " \u2014 " + l.b.label));
    linkRows(l).forEach(function (row) { panel.appendChild(el("p", row[1], row[0])); });
    var names = [l.a.label, l.b.label].concat(l.a.aliases, l.b.aliases);
    linkRelations(l, names);
    panel.appendChild(el("h3", "Evidence"));
    var list = el("ol");
    l.evidence.forEach(function (i) { list.appendChild(evidenceRow(data.evidence(i), l, names)); });
    panel.appendChild(list);
    if (l.more) {
      var next = button("more evidence", "more-evidence", function () { data.moreEvidence(l, function () { linkPanel(l); }); });
      panel.appendChild(el("p", null, "actions")).appendChild(next);
    }
    if (l.omitted) {
      panel.appendChild(el("p", plural(l.omitted, "more sentence") + " in graph.graphml: left out to keep this page within its size budget.", "hint"));
    }
    var ends = el("p", null, "actions");
    ends.appendChild(entityLink(l.a));
    ends.appendChild(document.createTextNode(" \u00b7 "));
    ends.appendChild(entityLink(l.b));
    panel.appendChild(ends);
  }

  // ---- two entities: same entity? -----------------------------------------------

  var pairs = [];  // [entity, entity], in the order marked
  var download = document.getElementById("merges");

  function refreshDownload() {
    download.hidden = pairs.length === 0;
    download.textContent = "download aliases (" + plural(pairs.length, "pair") + ")";
  }

  function showPair(a, b) {
    if (data.decisions) { data.decisions.list(function (merges) { storedPair(a, b, merges); }); return; }
    pairHeading(a, b);
    var marked = pairs.some(function (p) { return (p[0] === a && p[1] === b) || (p[0] === b && p[1] === a); });
    var bar = el("p", null, "actions");
    bar.appendChild(button(marked ? "marked as one entity" : "same entity", "same", function () {
      if (!marked) pairs.push([a, b]);
      refreshDownload();
      showPair(a, b);
    }));
    panel.appendChild(bar);
    panel.appendChild(el("p", "Marked pairs download as an aliases file: build again with --aliases FILE to merge them.", "hint"));
    section("Marked as one", pairs, function (li, p) {
      li.appendChild(document.createTextNode(p[0].label + " = " + p[1].label + " "));
      li.appendChild(button("remove", "remove", function () {
        pairs.splice(pairs.indexOf(p), 1);
        refreshDownload();
        showPair(a, b);
      }));
    });
  }

  function pairHeading(a, b) {
    begin("pair", a.id + " " + b.id);
    panel.appendChild(el("h2", "Two entities"));
    var names = el("p");
    names.appendChild(entityLink(a));
    names.appendChild(document.createTextNode(" and "));
    names.appendChild(entityLink(b));
    panel.appendChild(names);
  }

  // A served view keeps merges in the store: the next build applies them.
  function storedPair(a, b, merges) {
    pairHeading(a, b);
    var standing = merges.filter(function (m) { return !m.undone; });
    var marked = standing.some(function (m) { return (m.first === a.id && m.second === b.id) || (m.first === b.id && m.second === a.id); });
    var bar = el("p", null, "actions");
    bar.appendChild(button(marked ? "marked as one entity" : "same entity", "same", function () {
      if (marked) return;
      data.decisions.record(a, b, function (now) { storedPair(a, b, now); });
    }));
    panel.appendChild(bar);
    panel.appendChild(el("p", "Merges are kept in the store: the next build into this directory merges them.", "hint"));
    function said(m) { return m.names[0][0] + " = " + m.names[1][0] + " \u00b7 " + m.who + ", " + m.made; }
    section("Marked as one", standing, function (li, m) {
      li.dataset.number = m.number;
      li.appendChild(document.createTextNode(said(m) + " "));
      li.appendChild(button("undo", "undo", function () {
        data.decisions.undo(m.number, function (now) { storedPair(a, b, now); });
      }));
    });
    section("Undone", merges.filter(function (m) { return m.undone; }), function (li, m) {
      li.textContent = said(m) + " \u00b7 undone " + m.undone;
    });
  }

  // Pairs joined into groups (a = b and b = c is one entity); each group's most
  // mentioned entity gives the name, every name of the others becomes its alias, in
  // the `name,alias,type` CSV that --aliases reads (the type left to the build).
  function aliasesCsv() {
    var parent = new Map();
    function root(n) {
      while (parent.get(n) !== n) n = parent.get(n);
      return n;
    }
    pairs.forEach(function (p) {
      p.forEach(function (n) { if (!parent.has(n)) parent.set(n, n); });
      var x = root(p[0]), y = root(p[1]);
      if (x !== y) parent.set(x, y);
    });
    var groups = new Map();
    parent.forEach(function (_, n) {
      var r = root(n);
      if (!groups.has(r)) groups.set(r, []);
      groups.get(r).push(n);
    });
    function cell(text) { return '"' + text.replace(/\s+/g, " ").trim().replace(/"/g, '""') + '"'; }
    var lines = ["# names marked as one entity in the entigraph view: entigraph build ... --aliases THIS_FILE", "name,alias,type"];
    var ordered = Array.from(groups.values()).map(function (members) {
      return members.sort(function (x, y) { return y.mentions - x.mentions || (x.id < y.id ? -1 : 1); });
    }).sort(function (x, y) { return x[0].id < y[0].id ? -1 : 1; });
    ordered.forEach(function (members) {
      var name = members[0].label;
      var seen = new Set([name.toLowerCase()]);
      members.slice(1).forEach(function (n) {
        [n.label].concat(n.aliases).forEach(function (alias) {
          if (seen.has(alias.toLowerCase())) return;
          seen.add(alias.toLowerCase());
          lines.push(cell(name) + "," + cell(alias) + ",");
        });
      });
    });
    return lines.join("\n") + "\n";
  }

  // A Blob download: it works from file:// and sends nothing anywhere.
  download.addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([aliasesCsv()], { type: "text/csv" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = "aliases.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  refreshDownload();

  return { showEntity: showEntity, showLink: showLink, showPair: showPair };
}
