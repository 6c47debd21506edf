"""The collector's web application: ``create_app(settings)`` builds the Starlette app.

This module is the one place where errors become HTTP statuses: a
:class:`~mirco_lms.errors.MircoError` answers its ``.status`` with
``{"error", "path", "rule", "hint"}``; anything else is logged and answers a plain 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mirco_lms.errors import MircoError, TooManyRequests, XapiValidationError
from mirco_lms.lrs import auth
from mirco_lms.lrs.auth import Authenticator
from mirco_lms.lrs.http import report_routes, routes, verify_routes
from mirco_lms.lrs.http.request import XapiCall, read_call
from mirco_lms.lrs.settings import LrsSettings
from mirco_lms.lrs.store import StatementStore, open_store
from mirco_lms.lrs.store.clock import iso
from mirco_lms.lrs.validation import rules

log = logging.getLogger(__name__)
access_log = logging.getLogger("mirco_lms.lrs.access")
PREFIX = "/xapi"
CONSISTENT = "X-Experience-API-Consistent-Through"
HANDLER_THREADS = 40
"""Threads running handlers (blocking store calls); as many as Starlette's default pool."""
INLINE_BODY_BYTES = 16 * 1024
"""Statement writes up to this size are checked on the event loop (a few statements:
well under a millisecond); larger batches are checked in a handler thread."""
Handler = Callable[[routes.Lrs, XapiCall, auth.Principal, str], Response]
EXPOSED = [
    "ETag",
    "Last-Modified",
    "X-Experience-API-Consistent-Through",
    "X-Experience-API-Version",
    "Content-Type",
    "Location",
]


def error_response(exc: BaseException) -> Response:
    """Any exception → the response the client gets (the only mapping of errors)."""
    if isinstance(exc, MircoError):
        status = int(getattr(exc, "status", 400))
        path = (
            exc.path
            if isinstance(exc, XapiValidationError)
            else (exc.location.json_path if exc.location else None)
        )
        body = {"error": exc.message, "path": path, "rule": getattr(exc, "rule", None)}
        if exc.hint:
            body["hint"] = exc.hint
        headers = {"WWW-Authenticate": 'Basic realm="xAPI"'} if status == 401 else None
        if status == 503:
            headers = {"Retry-After": "1"}
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(body, status_code=status, headers=headers)
    log.error("unexpected error while answering a request", exc_info=exc)
    return JSONResponse(
        {"error": "internal server error", "path": None, "rule": None}, status_code=500
    )


def _process(
    lrs: routes.Lrs, resource: str, handler: Handler, call: XapiCall, scope: Scope
) -> Response:
    principal = lrs.authenticator.authenticate(call.headers.get("authorization"))
    version = _authorize(principal, resource, call, scope)
    return handler(lrs, call, principal, version)


def _authorize(principal: auth.Principal, resource: str, call: XapiCall, scope: Scope) -> str:
    """The xAPI version of the call, once ``principal`` may make it (403 if not)."""
    scope.setdefault("state", {})["credential"] = principal.name
    version = rules.negotiate_version(call.headers.get("x-experience-api-version"))
    auth.require(principal, resource, "GET" if call.method == "HEAD" else call.method)
    return version


def _inline_write(
    lrs: routes.Lrs, resource: str, call: XapiCall, scope: Scope
) -> routes.Pending | None:
    """A small statement write checked on the event loop and queued to the store's
    writer, when its credential is in the cache (no store read, no hashing): the
    request then takes no handler thread at all. None: the call takes the usual path."""
    if (
        resource != "statements"
        or call.method not in ("POST", "PUT")
        or len(call.body) > INLINE_BODY_BYTES
    ):
        return None
    principal = lrs.authenticator.cached(call.headers.get("authorization"))
    if principal is None:
        return None
    version = _authorize(principal, resource, call, scope)
    return routes.submit_statements(lrs, call, principal, version)


def _endpoint(
    lrs: routes.Lrs,
    path: str,
    resource: str,
    handler: Handler | None,
    threads: ThreadPoolExecutor,
) -> Callable[[Request], Any]:
    """The endpoint of one resource. Handlers run on ``threads`` through the event
    loop's own executor hand-off, which costs a fraction of anyio's ``to_thread`` (its
    capacity limiter and cancel scopes) on every request."""

    async def endpoint(request: Request) -> Response:
        default = lrs.settings.xapi_version
        version = _answer_version(request.headers.get("x-experience-api-version"), default)
        started = iso(time.time_ns() // 1000)
        head = False
        try:
            url_path = request.url.path.rstrip("/")
            prefix = url_path[: -len(path)] if url_path.endswith(path) else PREFIX
            call = await read_call(
                request, lrs.settings.max_body_bytes, prefix, lrs.settings.base_url
            )
            head = call.method == "HEAD"
            version = _answer_version(call.headers.get("x-experience-api-version"), default)
            if handler is not None:
                # a flood of wrong secrets is answered here, taking no handler thread
                lrs.authenticator.refuse_if_throttled(call.headers.get("authorization"))
            if handler is None:
                response = routes.about(lrs, call)
            elif pending := _inline_write(lrs, resource, call, request.scope):
                await asyncio.wrap_future(pending.stored)
                response = pending.response
            else:
                response = await asyncio.get_running_loop().run_in_executor(
                    threads, _process, lrs, resource, handler, call, request.scope
                )
        except Exception as exc:  # noqa: BLE001 - this is the one place errors become statuses
            response = error_response(exc)
        response.headers["X-Experience-API-Version"] = version
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if resource == "statements" and request.method in ("GET", "HEAD"):
            # on every answer to a GET, errors included (xAPI 1.0.3 §7.2.3, XAPI-00153)
            response.headers.setdefault(CONSISTENT, started)
        if head:
            return _head(response)
        return response

    return endpoint


def _answer_version(header: str | None, default: str) -> str:
    """The version an answer names: the one of the request, else the LRS's default
    (xAPI 2.0 §4.1.2: every response has ``X-Experience-API-Version``)."""
    if not header or not header.strip():
        return default
    return "2.0.0" if header.strip().startswith("2") else "1.0.3"


def _head(response: Response) -> Response:
    headers = dict(response.headers)
    headers["content-length"] = str(len(response.body))
    return Response(b"", status_code=response.status_code, headers=headers)


class AccessLog:
    """One JSON line per request on the ``mirco_lms.lrs.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            line = json.dumps(
                {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": (scope.get("client") or ("", 0))[0],
                    "credential": scope.get("state", {}).get("credential"),
                }
            )
            # the record is made directly: Logger.info would first walk the stack to
            # find the caller (for %(pathname)s, unused here), a third of the cost
            access_log.handle(
                access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, line, (), None)
            )


class XapiRouter(Router):
    """The routes of the xAPI resources. A request for a resource's exact path with a
    method it takes goes straight to its endpoint (one dict lookup instead of a regular
    expression per route); anything else — 405, 404, a trailing slash — is routed by
    Starlette as usual."""

    def __init__(self, routes: list[Route]) -> None:
        super().__init__(routes=list(routes))
        self.direct = {route.path: (route.methods or set(), route.app) for route in routes}

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, root = scope["path"], scope.get("root_path", "")
            direct = self.direct.get(path[len(root) :] if path.startswith(root) else path)
            if direct is not None and scope["method"] in direct[0]:
                scope["path_params"] = {}
                await direct[1](scope, receive, send)
                return
        await super().app(scope, receive, send)


RESOURCES: list[tuple[str, str, Handler | None, list[str]]] = [
    ("/statements", "statements", routes.statements, ["GET", "HEAD", "PUT", "POST"]),
    ("/activities/state", "state", routes.state, ["GET", "HEAD", "PUT", "POST", "DELETE"]),
    (
        "/activities/profile",
        "activity_profile",
        routes.activity_profile,
        ["GET", "HEAD", "PUT", "POST", "DELETE"],
    ),
    ("/activities", "activities", routes.activities, ["GET", "HEAD", "POST"]),
    (
        "/agents/profile",
        "agent_profile",
        routes.agent_profile,
        ["GET", "HEAD", "PUT", "POST", "DELETE"],
    ),
    ("/agents", "agents", routes.agents, ["GET", "HEAD", "POST"]),
    ("/about", "about", None, ["GET", "HEAD"]),
]


def create_app(
    settings: LrsSettings | None = None, store: StatementStore | None = None
) -> Starlette:
    """The LRS as an ASGI app, with the xAPI resources under ``/xapi/``."""
    settings = settings or LrsSettings.from_env()
    store = store or open_store(settings.db, writer=settings.writer)
    lrs = routes.Lrs(store, settings, Authenticator(store, settings.credential_cache_seconds))
    threads = ThreadPoolExecutor(HANDLER_THREADS, thread_name_prefix="mirco-lrs-handler")
    xapi_routes = [
        Route(path, _endpoint(lrs, path, resource, handler, threads), methods=methods)
        for path, resource, handler, methods in RESOURCES
    ]
    middleware = [Middleware(AccessLog)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"],
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "X-Experience-API-Version",
                    "If-Match",
                    "If-None-Match",
                    "Accept-Language",
                ],
                expose_headers=EXPOSED,
                allow_credentials="*" not in settings.cors_origins,
            )
        )
    reports = report_routes.routes(lrs, error_response)
    public = verify_routes.routes(lrs, error_response)
    app = Starlette(
        routes=[Mount(PREFIX, app=XapiRouter(xapi_routes)), *reports, *public],
        middleware=middleware,
    )
    app.state.lrs = lrs
    return app


def create_app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` (several workers): settings from ``MIRCO_*``."""
    return create_app(LrsSettings.from_env())
