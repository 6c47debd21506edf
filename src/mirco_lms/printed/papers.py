"""The versions of a paper test: each draws its questions from the test's pools.

A version is labelled ``A``, ``B``… and drawn with a seed made of the project's seed, the
module id, the test id and the label, so the same sources give the same papers on every
build, and each version's answer key is computed from that same draw. A test without
pools and without shuffling has one version.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mirco_lms.course.model import Assessment, Pool, Question
from mirco_lms.questions.base import letter

DEFAULT_SEED = "mirco"
DEFAULT_VERSIONS = 2


@dataclass(frozen=True)
class PaperVersion:
    """One version of a paper test: its label and the questions drawn, in printed order."""

    label: str
    seed: str
    """The seed of this version's draw (the options of its questions are shuffled with it)."""
    questions: tuple[Question, ...]


def varies(assessment: Assessment) -> bool:
    """Whether two draws of ``assessment`` may differ (a pool draws, or it shuffles)."""
    pooled = any(isinstance(item, Pool) and item.draw < len(item.questions)
                 for item in assessment.items)
    return pooled or assessment.shuffle_questions


def draw_versions(assessment: Assessment, module_id: str, *, seed: str = DEFAULT_SEED,
                  count: int = DEFAULT_VERSIONS) -> tuple[PaperVersion, ...]:
    """The versions of ``assessment`` (one when no draw can differ, else ``count``)."""
    total = count if varies(assessment) else 1
    return tuple(_draw(assessment, letter(i), f"{seed}:{module_id}:{assessment.id}:{letter(i)}")
                 for i in range(max(total, 1)))


def _draw(assessment: Assessment, label: str, seed: str) -> PaperVersion:
    rng = random.Random(seed)
    drawn: list[Question] = []
    for item in assessment.items:
        if isinstance(item, Pool):
            picked = sorted(rng.sample(range(len(item.questions)), min(item.draw,
                                                                      len(item.questions))))
            drawn.extend(item.questions[i] for i in picked)
        else:
            drawn.append(item)
    if assessment.shuffle_questions:
        rng.shuffle(drawn)
    return PaperVersion(label, seed, tuple(drawn))
