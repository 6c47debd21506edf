"""Every number the learner sees is written the page language's way (real Chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from babel.numbers import format_decimal
from scorm_player import Session, answer, drawn, go_to, question_data

from mirco_lms.i18n.locales import babel_locale

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "global-migration-governance"


@pytest.mark.parametrize(("lang", "version"), [
    ("en", "1.2"), ("sr-Latn", "2004"), ("sr-Cyrl", "1.2"), ("mk", "2004")])
def test_score_is_formatted_by_the_locale(tab: Any, site: Any, lang: str,
                                          version: str) -> None:
    fmt = "scorm12" if version == "1.2" else "scorm2004"
    session = Session(tab, site, version).launch(f"{MODULE}-1.0.0-{lang}-{fmt}")
    go_to(session, "final")
    ids = drawn(session, "final")
    points = [float(question_data(session, qid).get("points", 1)) for qid in ids]
    right = next(i for i in range(len(ids)) if round(100 * points[i] / sum(points), 2) % 1)
    for index, qid in enumerate(ids):
        answer(session, qid, index == right)
    session.sco.locator("form[data-assessment=final] .mirco-submit").click()
    shown = session.sco.locator("section[data-page=final] .mirco-score").inner_text()
    score = round(100 * points[right] / sum(points), 2)
    expected = format_decimal(score, format="#,##0.##", locale=babel_locale(lang))
    assert expected in shown, (shown, expected)
    assert ("," in expected) == (lang != "en")  # 8,33 in sr and mk; 8.33 in en
