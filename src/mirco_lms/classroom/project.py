"""What the imports need of the course project: ids, the learner registry, the sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mirco_lms.classroom.sessions import Session
from mirco_lms.config import ProjectConfig
from mirco_lms.course.model import Module
from mirco_lms.errors import ConfigError
from mirco_lms.lrs.store.registry import Learner
from mirco_lms.sheets import row_error
from mirco_lms.xapi import profile as p

if TYPE_CHECKING:
    from mirco_lms.lrs.store.sql import SqlStore


@dataclass
class Project:
    """The course project's modules (loaded once each) and its activity base."""

    config: ProjectConfig
    _modules: dict[str, Module] = field(default_factory=dict)

    @classmethod
    def load(cls, project_dir: Path) -> Project:
        return cls(ProjectConfig.load(project_dir))

    @property
    def activity_base(self) -> str:
        return self.config.tracking.activity_base

    def folders(self) -> dict[str, Path]:
        """Module id → folder."""
        from mirco_lms.course.frontmatter import load_source
        from mirco_lms.course.loader import discover_modules

        found = {}
        for folder in discover_modules(self.config.modules_dir):
            meta = load_source(folder / "module.md").meta.plain()
            found[str(meta.get("id") or folder.name)] = folder
        return found

    def module(self, module_id: str) -> Module:
        """The module ``module_id`` (ConfigError naming those there are)."""
        if module_id not in self._modules:
            from mirco_lms.course.loader import load_module

            folders = self.folders()
            if module_id not in folders:
                raise ConfigError(f"the course project has no module {module_id!r}",
                                  hint=f"modules: {', '.join(sorted(folders))}")
            self._modules[module_id] = load_module(folders[module_id], check=False).require()
        return self._modules[module_id]

    def ids(self, module_id: str) -> p.ActivityIds:
        return p.ActivityIds(self.activity_base, module_id)


@dataclass(frozen=True)
class Lookup:
    """The learners and sessions a sheet's rows name."""

    path: Path
    learners: dict[str, Learner]
    """By account and by lower-case e-mail."""
    sessions: dict[str, Session]

    @classmethod
    def of(cls, store: SqlStore, path: Path) -> Lookup:
        from mirco_lms.classroom.sessions import load_sessions

        index: dict[str, Learner] = {}
        for learner in store.learners():
            if learner.account:
                index[learner.account] = learner
            if learner.email:
                index[learner.email.lower()] = learner
        return cls(path, index, load_sessions(store))

    def learner(self, line: int, value: str) -> Learner:
        key = value.lower() if "@" in value else value
        found = self.learners.get(key)
        if found is None:
            column = "email" if "@" in value else "account"
            raise row_error(
                self.path, line, f"unknown learner {value!r}",
                "add them to the learner registry first (mirco lrs learners import), "
                f"with a row such as:\n  {column},name,institution,country\n"
                f"  {value},<name>,<institution>,<country code>")
        return found

    def session(self, line: int, value: str) -> Session:
        found = self.sessions.get(value)
        if found is None:
            known = ", ".join(self.sessions) or "none yet"
            raise row_error(self.path, line, f"unknown session {value!r}",
                            f"add it with mirco lrs sessions add or import (sessions: {known})")
        return found
