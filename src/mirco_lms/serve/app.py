"""The preview web app (Starlette): index, test frame, package files, live status."""

from __future__ import annotations

import contextlib
import html
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mirco_lms.formats.registry import label as format_label
from mirco_lms.i18n.locales import language_name
from mirco_lms.i18n.readiness import LanguageStatus
from mirco_lms.paths import inside_file
from mirco_lms.serve.site import DESCRIPTORS, WATCHED, Package, PreviewSite

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>{title} – mirco preview</title>
<link rel="stylesheet" href="/_preview/preview.css"></head>
<body data-generation="{generation}">
<header class="pv-header"><a href="/">mirco preview</a> <span>{project}</span></header>
<main class="pv-main">{failure}{body}</main>
<script src="/_preview/reload.js"></script>{scripts}
</body></html>
"""


def _failure(site: PreviewSite) -> str:
    if site.failure is None:
        return ""
    items = "".join(
        f"<li><code>{html.escape(str(p.location) or '(project)')}</code> "
        f"{html.escape(p.message)}"
        + (f"<br><small>hint: {html.escape(p.hint)}</small>" if p.hint else "") + "</li>"
        for p in site.failure.problems
    )
    stale = " The packages below are from the last successful build." if site.packages else ""
    return (f'<section class="pv-error" role="alert"><h2>The build failed</h2>'
            f"<ul>{items}</ul><p>Fix the file and save: the preview rebuilds.{stale}</p>"
            "</section>")


def _page(site: PreviewSite, title: str, body: str, scripts: str = "") -> HTMLResponse:
    return HTMLResponse(PAGE.format(
        title=html.escape(title), generation=site.generation, failure=_failure(site),
        project=html.escape(str(site.project)), body=body, scripts=scripts,
    ))


def _index(site: PreviewSite) -> HTMLResponse:
    """Every module by title; per language its coverage and links: play in the test
    frame, the standalone view, the course descriptor. Languages not built say why."""
    esc = html.escape
    by_module: dict[str, dict[str, list[Package]]] = {}
    for p in site.packages:
        by_module.setdefault(p.module, {}).setdefault(p.language, []).append(p)
    states = {(s.module, s.language): s for s in site.statuses}
    withheld = {(s.module, s.language): s for s in site.withheld}
    for module, language in withheld:
        by_module.setdefault(module, {}).setdefault(language, [])
    sections = []
    for module in sorted(by_module):
        languages = by_module[module]
        titles = [p.title for lang in languages for p in languages[lang]]
        rows = "".join(_language_row(module, lang, packages, states.get((module, lang)),
                                     withheld.get((module, lang)))
                       for lang, packages in languages.items())
        sections.append(
            f'<section class="pv-module"><h2>{esc(titles[0] if titles else module)} '
            f"<small><code>{esc(module)}</code></small></h2><table class=pv-modules>"
            "<thead><tr><th scope=col>Language</th><th scope=col>Translated</th>"
            "<th scope=col>Play in a test LMS</th><th scope=col>Standalone</th>"
            f"<th scope=col>Descriptor</th></tr></thead><tbody>{rows}</tbody></table>"
            "</section>")
    if sections:
        body = "".join(sections)
    elif site.failure is not None:
        body = "<p>Nothing to preview until the build succeeds.</p>"
    else:
        body = "<p>No packages built yet.</p>"
    return _page(site, "Modules", "<h1>Course preview</h1>" + body)


def _language_row(module: str, language: str, packages: list[Package],
                  status: LanguageStatus | None, withheld: LanguageStatus | None) -> str:
    esc = html.escape
    name = esc(f"{language_name(language, 'en')} ({language})")
    if status is None or status.total == 0 and status.state == "complete":
        translated = "source" if status is not None else ""
    else:
        translated = f"{status.state}, {status.percent_text}"
    if withheld is not None:
        return (f'<tr class="pv-withheld"><th scope=row>{name}</th><td>{esc(translated)}</td>'
                f'<td colspan=3>not built: under the {withheld.threshold} % coverage '
                f"threshold (<code>mirco i18n update --lang {esc(language)} {esc(module)}"
                "</code>, then translate; or preview with <code>--allow-partial</code>)"
                "</td></tr>")
    play = " · ".join(f'<a href="/play/{esc(p.name)}">{format_label(p.format)}'
                      "</a>" for p in packages)
    first = packages[0]
    standalone = (f'<a href="/pkg/{esc(first.name)}/{esc(first.launches[0])}">open</a>')
    descriptor = (f'<a href="/descriptor/{esc(first.descriptor)}">descriptor</a>'
                  if first.descriptor else "")
    return (f"<tr><th scope=row>{name}</th><td>{esc(translated)}</td><td>{play}</td>"
            f"<td>{standalone}</td><td>{descriptor}</td></tr>")


def _player(site: PreviewSite, name: str, launch: str) -> Response:
    package = site.find(name)
    if package is None:
        return _page(site, "Not found", f"<h1>No package {html.escape(name)}</h1>")
    if launch not in package.launches:
        launch = package.launches[0]
    options = "".join(
        f'<option value="{html.escape(h)}"{" selected" if h == launch else ""}>'
        f"{html.escape(h)}</option>" for h in package.launches
    )
    chooser = (f'<label>SCO <select id="pv-sco">{options}</select></label>'
               if len(package.launches) > 1 else "")
    config = json.dumps({"version": package.scorm, "package": name, "launch": launch,
                         "key": f"mirco-preview:{name}:{launch}"})
    body = f"""<h1>{html.escape(package.title)} <small>{html.escape(package.language)} ·
{format_label(package.format)}</small></h1>
<div class="pv-tools">{chooser}
<button type="button" id="pv-reset">Reset attempt</button>
<button type="button" id="pv-relaunch">Exit and relaunch</button></div>
<div class="pv-play">
<iframe id="pv-frame" title="Course" src="about:blank"></iframe>
<section class="pv-panel" aria-labelledby="pv-cmi-title"><h2 id="pv-cmi-title">CMI data</h2>
<p id="pv-session"></p><table id="pv-cmi"><thead><tr><th scope=col>Element</th>
<th scope=col>Value</th></tr></thead><tbody></tbody></table>
<h2>API calls</h2><ol id="pv-log" reversed></ol></section></div>
<script type="application/json" id="pv-config">{html.escape(config, quote=False)}</script>"""
    return _page(site, package.title, body, '<script src="/_preview/scorm-emu.js"></script>')


def _safe_file(root: Path, relative: str) -> Path | None:
    return inside_file(root, relative)


async def _watch(site: PreviewSite, stop: anyio.Event) -> None:
    from watchfiles import awatch

    paths = [str(site.project / p) for p in WATCHED if (site.project / p).exists()]
    async for changes in awatch(*paths, stop_event=stop, debounce=300):
        log.info("changed: %s", ", ".join(sorted({Path(c[1]).name for c in changes})))
        await anyio.to_thread.run_sync(site.rebuild)


def create_app(site: PreviewSite, watch: bool = True) -> Starlette:
    """The preview app for ``site`` (built once at start; rebuilt when sources change)."""

    async def index(request: Request) -> Response:
        return _index(site)

    async def play(request: Request) -> Response:
        return _player(site, request.path_params["name"], request.query_params.get("sco", ""))

    async def package_file(request: Request) -> Response:
        path = _safe_file(site.site_dir / request.path_params["name"],
                          request.path_params["path"])
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    async def descriptor(request: Request) -> Response:
        path = _safe_file(site.site_dir / DESCRIPTORS, request.path_params["name"])
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    async def static(request: Request) -> Response:
        path = _safe_file(STATIC, request.path_params["path"])
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(path, headers={"Cache-Control": "no-store"})

    async def status(request: Request) -> Response:
        return JSONResponse({"generation": site.generation, "ok": site.failure is None})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if site.generation == 0:
            await anyio.to_thread.run_sync(site.rebuild)
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:
            if watch:
                tasks.start_soon(_watch, site, stop)
            try:
                yield
            finally:
                stop.set()
                tasks.cancel_scope.cancel()

    return Starlette(routes=[
        Route("/", index),
        Route("/play/{name}", play),
        Route("/pkg/{name}/{path:path}", package_file),
        Route("/descriptor/{name}", descriptor),
        Route("/_preview/status", status),
        Route("/_preview/{path:path}", static),
    ], lifespan=lifespan)
