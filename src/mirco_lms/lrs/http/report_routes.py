"""``GET /reports/<kind>``: the reports of ``mirco report`` (every kind registered in
:mod:`mirco_lms.reports.kinds`), served by the collector.

Query parameters: ``course``, ``lang``, ``institution``, ``country``, ``since``, ``until``,
``by``, ``table`` (one table only: gain's ``summary`` or ``pairs``), ``format`` (``json``
default, ``csv``, ``html``). HTTP Basic credentials with a
read scope (``statements/read``, ``all/read`` or ``all``) are required; a bad parameter
answers 400 naming it, like the xAPI resources.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mirco_lms.errors import BadRequest, Forbidden
from mirco_lms.params import choice
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.render import MEDIA_TYPES as MEDIA
from mirco_lms.reports.render import render_text
from mirco_lms.reports.run import build_report

READ_SCOPES = frozenset({"statements/read", "all/read", "all"})
PARAMS = {"course", "lang", "institution", "country", "since", "until", "by", "table",
          "format"}


def _answer(lrs: Any, kind: str, params: dict[str, str], authorization: str | None) -> Response:
    principal = lrs.authenticator.authenticate(authorization)
    if not principal.scopes & READ_SCOPES:
        raise Forbidden(
            f"the credential {principal.name!r} may not read reports",
            hint=f"it needs one of the scopes: {', '.join(sorted(READ_SCOPES))}",
        )
    unknown = sorted(set(params) - PARAMS)
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}",
                         hint=f"parameters: {', '.join(sorted(PARAMS))}")
    fmt = choice(params, "format", tuple(MEDIA), "json")
    spec = parse_spec(
        kind, course=params.get("course"), language=params.get("lang"),
        institution=params.get("institution"), country=params.get("country"),
        since=params.get("since"), until=params.get("until"), by=params.get("by"),
    )
    report = build_report(lrs.store, spec)
    if "table" in params:
        report = report.only(params["table"])
    return Response(render_text(report, fmt), media_type=MEDIA[fmt],
                    headers={"Cache-Control": "no-store"})


def routes(lrs: Any, error_response: Callable[[BaseException], Response]) -> list[Route]:
    """The report routes, answering errors through the app's ``error_response``."""

    async def endpoint(request: Request) -> Response:
        try:
            return await run_in_threadpool(
                _answer, lrs, request.path_params["kind"], dict(request.query_params),
                request.headers.get("authorization"),
            )
        except Exception as exc:  # noqa: BLE001 - handed to the app's single error mapping
            return error_response(exc)

    return [Route("/reports/{kind}", endpoint, methods=["GET"])]
