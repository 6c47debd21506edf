"""The build cache: fingerprints of module sources and what the last build produced.

The cache lives in ``<out>/.mirco-build.json``: per module, the fingerprint (``key``) of
everything its output depends on, its languages and its outputs: files with their sizes,
folders with their listing (see :class:`~mirco_lms.formats.Output`). A module whose
fingerprint matches and whose outputs are all there, intact, is up to date.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mirco_lms.config import ProjectConfig
from mirco_lms.formats import Output, registry
from mirco_lms.i18n.pipeline import content_files, ui_files
from mirco_lms.render.theme import digest_files

log = logging.getLogger(__name__)

CACHE_FILE = ".mirco-build.json"
CACHE_SCHEMA = 2
DESCRIPTOR = "descriptor"
"""The format key of course descriptors in the cache (built with every module)."""


def digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def folder_digest(folder: Path) -> str:
    """Hash of every file in a module folder (names and contents)."""
    files = sorted(
        (p.relative_to(folder).as_posix(), p) for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    return digest_files(files)



def read_cache(out_dir: Path) -> dict[str, Any]:
    """The cache's module entries; an unreadable or foreign cache counts as empty."""
    path = out_dir / CACHE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring the build cache %s: %s", path, exc)
        return {}
    if not isinstance(data, dict) or data.get("schema") != CACHE_SCHEMA:
        return {}
    modules = data.get("modules")
    return modules if isinstance(modules, dict) else {}


def wanted(formats: Sequence[str], languages: Sequence[str]) -> list[str]:
    """Cache output keys (``lang/format``) a module in ``languages`` must have."""
    every = (*formats, *registry.implicit())
    return [f"{lang}/{fmt}" for lang in languages for fmt in dict.fromkeys(every)]


def stale_languages(
    entry: object, key: str, language_keys: dict[str, str], languages: Sequence[str],
    out_dir: Path, formats: Sequence[str],
) -> tuple[str, ...]:
    """The languages of a module whose packages are missing or out of date.

    All of them when the module's own fingerprint ``key`` changed; otherwise those whose
    catalogs changed (``language_keys``) or whose outputs are not all there.
    """
    if not isinstance(entry, dict) or entry.get("key") != key:
        return tuple(languages)
    known = entry.get("language_keys", {})
    return tuple(
        lang for lang in languages
        if not isinstance(known, dict) or known.get(lang) != language_keys[lang]
        or not outputs_exist(entry, out_dir, formats, lang)
    )


def outputs_exist(entry: dict[str, Any], out_dir: Path, formats: Sequence[str],
                  language: str) -> bool:
    """Whether every output of ``language`` in the cache ``entry`` is there, intact."""
    outputs = entry.get("outputs", {})
    for name in wanted(formats, [language]):
        out = outputs.get(name) if isinstance(outputs, dict) else None
        if not isinstance(out, dict) or not Output.intact(out, out_dir):
            return False
    return True


def language_keys(config: ProjectConfig, slug: str, languages: Sequence[str]) -> dict[str, str]:
    """Per language, a hash of the content and UI catalogs that language is built from."""
    root = config.translations_dir
    return {
        lang: digest(lang, digest_files(content_files(root, slug, lang)),
                     digest_files(ui_files(root, lang)))
        for lang in languages
    }
