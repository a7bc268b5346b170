"""The installed version of attention-verifier (`verifier --version`, the JSON reports)."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("attention-verifier")
except metadata.PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "unknown"
