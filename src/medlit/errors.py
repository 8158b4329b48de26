"""The errors medlit raises: every one carries a message that names what went wrong and
what to do. This module imports nothing, so any module (and a script) can use it; the CLI
maps them to exit codes in one place, `medlit.cli.handler`."""

from __future__ import annotations


class MedlitError(Exception):
    """Base of every error medlit raises on purpose."""


class UserError(MedlitError):
    """An error the user can fix; the message says how (exit 1)."""


class CatalogError(MedlitError):
    """A catalog that cannot be used; the message names the file and what to do (exit 1)."""


class ReadError(MedlitError):
    """A path that cannot be read at all; the message names it and says what to do (exit 1)."""


class MissingExtra(MedlitError):
    """An optional part of medlit is not installed; the message says what to install (exit 2)."""


class MarkerError(UserError):
    """Broken `<!-- medlit:begin -->` markers in a document being rendered."""


class BadFilter(MedlitError):
    """A filter value that cannot be used (a usage error, exit 2); `option` names the filter."""

    def __init__(self, message: str, option: str):
        super().__init__(message)
        self.option = option


class UnknownValue(BadFilter):
    """A facet, venue or dataset value neither the vocabulary nor the catalog knows."""

    def __init__(self, facet: str, value: str, suggestions: list[str]):
        self.facet, self.value, self.suggestions = facet, value, suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {facet} {value!r}{hint} (see: medlit vocab {facet})", f"--{facet}")


class BadValue(BadFilter):
    """A filter value of the wrong shape (a year range that is not one, an empty value)."""

    def __init__(self, message: str, option: str = "--year"):
        super().__init__(message, option)
