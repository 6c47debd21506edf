"""Item analysis shows what learners saw: option labels in their language, and charts that
stay readable at 80+ items."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mirco_lms.reports import items
from mirco_lms.reports.data import Row
from mirco_lms.reports.model import Chart
from mirco_lms.reports.svg import HORIZONTAL_FROM, chart_svg


def row(response: str, success: bool) -> Row:
    blank: dict[str, Any] = {f.name: None for f in dataclasses.fields(Row)}
    return Row(**{**blank, "response": response, "success": success})


def component(ident: str, **labels: str) -> dict[str, Any]:
    return {"id": ident, "description": {k.replace("_", "-"): v for k, v in labels.items()}}


MATCHING = {
    "interactionType": "matching",
    "correctResponsesPattern": ["1[.]1[,]2[.]2"],
    "source": [component("1", en="Refugee", sr_Latn="Izbeglica"),
               component("2", en="Migrant", sr_Latn="Migrant")],
    "target": [component("1", en="Fled persecution", sr_Latn="Bežao od progona"),
               component("2", en="Moves for any reason", sr_Latn="Seli se iz bilo kog razloga")],
}
ORDERING = {
    "interactionType": "sequencing",
    "correctResponsesPattern": ["1[,]2[,]3"],
    "choices": [component("1", en="Rescue", mk="Спасување"),
                component("2", en="Disembarkation", mk="Искрцување"),
                component("3", en="Screening", mk="Проверка")],
}


def by_label(found: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
    return {o["label"] or o["id"]: (o["count"], o["correct"]) for o in found}


def test_matching_pairs_in_the_groups_language() -> None:
    answers = [row("1[.]1[,]2[.]2", True), row("1[.]1[,]2[.]2", True),
               row("1[.]2[,]2[.]1", False)]
    found = by_label(items.options(answers, MATCHING, "sr-Latn"))
    assert found == {
        "Izbeglica → Bežao od progona; Migrant → Seli se iz bilo kog razloga": (2, True),
        "Izbeglica → Seli se iz bilo kog razloga; Migrant → Bežao od progona": (1, False),
    }
    english = by_label(items.options(answers, MATCHING, "en"))
    assert "Refugee → Fled persecution; Migrant → Moves for any reason" in english


def test_ordering_as_a_sequence_of_labels() -> None:
    answers = [row("1[,]2[,]3", True), row("2[,]1[,]3", False)]
    found = by_label(items.options(answers, ORDERING, "mk"))
    assert found == {"Спасување → Искрцување → Проверка": (1, True),
                     "Искрцување → Спасување → Проверка": (1, False)}


def test_choices_true_false_fill_in_and_numeric() -> None:
    choice = {"interactionType": "multiple-choice", "correctResponsesPattern": ["a[,]c"],
              "choices": [component("a", en="Trafficking", sr_Latn="Trgovina ljudima"),
                          component("b", en="Tourism", sr_Latn="Turizam"),
                          component("c", en="Forced labour", sr_Latn="Prinudni rad")]}
    found = by_label(items.options([row("a[,]c", True), row("a[,]b", False)], choice,
                                   "sr-Latn"))
    assert found == {"Trgovina ljudima": (2, True), "Turizam": (1, False),
                     "Prinudni rad": (1, True)}
    truth = {"interactionType": "true-false", "correctResponsesPattern": ["false"]}
    found = by_label(items.options([row("true", False), row("false", True)], truth, "mk"))
    assert found == {"Точно": (1, False), "Неточно": (1, True)}  # the mk catalog's words
    assert set(by_label(items.options([row("t", False)], truth, "sr-Latn"))) == {"Tačno"}
    fill = {"interactionType": "fill-in", "correctResponsesPattern": ["Palermo Protocol"]}
    found = by_label(items.options([row("Palermo Protocol", True), row("palermo protocol", True),
                                    row("Geneva", False)], fill, "en"))
    assert found == {"palermo protocol": (2, True), "geneva": (1, False)}
    numeric = {"interactionType": "numeric", "correctResponsesPattern": ["1951[:]1951"]}
    found = by_label(items.options([row("1951", True), row("1967", False)], numeric, "en"))
    assert found == {"1951": (1, True), "1967": (1, False)}


def test_eighty_items_get_a_horizontal_chart_with_every_label() -> None:
    labels = tuple(f"q-{i:02d}" for i in range(80))
    values = tuple(None if i == 5 else float(i) for i in range(80))
    svg = chart_svg(Chart("bars", "Item difficulty", labels, values, "%"))
    assert 'class="chart horizontal"' in svg
    # every label is drawn as text, one row each, none rotated
    drawn = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg)
    assert drawn == list(labels) and "rotate(" not in svg
    ys = [float(y) for y in re.findall(r'<text class="label" x="\d+" y="([\d.]+)"', svg)]
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))  # rows do not overlap
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert height >= 80 * 14
    assert svg.count('<rect class="bar') == 79  # q-05 has no value: a dash, not a bar


def test_few_items_keep_vertical_bars() -> None:
    labels = tuple(f"q{i}" for i in range(HORIZONTAL_FROM - 1))
    svg = chart_svg(Chart("bars", "Item difficulty", labels, (50.0,) * len(labels), "%"))
    assert "horizontal" not in svg and "rotate(" in svg
