// Data access: the only code that reads the page's JSON (graph.export.view_data writes it).
// Everything else asks this module for entities, links, evidence, paragraphs and names,
// so a server mode can answer the same calls from the build's store instead.
function openData(raw) {
  var numberFormat = new Intl.NumberFormat("en");

  // Rows are arrays with trailing empty fields left out: a missing field is empty.
  var entities = raw.entities.map(function (row, index) {
    return {
      index: index, id: row[0], label: row[1], type: row[2], mentions: row[3] || 0, documents: row[4] || 0,
      aliases: row[5] || [], merges: row[6] || [], strength: row[7] || 0,
      community: row[8] === null ? undefined : row[8], pagerank: row[9] === null ? undefined : row[9],
      betweenness: row[10] === null ? undefined : row[10], degree: row[11] === null ? undefined : row[11],
      first: row[12] === null ? undefined : row[12], last: row[13] === null ? undefined : row[13],
    };
  });
  var byId = new Map(entities.map(function (e) { return [e.id, e]; }));
  var links = raw.links.map(function (row, index) {
    return {
      index: index, id: "e" + index, a: entities[row[0]], b: entities[row[1]], weight: row[2], documents: row[3] || 0,
      evidence: row[4] || [], omitted: row[5] || 0,
      sources: row[6] === null ? undefined : row[6], npmi: row[7] === null ? undefined : row[7],
      first: row[8] === null ? undefined : row[8], last: row[9] === null ? undefined : row[9],
      // roles of the scheme and linking phrases: [name, reversed, count, [doc, start, end, sentence]]
      relations: row[10] || [], phrases: row[11] || [],
    };
  });
  var linkById = new Map(links.map(function (l) { return [l.id, l]; }));
  // Each entity's links, heaviest first (ties by the other's id): expand and the panel
  // read them in this order.
  var adjacency = entities.map(function () { return []; });
  links.forEach(function (l) {
    adjacency[l.a.index].push({ link: l, other: l.b });
    adjacency[l.b.index].push({ link: l, other: l.a });
  });
  adjacency.forEach(function (list) {
    list.sort(function (x, y) { return y.link.weight - x.link.weight || (x.other.id < y.other.id ? -1 : 1); });
  });

  var time = raw.time || null;
  var dayZero = time ? Date.parse(time.start + "T00:00:00Z") : 0;
  function dayLabel(day) {
    return new Date(dayZero + day * 86400000).toISOString().slice(0, 10);
  }

  function evidence(i) {
    var row = raw.evidence[i];
    var doc = raw.documents[row[0]];
    return { doc: doc[0], day: doc[1] === undefined || doc[1] === null ? undefined : doc[1],
      start: row[1], end: row[2], text: row[3], paragraph: row[4] === undefined ? -1 : row[4] };
  }

  function paragraph(i) {
    if (i < 0) return null;
    var row = raw.paragraphs[i];
    return { start: row[0], text: row[1],
      marks: (row[2] || []).map(function (m) { return { start: m[0], end: m[0] + m[1], entity: entities[m[2]] }; }),
      cutBefore: row[3] === true, cutAfter: row[4] === true };
  }

  // ---- names: every label and alias, lower-cased, for search ----------------------
  // The most mentioned entity wins a name two share; suggestions list both.
  var ranked = entities.slice().sort(function (x, y) { return y.mentions - x.mentions || (x.id < y.id ? -1 : 1); });
  var names = [];  // [lower-cased name, name as written, entity], sorted by name
  var exact = new Map();
  ranked.forEach(function (e) {
    var seen = new Set();
    [e.label].concat(e.aliases).forEach(function (name) {
      var key = name.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      names.push([key, name, e]);
      if (!exact.has(key)) exact.set(key, e);
    });
  });
  names.sort(function (x, y) { return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : y[2].mentions - x[2].mentions; });
  var keys = names.map(function (n) { return n[0]; });

  function firstAtLeast(key) {
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < key) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // Suggestions for what was typed: the exact name, then names starting with it, then
  // names holding it, each group most mentioned first; one entry per entity.
  function search(query, limit) {
    var key = query.trim().toLowerCase();
    if (!key) return [];
    var found = [];
    var taken = new Set();
    function take(entry, how) {
      if (found.length >= limit || taken.has(entry[2])) return;
      taken.add(entry[2]);
      found.push({ entity: entry[2], name: entry[1], how: how });
    }
    if (exact.has(key)) {
      var e = exact.get(key);
      take([key, [e.label].concat(e.aliases).find(function (n) { return n.toLowerCase() === key; }), e], "exact");
    }
    var prefixed = [];
    for (var i = firstAtLeast(key); i < keys.length && keys[i].startsWith(key); i++) prefixed.push(names[i]);
    prefixed.sort(function (x, y) { return y[2].mentions - x[2].mentions; }).forEach(function (n) { take(n, "prefix"); });
    if (found.length < limit) {
      var inside = names.filter(function (n) { return n[0].indexOf(key) > 0; });
      inside.sort(function (x, y) { return y[2].mentions - x[2].mentions; }).forEach(function (n) { take(n, "inside"); });
    }
    return found;
  }

  var typeCounts = {};
  entities.forEach(function (n) { typeCounts[n.type] = (typeCounts[n.type] || 0) + 1; });
  // The page holds everything: the calls that a served view answers from its server
  // (view-data-served.js) call back at once.
  function now() { arguments[arguments.length - 1](); }

  return {
    format: numberFormat,
    entities: entities,
    links: links,
    entity: function (id) { return byId.get(id); },
    link: function (id) { return linkById.get(id); },
    linksOf: function (entity) { return adjacency[entity.index]; },
    linkCount: function (entity) { return adjacency[entity.index].length; },
    need: now,
    more: now,
    evidence: evidence,
    paragraph: paragraph,
    needEvidence: now,
    moreEvidence: now,
    lookup: function (query) { return exact.get(query.trim().toLowerCase()) || null; },
    find: function (query, limit, done) { done(search(query, limit)); },
    decisions: null,
    typeCount: function (type) { return typeCounts[type] || 0; },
    opening: raw.opening.map(function (row) { return { entity: entities[row[0]], x: row[1], y: row[2] }; }),
    time: time,
    dayLabel: dayLabel,
    layout: raw.layout,
    minWeight: raw.minWeight,
    types: raw.types,
    communityColors: raw.communityColors,
    carried: raw.carried,
  };
}
