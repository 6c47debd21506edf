"""Output formats: what ``mirco build`` can make, and how each output is checked.

:mod:`.base` says what a format is (:class:`Format`, a :class:`ModuleFormat` or a
:class:`CourseFormat`, and its :class:`Output` files or folders), :mod:`.registry` holds
every format, :mod:`.builtin` the ones mirco ships. See docs/formats.md to add one.
"""

from mirco_lms.formats.base import (
    CourseFormat,
    CourseOutput,
    CourseSource,
    Format,
    ModuleFormat,
    ModuleSource,
    Output,
)
from mirco_lms.formats.registry import register, unregister

__all__ = ["CourseFormat", "CourseOutput", "CourseSource", "Format", "ModuleFormat",
           "ModuleSource", "Output", "register", "unregister"]
