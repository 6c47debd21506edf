"""Reading an xAPI request: body size limit, the alternate request syntax and the
refusal of cross-site requests riding on a browser's remembered credentials.

The alternate syntax (xAPI 1.0.3 §7.8 "Cross Origin Requests") lets a browser send any
request as a form POST: ``?method=PUT`` in the URL, headers and ``content`` as form fields.
:func:`read_call` turns both kinds into the same :class:`XapiCall`. xAPI 2.0 dropped it
(Communication 1.3): only a form naming version 1.0.x is taken.

A browser adds a remembered Basic login (an analyst's) to any request to the LRS's origin,
also to a form a foreign page submits. Such a request is *cross-site* (``Sec-Fetch-Site``,
or else an ``Origin`` other than the LRS's) and was not preflighted (``Sec-Fetch-Mode``
other than ``cors``, or else a form's content type): its ``Authorization`` header is the
browser's, not the page's. It is refused with 403; an alternate-syntax form may still
carry its own ``Authorization`` field, which is then the only credential used. Packages
calling the LRS from their own origin with ``fetch`` and an explicit ``Authorization``
header are preflighted (``Sec-Fetch-Mode: cors``) and go through.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.requests import Request

from mirco_lms.errors import BadRequest, Forbidden, PayloadTooLarge

FORM_HEADERS = (
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
)
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
"""Content types a page can POST cross-site without a CORS preflight."""


@dataclass
class XapiCall:
    """One xAPI request, whichever syntax it came in."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes
    base_url: str
    """``scheme://host[:port]`` the request came in on."""
    prefix: str
    """Path of the xAPI root, such as ``/xapi``."""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(
            f"the request body is {declared} bytes; the limit is {limit}",
            hint="send fewer statements per request (MIRCO_MAX_BODY_BYTES)",
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"the request body is over the limit of {limit} bytes",
                hint="send fewer statements per request (MIRCO_MAX_BODY_BYTES)",
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def read_call(
    request: Request, limit: int, prefix: str, public_url: str | None = None
) -> XapiCall:
    """The request as an :class:`XapiCall` (``public_url``: the LRS's own origin when
    it is served under another name than the request's, e.g. behind a TLS proxy)."""
    body = await read_body(request, limit)
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in params:
            raise BadRequest(f"parameter {name!r} given more than once")
        params[name] = _no_nul(name, value)
    call = XapiCall(
        method=request.method,
        params=params,
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
        base_url=f"{request.url.scheme}://{request.url.netloc}",
        prefix=prefix,
    )
    ambient = _ambient_credentials(call, public_url)
    if call.method == "POST" and "method" in params:
        return _alternate(call, ambient)
    if ambient:
        raise _cross_site()
    return call


def _no_nul(name: str, value: str) -> str:
    """``value``, refused when it (or its name) holds U+0000, which no IRI, id or JSON
    parameter may carry and PostgreSQL cannot store in text."""
    if "\x00" in name or "\x00" in value:
        raise BadRequest(
            f"parameter {name.replace(chr(0), '?')!r} contains a NUL character (U+0000)",
            hint="remove the %00 from the query",
        )
    return value


def _cross_site() -> Forbidden:
    return Forbidden(
        "a cross-site request with the browser's remembered credentials is refused",
        hint="call the LRS with fetch and an explicit Authorization header, from an "
        "origin in MIRCO_CORS_ORIGINS",
    )


def _ambient_credentials(call: XapiCall, public_url: str | None) -> bool:
    """Whether the call's ``Authorization`` header was added by a browser to a request
    a foreign page made without a preflight (a form, a link, ``no-cors`` fetch)."""
    if "authorization" not in call.headers:
        return False
    site = call.headers.get("sec-fetch-site")
    if site is not None:
        cross = site.strip().lower() in ("cross-site", "same-site")
    else:
        origin = call.headers.get("origin")
        cross = origin is not None and origin.rstrip("/") not in (call.base_url, public_url)
    if not cross:
        return False
    mode = call.headers.get("sec-fetch-mode")
    if mode is not None:
        return mode.strip().lower() != "cors"
    # a browser without Fetch Metadata: a form's POST is the request no preflight guards
    return call.method == "POST" and (call.media_type in FORM_TYPES or not call.media_type)


def _alternate(call: XapiCall, ambient: bool) -> XapiCall:
    if set(call.params) != {"method"}:
        extra = sorted(set(call.params) - {"method"})[0]
        raise BadRequest(
            f"with ?method=, parameter {extra!r} must be a form field, not in the URL",
            hint="the alternate request syntax allows only method in the query string",
        )
    method = call.params["method"].upper()
    if method not in METHODS:
        raise BadRequest(f"method={call.params['method']!r} is not an xAPI method")
    if call.media_type != "application/x-www-form-urlencoded":
        raise BadRequest(
            "the alternate request syntax needs Content-Type: application/x-www-form-urlencoded"
        )
    try:
        form = parse_qs(call.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise BadRequest("the form body is not UTF-8") from exc
    dropped = ("content-type", "content-length") + (("authorization",) if ambient else ())
    headers = {k: v for k, v in call.headers.items() if k not in dropped}
    params: dict[str, str] = {}
    body = b""
    for name, values in form.items():
        value = values[-1]
        if name.lower() in FORM_HEADERS:
            headers[name.lower()] = value
        elif name == "content":
            body = value.encode("utf-8")
        else:
            params[name] = _no_nul(name, value)
    if ambient and "authorization" not in headers:
        raise _cross_site()
    version = headers.get("x-experience-api-version", "").strip()
    if version and not version.startswith("1.0"):
        raise BadRequest(
            f"the alternate request syntax is for xAPI 1.0.x; this form names {version!r}",
            hint="xAPI 2.0 has none: send the method, headers and content as a normal request",
        )
    if body and "content-type" not in headers:
        headers["content-type"] = "application/json"
    return XapiCall(
        method=method,
        params=params,
        headers=headers,
        body=body,
        base_url=call.base_url,
        prefix=call.prefix,
    )


def languages(header: str | None) -> list[str]:
    """``Accept-Language`` → language tags, most preferred first."""
    if not header:
        return []
    ranked = []
    for index, item in enumerate(header.split(",")):
        tag, _, q = item.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]
