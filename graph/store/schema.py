"""The store's tables: `graph.db`, one SQLite database per output directory.

Job: say what the store holds, in SQL, once. Input: none. Output: `SCHEMA` (the
statements that create an empty store), `SCHEMA_VERSION` (kept in `PRAGMA user_version`)
and `APPLICATION_ID` (`PRAGMA application_id`: what tells our file from another's).

Four kinds of table, documented column by column in docs/store.md:
- the build: `meta` (named facts: the settings' digests, N, the window...), `languages`
  (whose word lists read the names), `inputs` (the files read, with their sizes and
  times), `problems` (what reading reported), `exports` (the files written from which
  state);
- the documents and what was found in them, kept as extracted: `documents`,
  `statements`, `paragraphs` (those that can show a link's evidence), `mentions`,
  `relations`; and the corpus' counts that are sums over them: `words`, `name_uses`;
- resolution: `forms` (a document's names, linked, and the name each joins),
  `form_surfaces`, `form_pairs`, `consulted`, `decisions`, `dropped_names` and
  `spellings` (what the corpus decided about names);
- the graph: `entities`, `aliases`, `merges`, `names` (every name an entity goes by,
  case folded, for lookups), `links`, `evidence`, `link_relations`, and
  what each document adds to them (`doc_entities`, `doc_links`, `doc_evidence`,
  `doc_relations`), from which a rebuild sums only what changed;
- the analyst's say: `view_merges` and `view_merge_names` (pairs marked "same entity" in `entigraph serve`,
  applied by the next build as aliases).
Entities and links are numbered (`entity`), numbers that last while the entity's
smallest name key (`name_key`) stays its own; exports name them by `id`, never by number.
"""

from __future__ import annotations

APPLICATION_ID = 0x45474442  # "EGDB": entigraph graph database
SCHEMA_VERSION = 4  # 4: documents' lang and lang_source; 3: `languages`

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE languages (code TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE inputs (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE problems (number INTEGER PRIMARY KEY, problem TEXT NOT NULL);
CREATE TABLE exports (
    format TEXT PRIMARY KEY, file TEXT NOT NULL, generation INTEGER NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    doc INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    text_sha256 BLOB NOT NULL,
    source TEXT NOT NULL,
    date TEXT,
    lang TEXT,
    lang_source TEXT,
    sentences INTEGER NOT NULL,
    signature BLOB,
    duplicate_of INTEGER REFERENCES documents(doc),
    named INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_position ON documents(position);
CREATE TABLE statements (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    number INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    paragraph INTEGER NOT NULL,
    row INTEGER NOT NULL,
    PRIMARY KEY (doc, number)
) WITHOUT ROWID;
CREATE TABLE paragraphs (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    number INTEGER NOT NULL,
    start INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc, number)
) WITHOUT ROWID;
CREATE TABLE mentions (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    statement INTEGER NOT NULL,
    text TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    spacy_label TEXT NOT NULL,
    cue TEXT NOT NULL,
    entity INTEGER,
    PRIMARY KEY (doc, start, end)
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(entity);
CREATE TABLE relations (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    statement INTEGER NOT NULL,
    number INTEGER NOT NULL,
    source INTEGER NOT NULL,
    target INTEGER,
    role TEXT NOT NULL,
    phrase TEXT NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (doc, statement, number)
) WITHOUT ROWID;
CREATE INDEX relations_country ON relations(country) WHERE country != '';
CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE name_uses (
    name TEXT NOT NULL, label TEXT NOT NULL, cue TEXT NOT NULL, row INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (name, label, cue, row)
) WITHOUT ROWID;

CREATE TABLE forms (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    key TEXT NOT NULL,
    uses INTEGER NOT NULL,
    person INTEGER NOT NULL,
    org INTEGER NOT NULL,
    place INTEGER NOT NULL,
    label TEXT NOT NULL,
    aliased INTEGER NOT NULL,
    surface TEXT NOT NULL,
    web TEXT,
    target TEXT,
    rule TEXT NOT NULL,
    joins TEXT,
    why TEXT NOT NULL DEFAULT '',
    why_target TEXT,
    share REAL,
    vote TEXT,
    entity INTEGER,
    PRIMARY KEY (doc, key)
) WITHOUT ROWID;
CREATE INDEX forms_key ON forms(key);
CREATE INDEX forms_web ON forms(web) WHERE web IS NOT NULL;
CREATE INDEX forms_entity ON forms(entity);
CREATE TABLE form_surfaces (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    key TEXT NOT NULL,
    surface TEXT NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (doc, key, surface)
) WITHOUT ROWID;
CREATE TABLE form_pairs (
    doc INTEGER NOT NULL REFERENCES documents(doc),
    first TEXT NOT NULL,
    second TEXT NOT NULL,
    joined INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc, first, second)
) WITHOUT ROWID;
CREATE TABLE consulted (
    key TEXT NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc),
    PRIMARY KEY (key, doc)
) WITHOUT ROWID;
CREATE INDEX consulted_doc ON consulted(doc);
CREATE TABLE decisions (
    key TEXT PRIMARY KEY,
    teams INTEGER NOT NULL,
    retyped INTEGER NOT NULL,
    place INTEGER NOT NULL,
    person_votes INTEGER NOT NULL,
    org_votes INTEGER NOT NULL,
    place_votes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE dropped_names (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE spellings (key TEXT PRIMARY KEY, spelling TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE countries (country TEXT PRIMARY KEY, entity INTEGER NOT NULL REFERENCES entities(entity)) WITHOUT ROWID;

CREATE TABLE entities (
    entity INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    sources INTEGER,
    statements INTEGER NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    community INTEGER,
    degree INTEGER,
    weighted_degree REAL,
    pagerank REAL,
    betweenness REAL,
    first_doc TEXT,
    first_key TEXT
);
CREATE INDEX entities_mentions ON entities(mentions DESC);
CREATE INDEX entities_pagerank ON entities(pagerank DESC);
CREATE TABLE aliases (
    entity INTEGER NOT NULL REFERENCES entities(entity),
    alias TEXT NOT NULL,
    PRIMARY KEY (entity, alias)
) WITHOUT ROWID;
CREATE TABLE names (
    number INTEGER PRIMARY KEY,
    entity INTEGER NOT NULL REFERENCES entities(entity),
    name TEXT NOT NULL,
    folded TEXT NOT NULL,
    UNIQUE (entity, name)
);
CREATE INDEX names_folded ON names(folded);
-- Whether an entity has a name with a prefix, in one seek: `entigraph serve`'s search
-- walks the most mentioned entities asking that.
CREATE INDEX names_entity ON names(entity, folded);
CREATE TABLE merges (
    entity INTEGER NOT NULL REFERENCES entities(entity),
    number INTEGER NOT NULL,
    merge TEXT NOT NULL,
    PRIMARY KEY (entity, number)
) WITHOUT ROWID;
CREATE TABLE links (
    source INTEGER NOT NULL REFERENCES entities(entity),
    target INTEGER NOT NULL REFERENCES entities(entity),
    weight REAL NOT NULL,
    documents INTEGER NOT NULL,
    sources INTEGER,
    npmi REAL,
    first_seen TEXT,
    last_seen TEXT,
    kept INTEGER NOT NULL,
    PRIMARY KEY (source, target)
) WITHOUT ROWID;
CREATE INDEX links_target ON links(target, source);
-- An entity's links strongest first, read a page at a time (entigraph serve): without
-- these a hub's links would be sorted on every request.
CREATE INDEX links_source_weight ON links(source, kept, weight DESC);
CREATE INDEX links_target_weight ON links(target, kept, weight DESC);
CREATE TABLE evidence (
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (source, target, rank)
) WITHOUT ROWID;
CREATE TABLE link_relations (
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    role TEXT NOT NULL,
    phrase TEXT NOT NULL,
    from_entity INTEGER NOT NULL REFERENCES entities(entity),
    to_entity INTEGER NOT NULL REFERENCES entities(entity),
    statements INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES documents(doc),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (source, target, role, phrase, from_entity)
) WITHOUT ROWID;

CREATE TABLE doc_entities (
    doc INTEGER NOT NULL, entity INTEGER NOT NULL,
    mentions INTEGER NOT NULL, statements INTEGER NOT NULL,
    PRIMARY KEY (doc, entity)
) WITHOUT ROWID;
CREATE INDEX doc_entities_entity ON doc_entities(entity);
CREATE TABLE doc_links (
    doc INTEGER NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (doc, source, target)
) WITHOUT ROWID;
CREATE INDEX doc_links_pair ON doc_links(source, target);
CREATE TABLE doc_evidence (
    doc INTEGER NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL, rank INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (doc, source, target, rank)
) WITHOUT ROWID;
CREATE INDEX doc_evidence_pair ON doc_evidence(source, target);
CREATE TABLE doc_relations (
    doc INTEGER NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL,
    role TEXT NOT NULL, phrase TEXT NOT NULL, from_entity INTEGER NOT NULL,
    statements INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (doc, source, target, role, phrase, from_entity)
) WITHOUT ROWID;
CREATE INDEX doc_relations_pair ON doc_relations(source, target);

CREATE TABLE view_merges (
    number INTEGER PRIMARY KEY,
    first TEXT NOT NULL,
    second TEXT NOT NULL,
    who TEXT NOT NULL,
    made TEXT NOT NULL,
    undone TEXT
);
CREATE TABLE view_merge_names (
    number INTEGER NOT NULL REFERENCES view_merges(number),
    side INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (number, side, position)
) WITHOUT ROWID;
"""

# Where the interpreter's SQLite has FTS5: every name searchable by the prefix of any of
# its words ("netan" finds "Benjamin Netanyahu"), kept in step with `names`.
SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE name_search USING fts5(
    name, content = 'names', content_rowid = 'number',
    tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
);
CREATE TRIGGER names_added AFTER INSERT ON names BEGIN
    INSERT INTO name_search (rowid, name) VALUES (new.number, new.name);
END;
CREATE TRIGGER names_removed AFTER DELETE ON names BEGIN
    INSERT INTO name_search (name_search, rowid, name) VALUES ('delete', old.number, old.name);
END;
"""
