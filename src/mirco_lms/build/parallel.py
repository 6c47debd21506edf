"""Parallelism of the build: a process pool, and mapping a stage over modules with progress."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class BuildProgress:
    """A progress event: ``stage`` (``check`` or ``build``) of one module done."""

    stage: str
    module: str
    done: int
    total: int


ProgressCallback = Callable[[BuildProgress], None]


@contextmanager
def pool(workers: int) -> Iterator[Executor | None]:
    """A process pool of ``workers`` processes, or None when one process is enough."""
    if workers < 2:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as executor:
        yield executor


def workers(requested: int | None, tasks: int) -> int:
    """Worker processes for ``tasks`` modules: ``jobs``, else ``MIRCO_JOBS``, else the cores."""
    if requested is None:
        env = os.environ.get("MIRCO_JOBS", "").strip()
        requested = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(requested, tasks))


def _name(item: object) -> str:
    """The module slug a task is about: its folder's name."""
    if isinstance(item, Path):
        return item.name
    folder = getattr(item, "folder", None)
    return folder.name if isinstance(folder, Path) else ""


def map_modules(
    func: Callable[[T], R], items: Sequence[T], pool: Executor | None, stages: Sequence[str],
    progress: ProgressCallback | None,
) -> list[R]:
    """``[func(i) for i in items]``, in ``pool`` when given, reporting progress as each ends.

    Each item done is reported once per stage in ``stages`` (the stages ``func`` does).
    """
    def report(item: T, done: int) -> None:
        if progress:
            for stage in stages:
                progress(BuildProgress(stage, _name(item), done, len(items)))

    if pool is None or len(items) < 2:
        results: list[R] = []
        for done, item in enumerate(items, start=1):
            results.append(func(item))
            report(item, done)
        return results
    futures = {pool.submit(func, item): index for index, item in enumerate(items)}
    slots: list[Any] = [None] * len(items)
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            slots[index] = future.result()
            report(items[index], done)
    except BaseException:
        for future in futures:
            future.cancel()
        wait(futures)  # let running workers finish before their temporary files are removed
        raise
    return slots
