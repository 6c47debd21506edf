"""The server side of ``moodle_like.html``: what Moodle 4.3 stores, and when it completes.

It serves the unpacked packages and takes the runtime's posts at ``/datamodel.php``
(a form, or a beacon's multipart form), keeping each element as Moodle's
``scorm_insert_track()`` does: in the order posted, and evaluating the activity's
completion status rule when a score arrives (mod/scorm/locallib.php), against the
statuses stored by then. Values Moodle's 2004 runtime would refuse (its CMIDecimal:
at most 5 integer digits) are counted as refused.
"""

from __future__ import annotations

import email.parser
import email.policy
import functools
import http.server
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DECIMAL_2004 = re.compile(r"^-?([0-9]{1,5})(\.[0-9]{1,18})?$")
"""Moodle 4.3 mod/scorm/datamodels/scorm_13.js: CMIDecimal."""
DECIMAL_12 = re.compile(r"^-?([0-9]{0,3})(\.[0-9]*)?$")
"""Moodle 4.3 mod/scorm/datamodels/scorm_12.js: CMIDecimal."""
DECIMALS = re.compile(r"^cmi\.(core\.)?score\.(raw|min|max|scaled)$|^cmi\.progress_measure$|"
                      r"^cmi\.interactions\.\d+\.weighting$")
STATUS = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status")
SCORE = ("cmi.core.score.raw", "cmi.score.raw")


@dataclass
class Post:
    """One post as the server took it."""

    beacon: bool
    size: int
    elements: list[tuple[str, str]]


@dataclass
class MoodleLike:
    """What the server stored, per the rules of Moodle's SCORM module."""

    rule: frozenset[str] = frozenset({"passed", "completed"})
    """The activity's "Require status" rule (any of these statuses)."""
    tracks: dict[str, str] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    complete: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, post: Post, version: str) -> None:
        with self.lock:
            self.posts.append(post)
            for element, value in post.elements:
                if self._refuse(element, value, version, post.elements):
                    self.refused.append((element, value))
                    continue
                self.tracks[element] = value
                if element in SCORE:
                    self.complete = self.complete or any(
                        self.tracks.get(name) in self.rule for name in STATUS)

    @staticmethod
    def _refuse(element: str, value: str, version: str, others: list[tuple[str, str]]) -> bool:
        pattern = DECIMAL_12 if version == "1.2" else DECIMAL_2004
        if DECIMALS.match(element):
            return not pattern.match(value)
        match = re.match(r"^cmi\.interactions\.(\d+)\.learner_response$", element)
        if match and version == "2004":
            kind = dict(others).get(f"cmi.interactions.{match.group(1)}.type")
            return kind == "numeric" and not DECIMAL_2004.match(value)
        return False

    def wait_for(self, element: str, timeout: float = 10.0) -> str:
        """The stored value of ``element``, once a post brings it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if element in self.tracks:
                    return self.tracks[element]
            time.sleep(0.05)
        raise AssertionError(f"{element} never stored; posts: {len(self.posts)}")


def _form(body: bytes, content_type: str) -> tuple[list[tuple[str, str]], str]:
    """The posted (element, value) pairs in order, and the SCORM version."""
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        pairs = [(str(part.get_param("name", header="content-disposition")),
                  bytes(part.get_payload(decode=True) or b"").decode("utf-8"))
                 for part in message.iter_parts()]
    else:
        pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
    version = "1.2" if any(name.startswith("cmi__core__") for name, _ in pairs) else "2004"
    version = dict(pairs).get("version", version)
    elements = [(name.replace("__", "."), value) for name, value in pairs
                if name.startswith("cmi__")]
    return elements, version


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: MoodleLike

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        elements, version = _form(body, self.headers.get("Content-Type", ""))
        beacon = "api=beacon" in self.path
        self.state.take(Post(beacon, length, elements), version)
        answer = b"true\n0\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class MoodleLikeServer:
    """The packages under ``root`` and ``/datamodel.php``, on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        self.state = MoodleLike()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reset(self, rule: frozenset[str] = frozenset({"passed", "completed"})) -> MoodleLike:
        """A new learner's attempt, with the activity's status rule."""
        self.state.__init__(rule=rule)  # type: ignore[misc]
        return self.state

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
