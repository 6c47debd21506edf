"""Responses as the learner saw them: option labels instead of xAPI response patterns.

An ``answered`` statement's ``result.response`` uses the interaction's component ids
(``b``, ``1[.]2[,]2[.]1``); its activity definition (sent with the statement) holds each
component's label in the learner's language. :func:`response_label` turns a response into
those labels — choices joined by ``;``, a matching as ``source → target`` pairs, an order as
``first → second`` — and a true/false answer into the UI's word for it in that language.
Fill-in and numeric responses are the answer itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mirco_lms.i18n import locales
from mirco_lms.reports.data import name_of
from mirco_lms.xapi import profile as p

PAIR_SEPARATOR = "[.]"
TRUTH = {"true": "True", "t": "True", "false": "False", "f": "False"}


@cache
def _ui_word(word: str, language: str | None) -> str:
    """``True`` / ``False`` as the learner's player showed them."""
    tag = next((code for code in locales.SUPPORTED
                if language and code.lower() == language.lower()), None)
    if tag is None or tag == "en":
        return word
    from mirco_lms.i18n.ui import ui_translations

    return ui_translations(tag).gettext(word)


def component_labels(definition: dict[str, Any], key: str, language: str | None) -> dict[
    str, str
]:
    """Component id → its label (``key``: ``choices``, ``source``, ``target``)."""
    out = {}
    for component in definition.get(key) or []:
        if isinstance(component, dict) and component.get("id") is not None:
            label = name_of(component, language, "description")
            out[str(component["id"])] = label or str(component["id"])
    return out


def response_label(
    response: str, kind: str, definition: dict[str, Any], language: str | None
) -> str:
    """The labels of ``response`` (an interaction of type ``kind``), in ``language``."""
    text = response.strip()
    if not text:
        return ""
    if kind == "true-false":
        word = TRUTH.get(text.lower())
        return _ui_word(word, language) if word else text
    parts = [part for part in text.split(p.RESPONSE_SEPARATOR) if part]
    if kind in ("choice", "multiple-choice", "sequencing"):
        labels = component_labels(definition, "choices", language)
        joiner = " → " if kind == "sequencing" else "; "
        return joiner.join(labels.get(part, part) for part in parts)
    if kind == "matching":
        sources = component_labels(definition, "source", language)
        targets = component_labels(definition, "target", language)
        pairs = []
        for part in parts:
            source, _, target = part.partition(PAIR_SEPARATOR)
            pairs.append(f"{sources.get(source, source)} → {targets.get(target, target)}")
        return "; ".join(pairs)
    return text
