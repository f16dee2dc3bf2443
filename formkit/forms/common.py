"""Types and rows several forms share: choices, yes/no, signatures."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from formkit.errors import FieldValueError
from formkit.fields import parse_bool, parse_choice


def _choice_parser(options: tuple[str, ...]):
    def parse(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_choice(value, options)
            except FieldValueError as e:
                raise PydanticCustomError("formkit_value", str(e)) from e
        return value

    return parse


def Choice(*options: str) -> Any:
    """A dropdown: one of the option texts (also accepts ticks and typed text)."""
    return Annotated[Literal[options], BeforeValidator(_choice_parser(options))]  # type: ignore[valid-type]


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except FieldValueError as e:
            raise PydanticCustomError("formkit_value", str(e)) from e
    return value


YesNo = Annotated[bool, BeforeValidator(_bool), WithJsonSchema({"type": "boolean"})]
"""A checkbox: True when ticked. Accepts ☑/☐, 是/否 and the like."""
