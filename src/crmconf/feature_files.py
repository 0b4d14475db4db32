"""Feature files read for the tools (``check``, ``coverage``), outside a pytest run.

pytest-bdd's ``get_feature`` caches every file it parsed for the life of the process; the tools
read the files as they are now, so they parse afresh, and turn every way a file can be broken
into one exception that names the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.gherkin_parser import GherkinDocument, get_gherkin_document
from pytest_bdd.parser import Feature, FeatureParser

# What the Gherkin parser raises for a broken file: a parse error, a KeyError for a file with no
# Feature at all, a UnicodeDecodeError (a ValueError) for bytes that are not UTF-8, an OSError.
_BROKEN = (GherkinParseError, KeyError, ValueError, OSError)


class FeatureFileError(Exception):
    """A feature file that cannot be read; ``line`` is where, when the parser knows."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class FeatureFile:
    """pytest-bdd's view of a feature file, and the Gherkin document for what that view drops
    (a repeated scenario name, the lines of tags)."""

    feature: Feature
    document: GherkinDocument


def read_feature(path: Path) -> FeatureFile:
    try:
        feature = FeatureParser(str(path.parent), path.name).parse()
        document = get_gherkin_document(str(path))
    except _BROKEN as error:
        raise FeatureFileError(
            f"not a valid feature file: {_reason(error)}", getattr(error, "line", None)
        ) from None
    return FeatureFile(feature, document)


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return "it has no 'Feature:' section"
    return getattr(error, "message", None) or " ".join(str(error).split()) or type(error).__name__


def scenario_names(features: Path) -> dict[str, list[str]]:
    """Every readable feature file under ``features`` (relative path) and its scenario names, in order."""
    found: dict[str, list[str]] = {}
    for path in sorted(Path(features).rglob("*.feature")):
        try:
            found[path.relative_to(features).as_posix()] = list(read_feature(path).feature.scenarios)
        except FeatureFileError:
            continue  # a broken feature file is the lint's to report
    return found
