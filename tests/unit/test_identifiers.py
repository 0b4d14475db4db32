"""Identifiers: ``field=value`` in settings and feature files, two wire forms."""

import pytest

from crmconf.identifiers import Identifier, IdentifierError


def test_parse_splits_field_and_value():
    assert Identifier.parse("number=CI000111") == Identifier("number", "CI000111")


def test_parse_strips_spaces_around_field_and_value():
    assert Identifier.parse("  alternative_code = GP1 ") == Identifier("alternative_code", "GP1")


def test_parse_keeps_equals_signs_inside_the_value():
    assert Identifier.parse("name=a=b").value == "a=b"


@pytest.mark.parametrize(
    "text", ["CI000111", "=CI000111", "number=", "Number=CI1", "1st=CI1", "with space=x", ""]
)
def test_parse_refuses_text_that_is_not_field_equals_value(text):
    with pytest.raises(IdentifierError, match="write field=value"):
        Identifier.parse(text)


def test_identifier_error_is_a_value_error():
    assert issubclass(IdentifierError, ValueError)


def test_as_query_gives_field_equals_value():
    assert Identifier("number", "CI000111").as_query() == "number=CI000111"


def test_as_body_gives_one_member_object_with_string_value():
    assert Identifier("number", "8").as_body() == {"number": "8"}


def test_str_is_the_query_form():
    assert str(Identifier("id", "ABC")) == "id=ABC"


def test_identifier_is_hashable_and_immutable():
    identifier = Identifier("id", "ABC")
    assert {identifier: 1}[Identifier("id", "ABC")] == 1
    with pytest.raises(AttributeError):
        identifier.field = "name"  # type: ignore[misc]
