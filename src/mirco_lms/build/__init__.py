"""The build: module sources → localized, validated packages in the output folder.

:mod:`.plan` decides what to build (fingerprints, stale languages), :mod:`.pipeline`
loads, renders, packages and publishes it, :mod:`.cache` reads and checks the build
cache, :mod:`.output` owns the output folder (temporary folders, writes, checks) and
:mod:`.parallel` the worker processes.
"""

from mirco_lms.build.cache import CACHE_FILE
from mirco_lms.build.output import TEMP_PREFIX
from mirco_lms.build.parallel import BuildProgress, ProgressCallback
from mirco_lms.build.pipeline import BuildReport, BuildRow, build
from mirco_lms.build.plan import BuildOptions

__all__ = ["CACHE_FILE", "TEMP_PREFIX", "BuildOptions", "BuildProgress", "BuildReport",
           "BuildRow", "ProgressCallback", "build"]
