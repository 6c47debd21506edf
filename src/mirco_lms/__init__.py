"""mirco: Markdown course modules to localized SCORM packages, and an xAPI LRS with reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mirco")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"
