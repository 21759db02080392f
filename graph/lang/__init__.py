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
# Where the languages' packages are: what `digest` reads.
ROOT = Path(__file__).parent


def data(lang: str, job: str) -> ModuleType:
    """The data module of `job` for `lang`, English's when `lang` has none."""
    code = lang if lang in LANGUAGES and _has(lang, job) else FALLBACK
    return importlib.import_module(f"graph.lang.{code}.{job}")


def digest(langs: Iterable[str]) -> str:
    """A digest of every resource module the languages `langs` read: what cached results
    and the graph's settings must match."""
    found = hashlib.sha256()
    for code in sorted({lang if lang in LANGUAGES else FALLBACK for lang in langs}):
        for path in sorted((ROOT / code).glob("*.py")):
            found.update(f"{code}/{path.name}\0".encode())
            found.update(path.read_bytes())
    return found.hexdigest()[:32]


def _has(lang: str, job: str) -> bool:
    return (ROOT / lang / f"{job}.py").exists()
