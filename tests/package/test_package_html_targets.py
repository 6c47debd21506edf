"""``mirco validate`` on a built zip reads its pages: what they load must be in the
package, what they link to may be on the web, nothing leaves the zip."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.package import validate_package
from mirco_lms.package.html_targets import page_urls, problem

MODULE = "migration-human-rights"
HOSTILE = [
    ('<img src="https://tracker.example/p.png" alt="">', "is on the web"),
    ('<img srcset="images/a.png 1x, //tracker.example/p.png 2x" alt="">', "is on the web"),
    ('<script src="../../steal.js"></script>', "leaves the package"),
    ('<link rel="stylesheet" href="/etc/theme.css">', "is an absolute path"),
    ('<iframe src="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
     "is inline data"),
    ('<a href="javascript:alert(document.cookie)">x</a>', "uses a scheme"),
    ('<a href="file:///etc/passwd">x</a>', "uses a scheme"),
    ('<div style="background: url(\'https://tracker.example/bg.png\')">x</div>',
     "is on the web"),
    ('<svg><image href="https://tracker.example/i.svg"/></svg>', "is on the web"),
    ('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', "uses a scheme"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(__file__).resolve().parents[2]
    project = tmp_path_factory.mktemp("html-targets")
    (project / "mirco.toml").write_text((root / "mirco.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (project / "modules").mkdir()
    shutil.copytree(root / "modules" / MODULE, project / "modules" / MODULE)
    report = build(ProjectConfig.load(project), BuildOptions(
        slugs=(MODULE,), formats=("scorm12", "cmi5"), out_dir=project / "dist", jobs=1,
        languages=("en",)))
    return report.out_dir


def _tampered(source: Path, dest: Path, snippet: str) -> tuple[Path, int]:
    """A copy of ``source`` whose index.html carries ``snippet``; and its line."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(dest, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "index.html":
                text = data.decode("utf-8")
                at = text.index("<main")
                line = text[:at].count("\n") + 1
                data = (text[:at] + snippet + "\n" + text[at:]).encode("utf-8")
            copy.writestr(info, data)
    return dest, line


def test_built_packages_pass(built: Path) -> None:
    zips = sorted(built.glob("*.zip"))
    assert len(zips) == 2
    for package in zips:
        assert validate_package(package) == []
        with zipfile.ZipFile(package) as archive:
            assert len(page_urls(archive.read("index.html"))) > 10


@pytest.mark.parametrize("fmt", ["scorm12", "cmi5"])
@pytest.mark.parametrize(("snippet", "message"), HOSTILE)
def test_hostile_pages_are_reported_at_their_line(  # type: ignore[no-untyped-def]
    runner, built: Path, tmp_path: Path, fmt: str, snippet: str, message: str
) -> None:
    source = built / f"{MODULE}-1.0.0-en-{fmt}.zip"
    package, line = _tampered(source, tmp_path / source.name, snippet)
    found = [d for d in validate_package(package) if d.severity == "error"]
    assert [(d.location.line, message in d.message) for d in found] == [(line, True)], found
    out = runner.invoke(main, ["validate", str(package)])
    assert out.exit_code == 1
    assert f"{package}!index.html:{line}: error: " in out.output


def test_what_a_page_may_use() -> None:
    assert problem("_mirco/mirco.css", "index.html", loads=True) is None
    assert problem("../_mirco/mirco.css", "lessons/a.html", loads=True) is None
    assert problem("../../x.css", "lessons/a.html", loads=True) == "leaves the package"
    assert problem("https://www.unhcr.org", "index.html", loads=False) is None
    assert problem("mailto:a@b.org", "index.html", loads=False) is None
    assert problem("data:,", "index.html", loads=True, tag="link") is None
    assert problem("data:,", "index.html", loads=True, tag="script") is not None
