"""Forms: the names of one document, as the corpus' decisions let it use them, linked.

Input: a document's `MentionUse`s and the names it writes in parentheses
(graph.resolve.uses), the corpus' `NameDecisions` and, for the links, the `CorpusIndex`
and the retyped keys (graph.resolve.corpus). Output: the document's `Form`s (one per
kept name key: its type votes and spellings) and its `DocumentLinks` (each short form's
full form in the document, or None where it could be several; the pairs written "Full
Name (Short)" that are one entity).

This is the per-document work of resolution, and all of it: a store keeps both outputs
per document and redoes them only for documents whose names' decisions changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from graph.resolve.corpus import NameDecisions
from graph.resolve.links import CorpusIndex, Form, local_links, parenthesised
from graph.resolve.uses import MentionUse

LocalLinks = dict[str, "tuple[str, str] | None"]
"""Short form key -> (full form key, rule) in one document; None when ambiguous."""


@dataclass(frozen=True)
class DocumentLinks:
    """What links a document's forms: short forms to full ones, and the pairs it gives
    with one in parentheses after the other."""

    local: LocalLinks
    pairs: tuple[tuple[str, str], ...]


def document_forms(uses: Iterable[MentionUse], decisions: NameDecisions) -> dict[str, Form]:
    """One `Form` per kept key of the document, its votes before any retyping."""
    forms: dict[str, Form] = {}
    for use in uses:
        final = decisions.final(use.name)
        if final is None:
            continue
        final_key, alias = final
        form = forms.get(final_key)
        if form is None:
            form = forms[final_key] = Form(final_key, Counter(), Counter(), alias)
        form.labels[decisions.label(use, final_key)] += 1
        form.surfaces[use.name] += 1
    return forms


def link_document(
    forms: dict[str, Form],
    parentheses: Iterable[tuple[str, str]],
    corpus: CorpusIndex,
    retyped: frozenset[str],
) -> DocumentLinks:
    """Retype the forms the corpus retyped (in place: they vote so from here on), then
    link the document's short forms and parenthesised pairs."""
    for name_key in retyped & forms.keys():
        if forms[name_key].aliased is None:
            forms[name_key].retype("ORG")
    return DocumentLinks(local_links(forms, corpus), tuple(parenthesised(list(parentheses), forms, corpus.words)))
