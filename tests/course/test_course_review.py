"""``review:`` of a test and ``pretest: required``: defaults, values, errors at file:line."""

from __future__ import annotations

import pytest
from course_support import MODULE_MD, WriteModule

from mirco_lms.course.loader import load_module
from mirco_lms.course.model import Review

PRETEST_MD = """\
---
title: Pre-test
{extra}
---

## Which source? {{#p-src outcome=LO1}}

- (x) Treaties
- ( ) Rumours
"""
FINAL_REVIEW = """\
---
title: Final test
review: {review}
---

## Which article? {{#q-art33 outcome=LO2}}

- ( ) Article 1A
- (x) Article 33
"""


def _module_md(extra: str) -> str:
    return MODULE_MD.replace("passing_score: 70\n", f"passing_score: 70\n{extra}\n")


def test_defaults_final_after_last_attempt_pretest_always(write_module: WriteModule) -> None:
    result = load_module(write_module({"pretest.md": PRETEST_MD.format(extra="")}))
    assert not result.errors
    module = result.module
    assert module is not None and module.pretest and module.final_test
    assert module.final_test.review_rule is Review.AFTER_LAST_ATTEMPT
    assert module.pretest.review_rule is Review.ALWAYS and not module.pretest.required


@pytest.mark.parametrize("rule", ["never", "after-pass", "after-last-attempt", "always"])
def test_every_rule_of_the_final_test(write_module: WriteModule, rule: str) -> None:
    result = load_module(write_module({"final-test.md": FINAL_REVIEW.format(review=rule)}))
    assert not result.errors and result.module and result.module.final_test
    assert result.module.final_test.review_rule.value == rule


def test_unknown_rule_is_an_error_at_its_line(write_module: WriteModule) -> None:
    result = load_module(write_module({"final-test.md": FINAL_REVIEW.format(review="later")}))
    [error] = result.errors
    assert error.location.file and error.location.file.name == "final-test.md"
    assert error.location.line == 3
    assert "review must be one of never, after-pass, after-last-attempt, always" in error.message
    assert "'later'" in error.message


def test_pretest_cannot_wait_for_a_pass(write_module: WriteModule) -> None:
    files = {"pretest.md": PRETEST_MD.format(extra="review: after-pass")}
    [error] = load_module(write_module(files)).errors
    assert error.location.file and error.location.file.name == "pretest.md"
    assert error.location.line == 3 and "always" in (error.hint or "")


def test_pretest_required_in_module_md(write_module: WriteModule) -> None:
    files = {"module.md": _module_md("pretest: required"),
             "pretest.md": PRETEST_MD.format(extra="")}
    result = load_module(write_module(files))
    assert not result.errors and result.module and result.module.pretest
    assert result.module.pretest.required


def test_pretest_required_in_the_pretest(write_module: WriteModule) -> None:
    files = {"pretest.md": PRETEST_MD.format(extra="required: true")}
    result = load_module(write_module(files))
    assert not result.errors and result.module and result.module.pretest
    assert result.module.pretest.required


def test_pretest_required_without_a_pretest_file(write_module: WriteModule) -> None:
    result = load_module(write_module({"module.md": _module_md("pretest: required")}))
    [error] = result.errors
    assert error.location.file and error.location.file.name == "module.md"
    assert error.location.line == 8
    assert "pretest.md" in error.message and "create pretest.md" in (error.hint or "")


def test_only_the_pretest_can_be_required(write_module: WriteModule) -> None:
    final = FINAL_REVIEW.format(review="never").replace("review: never", "required: true")
    [error] = load_module(write_module({"final-test.md": final})).errors
    assert "only the pre-test and the evaluation can be required" in error.message
    assert error.location.line == 3
