"""A mistake in a block of the sample course stops ``mirco validate`` and ``mirco build``
with the file, the line and the fix; nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mirco_lms.cli import main


def test_block_mistakes_stop_validate_and_build_at_file_line(
    sample_project: Path, runner: CliRunner
) -> None:
    module = sample_project / "modules" / "migration-human-rights"
    lesson = module / "01-foundations.md"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("### Refugee law {x=15 y=55}", "### Refugee law {x=15 y=155}", 1)
    text = text.replace("### Special protection {x=82 y=64}", "### {x=82 y=64}", 1)
    lesson.write_text(text, encoding="utf-8")
    line_of = {needle: text[: text.index(needle)].count("\n") + 1
               for needle in ("{x=15 y=155}", "### {x=82")}
    checked = runner.invoke(main, ["validate", str(module)])
    assert checked.exit_code == 1, checked.output
    assert re.search(rf"01-foundations\.md:{line_of['{x=15 y=155}']}: error: the hotspot "
                     r"'Refugee law' has y='155'; expected a number from 0 to 100",
                     checked.output), checked.output
    assert re.search(rf"01-foundations\.md:{line_of['### {x=82']}: error: a hotspot of a "
                     "hotspots block has no title", checked.output), checked.output
    assert "hint: write {x=… y=…} after the hotspot's title" in checked.output
    assert "Traceback" not in checked.output
    built = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert built.exit_code != 0 and "y='155'" in built.output
    assert "Traceback" not in built.output
    assert not (sample_project / "dist").exists() or not any((sample_project / "dist").iterdir())
