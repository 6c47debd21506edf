"""Video in a package on scorm-again: its captions track loads from the package, the
transcript is reached and opened with the keyboard; the translated diagram looks right
in Macedonian on a phone and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import go_to
from screenshots import WIDTHS, assert_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "smuggling-of-migrants"
LESSON = "lesson-smuggling-vs-trafficking"
VIDEO = f"section[data-page={LESSON}] .mirco-media video"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_video_has_captions_and_a_keyboard_transcript(lms: Any, site: Any,
                                                          version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    go_to(session, LESSON)
    tracks = session.js(f"""() => {{
        const video = document.querySelector({VIDEO!r});
        return Array.from(video.querySelectorAll('track')).map(t => [t.kind, t.srclang, t.default]);
    }}""")
    assert tracks == [["captions", "en", True]]
    # the default track is shown, so the browser fetches and parses it from the package
    session.frame.wait_for_function(f"""() => {{
        const track = document.querySelector({VIDEO!r}).textTracks[0];
        return track.mode === 'showing' && track.cues && track.cues.length === 9;
    }}""")
    first = session.js(f"document.querySelector({VIDEO!r}).textTracks[0].cues[0].text")
    assert first == "Smuggling of migrants and trafficking in persons are different crimes."
    assert session.js(f"document.querySelector({VIDEO!r}).poster").endswith(
        "media/smuggling-or-trafficking.jpg")
    session.sco.locator(VIDEO).focus()
    for _ in range(20):
        session.page.keyboard.press("Tab")
        if session.js("document.activeElement.matches('.mirco-transcript > summary')"):
            break
    else:
        raise AssertionError("the transcript's summary was not reached with Tab")
    transcript = session.sco.locator(f"section[data-page={LESSON}] .mirco-transcript")
    assert not transcript.locator("p").first.is_visible()
    session.page.keyboard.press("Enter")
    assert transcript.get_attribute("open") is not None
    assert "Three questions tell them apart." in transcript.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_translated_diagram_in_macedonian(lms: Any, site: Any, width: int) -> None:
    session = lms("2004")
    session.page.set_viewport_size({"width": width, "height": 900})
    session.launch(site.package(MODULE, "2004").replace("-en-", "-mk-"))
    go_to(session, LESSON)
    figure = session.sco.locator(f"section[data-page={LESSON}] figure:has(img[src$='"
                                 "smuggling-vs-trafficking.svg'])")
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    session.frame.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert session.js("document.documentElement.scrollWidth <= window.innerWidth")
    assert_screenshot(figure, "diagram-mk", width)
