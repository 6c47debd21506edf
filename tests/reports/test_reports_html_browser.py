"""The HTML report in a real Chromium: it renders, loads nothing and logs no errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import reports_dataset
from reports_dataset import BASE, C1, C2

from mirco_lms.lrs.store import open_store
from mirco_lms.reports.html import to_html
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.run import build_report

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"




@pytest.mark.parametrize(
    ("kind", "options"),
    [("completions", {"by": "country"}), ("gain", {"by": "language"}),
     ("items", {"course": C1, "by": "language"}), ("progress", {"institution": "MUP"})],
)
def test_html_report_is_self_contained(kind: str, options: dict[str, str], tmp_path: Path,
                                       browser: object) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'lrs.sqlite3'}")
    reports_dataset.load(store)
    report = build_report(store, parse_spec(kind, **options), activity_base=BASE,
                          project_modules=[C1, C2])
    store.close()
    page_file = tmp_path / f"{kind}.html"
    page_file.write_text(to_html(report), encoding="utf-8")
    url = page_file.as_uri()

    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: object) -> None:
        requests.append(r.request.url)  # type: ignore[attr-defined]
        if r.request.url == url:  # type: ignore[attr-defined]
            r.continue_()  # type: ignore[attr-defined]
        else:
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_load_state("load")
    assert requests == [url], requests
    assert errors == []
    charts = page.locator("svg.chart")
    assert charts.count() == len(report.charts) >= 1
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == len(report.main.rows)
    assert page.title() == report.title
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{kind}.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator("svg.chart").first.is_visible()
    page.close()
