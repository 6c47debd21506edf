"""Public routes of issued certificates: no login.

- ``GET /verify/<code>``: an HTML page (in the language of ``Accept-Language``, else
  English) with the learner's name, the course, the date and the status (valid, or
  revoked and when) — nothing else. Unknown and malformed codes answer one and the same
  404 page after the same single read; each client address may ask
  ``verify_per_minute`` times a minute (then 429 with ``Retry-After``).
- ``GET /.well-known/jwks.json``: the public keys certificates were signed with (JWK Set).
- ``GET /.well-known/did.json`` (and ``/did.json``): the DID document of the issuer,
  ``did:web`` of the LRS's public address, listing the same keys.
"""

from __future__ import annotations

import gettext
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mirco_lms.certificates import badge, keys, records
from mirco_lms.certificates.pdf import ui_language
from mirco_lms.i18n.formatting import format_date
from mirco_lms.lrs.http.request import languages
from mirco_lms.render.theme import Theme

TEMPLATE = "certificates/verify.html"
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow",
           "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
WINDOW = 60.0


class RateLimit:
    """At most ``limit`` requests per client address in any ``window`` seconds."""

    def __init__(self, limit: int, window: float = WINDOW) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """None when ``client`` may go on (the request is counted), else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 100_000:
                self._seen.clear()
            seen = self._seen.setdefault(client, deque())
            while seen and now - seen[0] >= self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return max(1, math.ceil(self.window - (now - seen[0])))
            seen.append(now)
        return None


class VerifyPages:
    """Renders the verification page in the caller's language."""

    def __init__(self) -> None:
        self.theme = Theme.for_project(None)
        self._catalogs: dict[str, gettext.NullTranslations] = {}

    def language(self, accept: str | None) -> str:
        for tag in languages(accept):
            found = ui_language(tag)
            if found is not None:
                return found
        return "en"

    def render(self, language: str, certificate: records.Certificate | None,
               throttled: bool = False) -> str:
        context: dict[str, object] = {
            "language": language, "certificate": certificate, "throttled": throttled,
            "issued": _date(certificate.issued, language) if certificate else "",
            "revoked": _date(certificate.revoked, language)
            if certificate and certificate.revoked else "",
        }
        return self.theme.render(TEMPLATE, context, self._translations(language))

    def _translations(self, language: str) -> gettext.NullTranslations:
        if language == "en":
            return gettext.NullTranslations()
        if language not in self._catalogs:
            from mirco_lms.i18n.ui import ui_translations

            self._catalogs[language] = ui_translations(language)
        return self._catalogs[language]


def _date(text: str, language: str) -> str:
    return format_date(date.fromisoformat(text[:10]), language)


def routes(lrs: Any, error_response: Callable[[BaseException], Response]) -> list[Route]:
    """The public certificate routes, answering errors through the app's ``error_response``."""
    limit = RateLimit(lrs.settings.verify_per_minute)
    pages = VerifyPages()

    def page(code: str, accept: str | None) -> HTMLResponse:
        found = records.lookup(lrs.store, code)
        language = pages.language(accept)
        return HTMLResponse(pages.render(language, found), status_code=200 if found else 404,
                            headers=HEADERS)

    async def verify(request: Request) -> Response:
        try:
            client = request.client.host if request.client else ""
            wait = limit.retry_after(client)
            accept = request.headers.get("accept-language")
            if wait is not None:
                body = pages.render(pages.language(accept), None, throttled=True)
                return HTMLResponse(body, status_code=429,
                                    headers={**HEADERS, "Retry-After": str(wait)})
            return await run_in_threadpool(page, request.path_params["code"], accept)
        except Exception as exc:  # noqa: BLE001 - handed to the app's single error mapping
            return error_response(exc)

    def public_keys() -> list[dict[str, Any]]:
        return [json.loads(text) for text in records.public_keys(lrs.store)]

    async def jwks(request: Request) -> Response:
        try:
            found = await run_in_threadpool(public_keys)
            return JSONResponse(keys.jwks(found), media_type="application/jwk-set+json")
        except Exception as exc:  # noqa: BLE001 - handed to the app's single error mapping
            return error_response(exc)

    async def did(request: Request) -> Response:
        try:
            found = await run_in_threadpool(public_keys)
            base = lrs.settings.base_url or lrs.settings.bind_url
            return JSONResponse(badge.did_document(base, found),
                                media_type="application/did+json")
        except Exception as exc:  # noqa: BLE001 - handed to the app's single error mapping
            return error_response(exc)

    return [
        Route("/verify/{code}", verify, methods=["GET", "HEAD"]),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
        Route("/.well-known/did.json", did, methods=["GET"]),
        Route("/did.json", did, methods=["GET"]),
    ]
