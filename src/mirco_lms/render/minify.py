"""The learner runtime as shipped: its JavaScript and CSS minified at build time.

rjsmin and rcssmin (PyPI) only drop comments and white space — no renaming, no rewriting —
so what runs is the source as written, a third smaller once gzipped (the runtime's budget is
30 KB gzipped, JS and CSS together).
"""

from __future__ import annotations

import rcssmin
import rjsmin


def minify_js(source: bytes) -> bytes:
    """``source`` without comments and needless white space (``/*! … */`` comments kept)."""
    return str(rjsmin.jsmin(source.decode("utf-8"), keep_bang_comments=True)).encode("utf-8")


def minify_css(source: bytes) -> bytes:
    """``source`` CSS without comments and needless white space."""
    return str(rcssmin.cssmin(source.decode("utf-8"), keep_bang_comments=True)).encode("utf-8")
