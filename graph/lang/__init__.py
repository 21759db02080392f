"""Language resources: the word lists and tables that reading a language needs, kept as
data, one package per language (as spaCy's `lang/`).

Input: a language code, as a spaCy pipeline's `lang` says it ("en", "fr"). Output: that
language's data module for a job (`data(lang, job)`), and a digest of the modules a build
reads, which joins the cache key and the graph's settings (other word lists, other
results).

Each `graph/lang/<code>/` holds one module per job, plain constants and nothing else:
- `names.py`: function words, name particles, titles and honorifics (graph.names,
  graph.suggest, graph.resolve.links);
- `context.py`: the words that say a name is an organization (graph.resolve.context);
- `relations.py`: titles, offices and verbs of the roles (graph.relations).
A language without a module for a job reads English's: what entigraph did for every
pipeline before it knew other languages. To add a language, copy `en/`, translate, and
list its code in `LANGUAGES` (docs/languages.md says how).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

# The languages with resources of their own; any other reads FALLBACK's.
LANGUAGES = ("en", "fr")
FALLBACK = "en"
# The jobs a language's package holds a module for.
JOBS = ("names", "context", "relations")
# Where the languages' packages are: what `digest` reads.
ROOT = Path(__file__).parent


def data(lang: str, job: str) -> ModuleType:
    """The data module of `job` for `lang`, English's when `lang` has none."""
    return importlib.import_module(f"graph.lang.{_source(lang, job)}.{job}")


def digest(langs: Iterable[str]) -> str:
    """A digest of every resource module the languages `langs` read (as `data` finds
    them, English's where a language lacks one): what cached results and the graph's
    settings must match."""
    found = hashlib.sha256()
    for code, job in sorted({(_source(lang, job), job) for lang in langs for job in JOBS}):
        found.update(f"{code}/{job}\0".encode())
        found.update((ROOT / code / f"{job}.py").read_bytes())
    return found.hexdigest()[:32]


def _source(lang: str, job: str) -> str:
    """The language whose module of `job` `lang` reads."""
    return lang if lang in LANGUAGES and (ROOT / lang / f"{job}.py").exists() else FALLBACK
