"""Question types: one class per type, found by name in one registry.

>>> from mirco_lms import questions
>>> questions.find("ordering").name
'sequencing'

The built-in types register here, in the order they are asked to recognise an answer
list written without ``type=``: true/false before single choice, numeric before fill-in,
ordering (a numbered list) before matching. The learner runtime has one JS module per
type under ``runtime/src/questions/``, registered under the same name.
"""

from mirco_lms.questions.base import (
    Markdown,
    OptionView,
    PaperForm,
    QuestionKind,
    Translator,
    problem,
    shuffled,
)
from mirco_lms.questions.choice import SingleChoiceKind
from mirco_lms.questions.essay import EssayKind
from mirco_lms.questions.fill_in import FillInKind
from mirco_lms.questions.likert import LikertKind
from mirco_lms.questions.matching import MatchingKind
from mirco_lms.questions.multiple_choice import MultipleChoiceKind
from mirco_lms.questions.numeric import NumericKind
from mirco_lms.questions.ordering import OrderingKind
from mirco_lms.questions.registry import (
    attributes,
    find,
    get,
    inline_kinds,
    kinds,
    names,
    of,
    register,
    unregister,
)
from mirco_lms.questions.true_false import TrueFalseKind

for _kind in (TrueFalseKind(), SingleChoiceKind(), MultipleChoiceKind(), NumericKind(),
              FillInKind(), OrderingKind(), MatchingKind(), EssayKind(), LikertKind()):
    register(_kind)

__all__ = [
    "Markdown",
    "OptionView",
    "PaperForm",
    "QuestionKind",
    "Translator",
    "attributes",
    "find",
    "get",
    "inline_kinds",
    "kinds",
    "names",
    "of",
    "problem",
    "register",
    "shuffled",
    "unregister",
]
