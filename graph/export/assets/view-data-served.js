// Data access for `entigraph serve`: the same calls as view-data.js, answered from the
// server's JSON API (docs/serve.md) instead of the page's JSON. The page carries the
// opening window; everything else (search, an entity's neighbours a page at a time, a
// link's evidence, merges) is fetched when asked for and kept here, so the rest of the
// view reads what is known synchronously and asks for more through the async calls
// (`find`, `need`, `more`, `needEvidence`, `moreEvidence`, `decisions`), each ending in
// a callback. Requests go only to this page's origin.
function openData(raw) {
  var numberFormat = new Intl.NumberFormat("en");
  var EVIDENCE_PAGE = 10;
  var time = raw.time || null;
  var dayZero = time ? Date.parse(time.start + "T00:00:00Z") : 0;
  function dayLabel(day) {
    return new Date(dayZero + day * 86400000).toISOString().slice(0, 10);
  }
  function day(iso) {
    if (!time || iso === null || iso === undefined) return undefined;
    return Math.round((Date.parse(iso + "T00:00:00Z") - dayZero) / 86400000);
  }
  function defined(value) { return value === null ? undefined : value; }

  // ---- requests: counted in body[data-pending] so a test can wait for quiet ---------
  var pending = 0;
  function settle(change) {
    pending += change;
    document.body.dataset.pending = String(pending);
  }
  function request(method, path, body, done, failed) {
    settle(1);
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== null) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Entigraph-Token"] = raw.token;
      options.body = JSON.stringify(body);
    }
    fetch(path, options).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || response.statusText);
        return answer;
      });
    }).then(function (answer) {
      settle(-1);
      done(answer);
    }, function (error) {
      settle(-1);
      document.body.dataset.error = String(error.message || error);
      if (failed) failed();
    });
  }
  function get(path, done, failed) { request("GET", path, null, done, failed); }

  // One read at a time of an entity's neighbours or a link's evidence (`holder`): an asker
  // while one is in flight waits for it and asks again, reading on from where it ended.
  // Two reads from one offset would count one page twice and skip the next (a panel and
  // a search both asking for an entity's first neighbours while the server is slow).
  function inTurn(holder, ask) {
    if (holder.waiting) holder.waiting.push(ask);
    else ask();
  }
  function reading(holder) { holder.waiting = []; }
  function read(holder) {
    var waiting = holder.waiting || [];
    holder.waiting = null;
    // in turn again: the first asker may start another read, which the rest then wait for
    waiting.forEach(function (ask) { inTurn(holder, ask); });
  }
  function quote(id) { return encodeURIComponent(id); }

  // ---- what is known: entities and links met so far -------------------------------
  var entities = [];
  var byId = new Map();
  var adjacency = new Map();  // entity -> [{link, other}], strongest first
  var pages = new Map();  // entity -> {offset, more, waiting}: its own neighbours read so far
  var links = [];
  var linkById = new Map();
  var evidenceRows = [];
  var paragraphRows = [];

  function entityOf(row) {
    var e = byId.get(row.id);
    if (!e) {
      e = { index: entities.length, id: row.id };
      entities.push(e);
      byId.set(row.id, e);
      adjacency.set(e, []);
    }
    e.label = row.label; e.type = row.type; e.mentions = row.mentions || 0; e.documents = row.documents || 0;
    e.aliases = row.aliases || []; e.merges = row.merges || []; e.strength = row.strength || 0;
    e.community = defined(row.community); e.pagerank = defined(row.pagerank);
    e.betweenness = defined(row.betweenness); e.degree = defined(row.degree);
    e.first = day(row.first); e.last = day(row.last);
    return e;
  }

  function byStrength(x, y) { return y.link.weight - x.link.weight || (x.other.id < y.other.id ? -1 : 1); }

  function linkOf(row) {
    var a = byId.get(row.a), b = byId.get(row.b);
    if (b.id < a.id) { var swap = a; a = b; b = swap; }
    var id = "l" + JSON.stringify([a.id, b.id]);
    var l = linkById.get(id);
    var known = !!l;
    if (!known) {
      l = { index: links.length, id: id, a: a, b: b, evidence: [], omitted: 0, relations: [], phrases: [], more: true, read: 0, waiting: null };
      links.push(l);
      linkById.set(id, l);
    }
    l.weight = row.weight; l.documents = row.documents || 0;
    l.sources = defined(row.sources); l.npmi = defined(row.npmi);
    l.first = day(row.first); l.last = day(row.last);
    if (!known) {  // placed by its weight, so set first
      adjacency.get(a).push({ link: l, other: b });
      adjacency.get(b).push({ link: l, other: a });
      adjacency.get(a).sort(byStrength);
      adjacency.get(b).sort(byStrength);
    }
    return l;
  }

  raw.entities.forEach(entityOf);
  raw.links.forEach(linkOf);

  // Load the next `count` of `n`'s neighbours, strongest first, then call `done`.
  function more(n, count, done) {
    var page = pageOf(n);
    inTurn(page, function () {
      if (!page.more) { done(); return; }
      reading(page);
      get("api/entities/" + quote(n.id) + "/neighbours?offset=" + page.offset + "&limit=" + count, function (answer) {
        answer.neighbours.forEach(function (item) { entityOf(item.other); linkOf(item.link); });
        page.offset += answer.neighbours.length;
        page.more = answer.more;
        done();
        read(page);
      }, function () { read(page); });
    });
  }
  // Make sure `n`'s `count` strongest neighbours are known.
  function need(n, count, done) {
    var page = pageOf(n);
    inTurn(page, function () {
      if (page.offset >= count || !page.more) done();
      else more(n, count - page.offset, done);
    });
  }
  function pageOf(n) {
    if (!pages.has(n)) pages.set(n, { offset: 0, more: true, waiting: null });
    return pages.get(n);
  }

  // ---- evidence -----------------------------------------------------------------------

  function moreEvidence(l, done) {
    inTurn(l, function () { readEvidence(l, done); });
  }
  function readEvidence(l, done) {
    if (!l.more) { done(); return; }
    reading(l);
    get("api/links/" + quote(l.a.id) + "/" + quote(l.b.id) + "/evidence?offset=" + l.read + "&limit=" + EVIDENCE_PAGE,
      function (answer) {
        answer.entities.forEach(entityOf);
        answer.evidence.forEach(function (ev) {
          var paragraph = -1;
          if (ev.paragraph) {
            paragraph = paragraphRows.length;
            var p = ev.paragraph;
            paragraphRows.push({ start: p.start, text: p.text, cutBefore: p.cutBefore, cutAfter: p.cutAfter,
              marks: p.marks.filter(function (m) { return byId.has(m[2]); })
                .map(function (m) { return { start: m[0], end: m[1], entity: byId.get(m[2]) }; }) });
          }
          l.evidence.push(evidenceRows.length);
          evidenceRows.push({ doc: ev.doc, day: day(ev.date), start: ev.start, end: ev.end, text: ev.text, paragraph: paragraph });
        });
        if (answer.relations) { l.relations = answer.relations; l.phrases = answer.phrases; }
        l.read += answer.evidence.length;
        l.more = answer.more;
        done();
        read(l);
      }, function () { read(l); });
  }
  function needEvidence(l, done) {
    inTurn(l, function () {
      if (l.read > 0 || !l.more) done();
      else readEvidence(l, done);
    });
  }

  // ---- names ------------------------------------------------------------------------

  function lookup(query) {
    var key = query.trim().toLowerCase();
    if (!key) return null;
    var best = null;
    entities.forEach(function (e) {
      var named = [e.label].concat(e.aliases).some(function (n) { return n.toLowerCase() === key; });
      if (named && (!best || e.mentions > best.mentions)) best = e;
    });
    return best;
  }

  function find(query, limit, done) {
    if (!query.trim()) { done([]); return; }
    get("api/search?q=" + encodeURIComponent(query) + "&limit=" + limit, function (answer) {
      done(answer.results.map(function (r) { return { entity: entityOf(r.entity), name: r.name, how: r.how }; }));
    });
  }

  // ---- merges kept in the store ----------------------------------------------------------

  function merges(path, body, done) {
    var finish = function (answer) {
      (answer.merges || []).forEach(function (m) { m.names = m.names || [[], []]; });
      done(answer.merges);
    };
    if (body === null) get(path, finish); else request("POST", path, body, finish);
  }
  var decisions = {
    list: function (done) { merges("api/decisions", null, done); },
    record: function (a, b, done) { merges("api/decisions", { first: a.id, second: b.id }, done); },
    undo: function (number, done) { merges("api/decisions/" + number + "/undo", {}, done); },
  };

  var typeCounts = raw.typeCounts;

  return {
    format: numberFormat,
    entities: entities,
    links: links,
    entity: function (id) { return byId.get(id); },
    link: function (id) { return linkById.get(id); },
    linksOf: function (entity) { return adjacency.get(entity); },
    linkCount: function (entity) { return entity.degree !== undefined ? entity.degree : adjacency.get(entity).length; },
    need: need,
    more: more,
    evidence: function (i) { return evidenceRows[i]; },
    paragraph: function (i) { return i < 0 ? null : paragraphRows[i]; },
    needEvidence: needEvidence,
    moreEvidence: moreEvidence,
    lookup: lookup,
    find: find,
    decisions: decisions,
    typeCount: function (type) { return typeCounts[type] || 0; },
    opening: raw.opening.map(function (row) { return { entity: byId.get(row[0]), x: row[1], y: row[2] }; }),
    time: time,
    dayLabel: dayLabel,
    layout: "fixed",
    minWeight: 0,
    types: raw.types,
    communityColors: raw.communityColors,
  };
}
