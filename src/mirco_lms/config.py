"""Settings: the course project's ``mirco.toml`` and the collector's ``MIRCO_*`` environment.

``ProjectConfig.load(path)`` reads and validates ``mirco.toml``; every error names the
key (``[build].formats``) and the line of the file where it can be fixed.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mirco_lms.course.accreditation import AccreditationRules
from mirco_lms.errors import ConfigError, Location
from mirco_lms.formats import registry

CONFIG_FILE = "mirco.toml"


@dataclass(frozen=True)
class BuildSettings:
    """``[build]``: what ``mirco build`` makes by default."""

    formats: tuple[str, ...] = field(default_factory=registry.default_names)
    """Output format names (:mod:`mirco_lms.formats`); default: the registry's defaults."""
    out: str = "dist"
    sco_per_lesson: bool = False
    max_file_kb: int = 10240
    """Size budget of one image or media file: the build warns above it."""
    max_package_kb: int = 51200
    """Size budget of a package's images and media together: the build warns above it."""


@dataclass(frozen=True)
class I18nSettings:
    """``[i18n]``: the languages every module is built in."""

    languages: tuple[str, ...] = ("en",)
    coverage_threshold: int = 100
    """Percent of a module's segments that must be translated for a language to build."""


@dataclass(frozen=True)
class TrackingSettings:
    """``[tracking]``: xAPI tracking from packages (optional)."""

    endpoint: str | None = None
    key: str | None = None
    secret: str | None = None
    activity_base: str = "https://example.org/mirco"
    """Base IRI of activity ids: ``<base>/<module id>/<lesson id>``."""
    homepage: str = "https://example.org/lms"
    """The LMS home page: learners' accounts are ``{homePage, name}`` on it."""

    @property
    def enabled(self) -> bool:
        """Packages send xAPI statements (an endpoint and its credential are configured)."""
        return bool(self.endpoint and self.key and self.secret)


@dataclass(frozen=True)
class ProjectConfig:
    """A course project: the folder holding ``mirco.toml`` and ``modules/``."""

    root: Path
    name: str = "Course catalogue"
    organization: str = ""
    institution: str = ""
    country: str = ""
    build: BuildSettings = field(default_factory=BuildSettings)
    i18n: I18nSettings = field(default_factory=I18nSettings)
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    db: str | None = None
    """``[lrs].db``: the collector's database URL (default: SQLite file in the project)."""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    accreditation: AccreditationRules = field(default_factory=AccreditationRules)
    """``[accreditation]``: rules of the accreditation checks."""
    localized: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    """``[project]`` fields written per language (``organization = {en = "…", mk = "…"}``):
    key → language → text. The plain attribute holds the text of the first language."""

    def project_text(self, key: str, language: str) -> str:
        """``[project].<key>`` in ``language`` (its plain value when not given in it)."""
        texts = self.localized.get(key, {})
        return texts.get(language) or str(getattr(self, key))

    @property
    def modules_dir(self) -> Path:
        return self.root / "modules"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def out_dir(self) -> Path:
        return self.root / self.build.out

    @property
    def default_db_url(self) -> str:
        """``MIRCO_DB``, else ``[lrs].db``, else ``sqlite:///<project>/.mirco/lrs.sqlite3``."""
        env = os.environ.get("MIRCO_DB")
        if env:
            return env
        if self.db:
            return self.db
        return f"sqlite:///{(self.root / '.mirco' / 'lrs.sqlite3').resolve()}"

    @classmethod
    def load(cls, root: Path) -> ProjectConfig:
        """Read ``root/mirco.toml``; a project without one is an error that says so."""
        path = root / CONFIG_FILE
        if not path.is_file():
            raise ConfigError(
                f"no {CONFIG_FILE} in {str(root)!r}",
                location=Location(file=path),
                hint="run mirco in a course project folder, or pass --project DIR",
            )
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(
                "the file is not UTF-8", location=Location(file=path), hint="save it as UTF-8"
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            if line is None:  # Python 3.11 puts the position only in the message
                found = re.search(r"at line (\d+)", str(exc))
                line = int(found.group(1)) if found else None
            raise ConfigError(
                f"invalid TOML: {exc}", location=Location(file=path, line=line)
            ) from exc
        return _from_dict(root, path, data)


def _line_of(path: Path, section: str, key: str | None = None) -> int | None:
    """The line of ``[section]`` (or of ``key`` inside it) in the TOML text, for errors."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    in_section = section == ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.strip("[] ") == section
            if in_section and key is None:
                return number
            continue
        if in_section and key and stripped.split("=", 1)[0].strip() == key:
            return number
    return None


def _get(
    data: dict[str, Any], path: Path, section: str, key: str, kind: type | tuple[type, ...],
    default: Any,
) -> Any:
    table = data.get(section, {}) if section else data
    if not isinstance(table, dict):
        raise ConfigError(
            f"[{section}] must be a table", location=Location(path, _line_of(path, section))
        )
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        kinds = (kind,) if isinstance(kind, type) else kind
        expected = " or ".join(k.__name__ for k in kinds)
        raise ConfigError(
            f"[{section}].{key} must be {expected}, got {value!r}",
            location=Location(path, _line_of(path, section, key)),
        )
    return value


KNOWN = {
    "": {"project", "build", "i18n", "tracking", "lrs", "certificates", "accreditation"},
    "project": {"name", "organization", "institution", "country"},
    "build": {"formats", "out", "sco_per_lesson", "max_file_kb", "max_package_kb"},
    "i18n": {"languages", "coverage_threshold"},
    "tracking": {"endpoint", "key", "secret", "activity_base", "homepage"},
    "lrs": {"db", "cors_origins", "max_body_bytes", "max_limit"},
    "certificates": {"keys", "base_url", "issuer"},
    "accreditation": {"hours_per_ects"},
}
LOCALIZED = ("name", "organization", "institution")
"""``[project]`` keys that may be written per language."""


def _check_unknown(data: dict[str, Any], path: Path) -> None:
    for key in data:
        if key not in KNOWN[""]:
            raise ConfigError(
                f"unknown section [{key}]",
                location=Location(path, _line_of(path, key)),
                hint=f"known sections: {', '.join(sorted(KNOWN['']))}",
            )
        if isinstance(data[key], dict):
            for sub in data[key]:
                if sub not in KNOWN[key]:
                    raise ConfigError(
                        f"unknown key [{key}].{sub}",
                        location=Location(path, _line_of(path, key, sub)),
                        hint=f"known keys: {', '.join(sorted(KNOWN[key]))}",
                    )


def _budget(data: dict[str, Any], path: Path, key: str, default: int) -> int:
    value = _get(data, path, "build", key, int, default)
    if value <= 0:
        raise ConfigError(
            f"[build].{key} must be a positive number of kilobytes, got {value!r}",
            location=Location(path, _line_of(path, "build", key)),
            hint=f"e.g. {key} = {default}",
        )
    return int(value)


def _check_languages(languages: tuple[Any, ...], path: Path) -> None:
    from mirco_lms.i18n.locales import language_problem, supported_hint

    where = Location(path, _line_of(path, "i18n", "languages"))
    if not languages:
        raise ConfigError("[i18n].languages is empty", location=where, hint=supported_hint())
    for code in languages:
        problem = language_problem(code) if isinstance(code, str) else f"{code!r} is not a code"
        if problem is not None:
            raise ConfigError(f"[i18n].languages: {problem}", location=where,
                              hint=supported_hint())


def _from_dict(root: Path, path: Path, data: dict[str, Any]) -> ProjectConfig:
    _check_unknown(data, path)
    known = registry.names()
    formats = tuple(_get(data, path, "build", "formats", list,
                         list(registry.default_names())))
    for fmt in formats:
        if fmt not in known:
            raise ConfigError(
                f"[build].formats: unknown format {fmt!r}",
                location=Location(path, _line_of(path, "build", "formats")),
                hint=f"use one of {', '.join(known)}",
            )
    languages = tuple(_get(data, path, "i18n", "languages", list, ["en"]))
    _check_languages(languages, path)
    threshold = _get(data, path, "i18n", "coverage_threshold", int, 100)
    if not 0 <= threshold <= 100:
        raise ConfigError(
            f"[i18n].coverage_threshold must be between 0 and 100, got {threshold!r}",
            location=Location(path, _line_of(path, "i18n", "coverage_threshold")),
        )
    tracking = _tracking(data, path)
    localized = {key: _localized(data, path, key, languages) for key in LOCALIZED}
    defaults = {"name": "Course catalogue", "organization": "", "institution": ""}
    plain = {key: _first(localized[key], languages) or defaults[key] for key in LOCALIZED}
    return ProjectConfig(
        root=root,
        name=plain["name"],
        organization=plain["organization"],
        institution=plain["institution"],
        country=_get(data, path, "project", "country", str, ""),
        build=BuildSettings(
            formats=formats,
            out=_get(data, path, "build", "out", str, "dist"),
            sco_per_lesson=_get(data, path, "build", "sco_per_lesson", bool, False),
            max_file_kb=_budget(data, path, "max_file_kb", 10240),
            max_package_kb=_budget(data, path, "max_package_kb", 51200),
        ),
        i18n=I18nSettings(languages=languages, coverage_threshold=threshold),
        tracking=tracking,
        db=_get(data, path, "lrs", "db", str, None),
        raw=data,
        accreditation=_accreditation(data, path),
        localized={key: texts for key, texts in localized.items() if texts and "" not in texts},
    )


def _localized(data: dict[str, Any], path: Path, key: str,
               languages: tuple[str, ...]) -> dict[str, str]:
    """``[project].<key>`` as language → text; a plain string is ``{"": text}``."""
    from mirco_lms.i18n.locales import language_problem

    value = _get(data, path, "project", key, (str, dict), None)
    if value is None:
        return {}
    if isinstance(value, str):
        return {"": value}
    where = Location(path, _line_of(path, "project", key))
    example = f'{key} = {{en = "…", mk = "…"}}'
    if not value:
        raise ConfigError(f"[project].{key} is empty", location=where,
                          hint=f"write one text, or one per language: {example}")
    for language, text in value.items():
        problem = language_problem(language)
        if problem is not None:
            raise ConfigError(f"[project].{key}: {problem}", location=where,
                              hint=f"name languages by their codes: {example}")
        if not isinstance(text, str):
            raise ConfigError(f"[project].{key}.{language} must be text, got {text!r}",
                              location=where, hint=f"write e.g. {example}")
    missing = [lang for lang in languages if lang not in value]
    if missing:
        raise ConfigError(
            f"[project].{key} has no text in {', '.join(missing)}", location=where,
            hint=f"give it in every language of [i18n].languages: {example}")
    return dict(value)


def _first(texts: dict[str, str], languages: tuple[str, ...]) -> str:
    """The plain text: the one string, or the text of the first language."""
    if "" in texts:
        return texts[""]
    return next((texts[lang] for lang in languages if lang in texts),
                next(iter(texts.values()), ""))


def _accreditation(data: dict[str, Any], path: Path) -> AccreditationRules:
    value = _get(data, path, "accreditation", "hours_per_ects", (int, list), None)
    if value is None:
        return AccreditationRules()
    bounds = [value] if isinstance(value, int) else value
    if (len(bounds) not in (1, 2)
            or not all(isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in bounds)
            or bounds[0] > bounds[-1]):
        raise ConfigError(
            f"[accreditation].hours_per_ects must be a number of hours or a range "
            f"[lowest, highest], got {value!r}",
            location=Location(path, _line_of(path, "accreditation", "hours_per_ects")),
            hint="write e.g. hours_per_ects = [25, 30] (the ECTS users' guide) or 25",
        )
    return AccreditationRules(hours_per_ects=(bounds[0], bounds[-1]))


_EXAMPLES = {
    "endpoint": "https://lrs.example.org/xapi/",
    "activity_base": "https://training.example.org/mirco",
    "homepage": "https://lms.example.org",
}


def _absolute_url(value: str, path: Path, key: str, what: str) -> str:
    """``value`` when it is an absolute http(s) URL; else a ConfigError naming ``key``."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        raise ConfigError(
            f"[tracking].{key} must be an absolute http(s) URL, got {value!r}",
            location=Location(path, _line_of(path, "tracking", key)),
            hint=f"{what}, e.g. {key} = \"{_EXAMPLES[key]}\"",
        )
    return value.strip()


def _tracking(data: dict[str, Any], path: Path) -> TrackingSettings:
    """``[tracking]``: URLs absolute, and an endpoint only together with key and secret."""
    def get(key: str, default: str | None) -> Any:
        return _get(data, path, "tracking", key, str, default)

    endpoint, key, secret = get("endpoint", None), get("key", None), get("secret", None)
    if endpoint is not None:
        endpoint = _absolute_url(endpoint, path, "endpoint", "the xAPI endpoint of the LRS")
        if not endpoint.endswith("/"):
            endpoint += "/"
    given = {"endpoint": endpoint, "key": key, "secret": secret}
    if any(given.values()) and not all(given.values()):
        missing = next(name for name, value in given.items() if not value)
        raise ConfigError(
            f"[tracking].{missing} is missing: packages send xAPI statements only with "
            "endpoint, key and secret together",
            location=Location(path, _line_of(path, "tracking")),
            hint="create a write-only key with: mirco lrs credentials add NAME "
                 "--scope statements/write; it ships inside every package",
        )
    if key is not None and ":" in key:
        raise ConfigError(
            "[tracking].key must not contain ':' (HTTP Basic user names cannot)",
            location=Location(path, _line_of(path, "tracking", "key")),
            hint="copy the key exactly as mirco lrs credentials add printed it",
        )
    base = _absolute_url(get("activity_base", "https://example.org/mirco"), path,
                         "activity_base", "the base IRI of activity ids")
    homepage = _absolute_url(get("homepage", "https://example.org/lms"), path, "homepage",
                             "the LMS home page of learner accounts")
    return TrackingSettings(endpoint=endpoint, key=key, secret=secret,
                            activity_base=base.rstrip("/"), homepage=homepage)
