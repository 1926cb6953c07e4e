"""One error hierarchy: every failure the user should see as a one-line message.

The CLI maps ``AirlockError`` to its message and exit code 2 (usage / I/O / unparseable input we
were not asked to judge). Verification *failures* are results, not errors: they live in reports
and give exit code 1.
"""

from __future__ import annotations


class AirlockError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing, one-line message."""

    exit_code = 2


class UsageError(AirlockError):
    """The command was asked for something that makes no sense (bad option combination...)."""


class InputError(AirlockError):
    """A path is missing, unreadable, of the wrong kind, or changed while we read it."""


class FormatError(AirlockError):
    """A file we were asked to *use* (manifest, sums file, bundle, key) could not be parsed."""


class DependencyError(AirlockError):
    """An optional extra (torch, fastapi...) is needed for this command but not installed."""
