"""Split a source file into YAML front matter and Markdown body, keeping line numbers.

The YAML is composed into nodes (``yaml.compose`` with the safe loader) rather than
loaded straight into Python objects, so every value keeps the line it came from and a
wrong field can be reported as ``file:line``. :class:`YamlNode` is that tree: plain
values plus lines.

Fatal problems (a file that is not UTF-8, YAML that does not parse, front matter that is
not a mapping, nested deeper than :data:`MAX_DEPTH` or expanding aliases without end)
raise :class:`~mirco_lms.errors.SourceError`; everything else is left to the loader,
which reads fields one by one and collects diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mirco_lms.errors import Location, SourceError

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_MAX_NODES = 20_000
"""Upper bound on YAML nodes expanded through aliases (a guard against alias bombs)."""
MAX_DEPTH = 64
"""Deepest nesting of front-matter values (real front matter uses three or four levels)."""


@dataclass(frozen=True)
class YamlNode:
    """A YAML value with the 1-based file line where it starts.

    ``value`` is a scalar (``str``, ``int``, ``float``, ``bool``, ``None``, a date), a
    ``list[YamlNode]`` or a ``dict[str, YamlNode]``.
    """

    value: Any
    line: int
    """1-based line in the file (front matter offset applied)."""
    text: str | None = None
    """For scalars: the text exactly as written (``1.10`` stays ``"1.10"``)."""
    key_lines: dict[str, int] = field(default_factory=dict)
    """For mappings: the line of each key."""

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not (self.is_map or self.is_list)

    def plain(self) -> Any:
        """The value as plain Python data (lists and dicts of scalars), lines dropped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


@dataclass(frozen=True)
class SourceFile:
    """A source file split into its front matter and its Markdown body."""

    path: Path
    meta: YamlNode
    """The front matter, always a mapping (empty when the file has none)."""
    body: str
    """The Markdown after the front matter, newlines normalized to ``\\n``."""
    body_line: int
    """1-based file line of the body's first line: body line ``i`` (0-based) is file
    line ``body_line + i``."""
    has_front_matter: bool = False

    def location(self, line: int | None = None) -> Location:
        return Location(self.path, line)


def read_text(path: Path) -> str:
    """Read a UTF-8 source file (BOM tolerated), newlines normalized to ``\\n``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"cannot read {path.name}: {exc.strerror or exc}",
            location=Location(path),
            hint="check that the file exists and is readable",
        ) from exc
    return decode_utf8(data, path)


def decode_utf8(data: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 or raise a SourceError naming the first bad byte and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise SourceError(
            f"{path.name} is not valid UTF-8: byte 0x{bad} at offset {exc.start} (line {line})",
            location=Location(path, line),
            hint="save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)",
        ) from exc
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> SourceFile:
    """Split ``text`` (the content of ``path``) into front matter and body."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return SourceFile(path, YamlNode({}, 1), text, 1)
    end = next((i for i in range(1, len(lines)) if _END_FENCE.match(lines[i])), None)
    if end is None:
        raise SourceError(
            "the front matter opened on line 1 is never closed",
            location=Location(path, 1),
            hint="end the front matter with a line holding only '---'",
        )
    yaml_text = "\n".join(lines[1:end])
    meta = parse_yaml(yaml_text, path, first_line=2)
    if meta.value is None:
        meta = YamlNode({}, 2)
    if not meta.is_map:
        raise SourceError(
            f"the front matter must be a mapping of 'key: value' lines, not a {_kind(meta)}",
            location=Location(path, meta.line),
            hint="write the front matter as 'key: value' lines, e.g. 'title: My lesson'",
        )
    body = "\n".join(lines[end + 1 :])
    return SourceFile(path, meta, body, end + 2, has_front_matter=True)


def load_source(path: Path) -> SourceFile:
    """Read ``path`` and split it; raises SourceError for unreadable or broken files."""
    return split_front_matter(read_text(path), path)


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader when PyYAML was built with it: the same nodes and line marks,
several times faster. Text it rejects is parsed again by the pure-Python loader, whose
error messages (problem and line) are the ones reported."""


def parse_yaml(text: str, path: Path, *, first_line: int = 1) -> YamlNode:
    """Parse one YAML document into a :class:`YamlNode` tree with file lines.

    ``first_line`` is the file line of the YAML text's first line.
    """
    if _FAST_LOADER is not None:  # libyaml; errors are reported by the pure loader below
        fast = _FAST_LOADER(text)
        try:
            return _tree(fast, path, first_line)
        except yaml.YAMLError as exc:
            if getattr(exc, "problem", None) == "exceeded maximum nesting depth":
                raise _too_deep(path, first_line + _deep_line(text)) from exc
        except RecursionError as exc:
            raise _too_deep(path, first_line + _deep_line(text)) from exc
        finally:
            fast.dispose()
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, path, first_line) from exc
    try:
        return _tree(loader, path, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise SourceError(
            f"invalid YAML in the front matter: {problem}",
            location=Location(path, line),
            hint="check indentation (spaces, not tabs), colons after keys, and quote "
            "values that contain ': ' or start with a special character",
        ) from exc
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, path, first_line) from exc
    except RecursionError as exc:  # the pure loader composes nested values recursively
        raise _too_deep(path, first_line + _deep_line(text)) from exc
    except yaml.YAMLError as exc:
        raise SourceError(
            f"invalid YAML in the front matter: {exc}",
            location=Location(path, first_line),
            hint="check the front matter's YAML syntax",
        ) from exc
    finally:
        loader.dispose()


def _tree(loader: Any, path: Path, first_line: int) -> YamlNode:
    """The one document of ``loader`` as a :class:`YamlNode` tree (None: empty)."""
    node = loader.get_single_node()
    if node is None:
        return YamlNode(None, first_line)
    return _Converter(loader, path, first_line).convert(node)


def _deep_line(text: str) -> int:
    """The 0-based line where ``text`` first nests deeper than :data:`MAX_DEPTH` (from the
    parser's events: the parser, unlike the composer, does not recurse)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    return int(event.start_mark.line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:  # libyaml stops at its own limit (1,000 levels)
        mark = exc.problem_mark or exc.context_mark
        return int(mark.line) if mark is not None else 0
    except yaml.YAMLError:
        pass
    return 0


def _too_deep(path: Path, line: int) -> SourceError:
    return SourceError(
        f"the front matter nests values more than {MAX_DEPTH} levels deep",
        location=Location(path, line),
        hint="front matter needs a few levels at most (a list of outcomes, each with "
        "id and text): check for runaway '[' or '{' or indentation",
    )


def _reader_error(
    exc: yaml.reader.ReaderError, text: str, path: Path, first_line: int
) -> SourceError:
    line = first_line + text[: max(exc.position, 0)].count("\n")
    return SourceError(
        f"the front matter holds the control character U+{exc.character:04X}",
        location=Location(path, line),
        hint="delete the invisible character (retype the line if you cannot see it)",
    )


class _Converter:
    """Turns composed YAML nodes into :class:`YamlNode` trees (safe tags only)."""

    def __init__(self, loader: yaml.SafeLoader, path: Path, first_line: int) -> None:
        self.loader = loader
        self.path = path
        self.first_line = first_line
        self.count = 0
        self.active: set[int] = set()

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def _fail(self, message: str, node: yaml.Node, hint: str) -> SourceError:
        return SourceError(message, location=Location(self.path, self._line(node)), hint=hint)

    def convert(self, node: yaml.Node) -> YamlNode:
        if len(self.active) >= MAX_DEPTH:
            raise _too_deep(self.path, self._line(node))
        self.count += 1
        if self.count > _MAX_NODES:
            raise self._fail(
                "the front matter is too large (aliases expand to too many values)",
                node,
                "remove YAML aliases (*name) that repeat large values",
            )
        if id(node) in self.active:
            raise self._fail(
                "the front matter holds a recursive alias", node, "remove the '*alias'"
            )
        self.active.add(id(node))
        try:
            return self._convert(node)
        finally:
            self.active.discard(id(node))

    def _convert(self, node: yaml.Node) -> YamlNode:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return YamlNode([self.convert(n) for n in node.value], self._line(node))
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError) as exc:
            raise self._fail(
                f"cannot read the value {node.value!r}: {exc}",
                node,
                "quote the value if it is meant as text",
            ) from exc
        return YamlNode(value, self._line(node), text=str(node.value))

    def _mapping(self, node: yaml.MappingNode) -> YamlNode:
        self.loader.flatten_mapping(node)
        values: dict[str, YamlNode] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(
                    "a key in the front matter is not a plain name",
                    key_node,
                    "keys are plain names such as 'title:'",
                )
            key = str(key_node.value)
            if key in values:
                raise self._fail(
                    f"the key {key!r} appears twice (first on line {key_lines[key]})",
                    key_node,
                    "remove or rename one of the two",
                )
            key_lines[key] = self._line(key_node)
            values[key] = self.convert(value_node)
        return YamlNode(values, self._line(node), key_lines=key_lines)


def _kind(node: YamlNode) -> str:
    if node.is_list:
        return "list"
    return type(node.value).__name__


def key_line(path: Path | None, key: str) -> int | None:
    """The file line of the front-matter ``key`` of ``path`` (None when it cannot be told).

    For checks that run on a loaded module, which keeps values but not their lines.
    """
    if path is None:
        return None
    try:
        meta = load_source(path).meta
    except SourceError:
        return None
    return meta.key_lines.get(key)
