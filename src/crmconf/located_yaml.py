"""YAML read with the line of every mapping member and list item, so a problem can name the line."""

from __future__ import annotations

from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedMapping(dict):
    """A YAML mapping that remembers where it and each of its members start (1-based lines)."""

    line: int = 0
    member_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.member_lines.get(key, self.line)


class LocatedList(list):
    """A YAML sequence that remembers where each of its items starts (1-based lines)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _LocatingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LocatedMapping:
    loader.flatten_mapping(node)
    mapping = LocatedMapping()
    mapping.line = node.start_mark.line + 1
    mapping.member_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except TypeError:  # an unhashable key such as a list
            raise yaml.constructor.ConstructorError(
                None, None, f"a key that cannot be a mapping key: {key!r}", key_node.start_mark
            ) from None
        mapping.member_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LocatedList:
    sequence = LocatedList(loader.construct_object(item, deep=True) for item in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load(text: str) -> Any:
    """Parse YAML (safe tags only); mappings and lists come back as ``LocatedMapping``, ``LocatedList``.

    Raises ``yaml.YAMLError``, whose message names the line and column of the problem.
    """
    return yaml.load(text, Loader=_LocatingLoader)
