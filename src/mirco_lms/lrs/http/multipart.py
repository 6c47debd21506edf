"""``multipart/mixed`` bodies of statements with attachments (xAPI 1.0.3 §2.4.11)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from mirco_lms.errors import BadRequest


@dataclass(frozen=True)
class Part:
    headers: dict[str, str] = field(default_factory=dict)
    """Header names lower-cased."""
    content: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream")


def boundary_of(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "boundary" and value:
            return value.strip().strip('"')
    raise BadRequest("multipart/mixed without a boundary", hint="set boundary= in Content-Type")


def parse(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart body into parts; a malformed body is a 400."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    if not body.startswith(delimiter):
        start = body.find(b"\r\n" + delimiter)
        if start < 0:
            raise BadRequest("multipart body without its boundary")
        body = body[start + 2 :]
    chunks = body.split(b"\r\n" + delimiter)
    chunks[0] = chunks[0][len(delimiter) :]
    parts: list[Part] = []
    for chunk in chunks:
        if chunk.startswith(b"--"):
            return parts
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise BadRequest("a multipart part has no blank line after its headers")
        parts.append(Part(_headers(head), content))
    raise BadRequest("multipart body without its closing boundary")


def _headers(head: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").split("\r\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(f"malformed multipart header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    return headers


def build(parts: Sequence[Part]) -> tuple[bytes, str]:
    """A multipart/mixed body and its Content-Type."""
    boundary = secrets.token_hex(16)
    out = bytearray()
    for part in parts:
        out += f"--{boundary}\r\n".encode()
        for name, value in part.headers.items():
            out += f"{name}: {value}\r\n".encode("latin-1")
        out += b"\r\n" + part.content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/mixed; boundary={boundary}"


def sha2_matches(sha2: str, content: bytes) -> bool:
    """Whether ``content`` has the SHA-2 hex digest ``sha2`` (SHA-224/256/384/512)."""
    algo = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}.get(len(sha2))
    return algo is not None and hashlib.new(algo, content).hexdigest() == sha2.lower()
