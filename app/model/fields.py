"""Reading untrusted JSON one typed field at a time, with errors that name the field.

A project file's ``project.json`` may hold anything: a string where a number belongs, NaN, a
list of a million clips, a meter of 10**6. :class:`Fields` wraps one JSON object and hands out
each value only once it has the right type and lies in range; otherwise it raises
:class:`FieldError`, whose message names the field by its path in the document
(``tracks[1].clips[3].start``), so the user (and whoever wrote the file) can find it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

_T = TypeVar("_T")
_MISSING: Any = object()


class FieldError(ValueError):
    """A field of the document is missing, of the wrong type, or out of range."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field} {problem}" if field else problem)


def describe(value: object) -> str:
    """A short, readable rendering of a bad value for an error message."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Fields:
    """One JSON object at ``path`` in the document, read field by field."""

    def __init__(self, value: object, path: str = "") -> None:
        if not isinstance(value, Mapping):
            raise FieldError(path or "the document", f"must be an object, not {describe(value)}")
        self._value: Mapping[str, Any] = value
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self._value and self._value[key] is not None

    def _get(self, key: str, default: Any) -> Any:
        if key in self._value and self._value[key] is not None:
            return self._value[key]
        if default is _MISSING:
            raise FieldError(self._name(key), "is missing")
        return default

    def number(self, key: str, low: float, high: float, default: float | None = _MISSING) -> float:
        """A finite number in ``low..high`` (JSON allows NaN and 1e999 = inf: both refused)."""
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(self._name(key), f"must be a number, not {describe(value)}")
        number = float(value)
        if not math.isfinite(number):
            raise FieldError(self._name(key), f"must be a finite number, not {describe(number)}")
        if not low <= number <= high:
            raise FieldError(self._name(key), f"must lie in {low:g}..{high:g}, not {number:g}")
        return number

    def integer(self, key: str, low: int, high: int, default: int | None = _MISSING) -> int:
        """A whole number in ``low..high`` (``3.0`` is accepted as 3, ``"3"`` and ``true`` not)."""
        value = self._get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(self._name(key), f"must be a whole number, not {describe(value)}")
        if not low <= value <= high:
            raise FieldError(self._name(key), f"must lie in {low}..{high}, not {value}")
        return value

    def text(self, key: str, max_chars: int, default: str | None = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise FieldError(self._name(key), f"must be text, not {describe(value)}")
        if len(value) > max_chars:
            raise FieldError(
                self._name(key), f"holds {len(value):,} characters; the limit is {max_chars:,}"
            )
        return value

    def flag(self, key: str, default: bool | None = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise FieldError(self._name(key), f"must be true or false, not {describe(value)}")
        return value

    def items(
        self, key: str, limit: int, what: str, default: list[Any] | None = _MISSING
    ) -> list[Any]:
        """A JSON list of at most ``limit`` entries (``what`` names them in the message)."""
        value = self._get(key, default)
        if not isinstance(value, list):
            raise FieldError(self._name(key), f"must be a list, not {describe(value)}")
        if len(value) > limit:
            if not self.path:  # a top-level list: say it of the whole project
                raise FieldError(
                    "", f"this project declares {len(value):,} {what}; the limit is {limit:,}"
                )
            raise FieldError(
                self._name(key), f"declares {len(value):,} {what}; the limit is {limit:,}"
            )
        return value

    def objects(self, key: str, limit: int, what: str, optional: bool = False) -> list[Fields]:
        """A list of at most ``limit`` JSON objects, each wrapped for reading."""
        entries = self.items(key, limit, what, [] if optional else _MISSING)
        return [Fields(entry, f"{self._name(key)}[{i}]") for i, entry in enumerate(entries)]

    def texts(self, key: str, limit: int, max_chars: int, what: str) -> list[str]:
        """An optional list of strings."""
        entries = self.items(key, limit, what, [])
        for i, entry in enumerate(entries):
            if not isinstance(entry, str) or len(entry) > max_chars:
                raise FieldError(f"{self._name(key)}[{i}]", f"must be text, not {describe(entry)}")
        return entries

    def text_map(self, key: str, limit: int, max_chars: int, what: str) -> dict[str, str]:
        """An optional JSON object of strings to strings."""
        value = self._get(key, {})
        if not isinstance(value, Mapping):
            raise FieldError(self._name(key), f"must be an object, not {describe(value)}")
        if len(value) > limit:
            raise FieldError(
                self._name(key), f"declares {len(value):,} {what}; the limit is {limit:,}"
            )
        reader = Fields(value, self._name(key))
        return {str(k): reader.text(str(k), max_chars) for k in value}

    def sub(self, key: str) -> Fields:
        return Fields(self._get(key, _MISSING), self._name(key))

    def optional_sub(self, key: str) -> Fields | None:
        return self.sub(key) if self.has(key) else None

    def choice(self, key: str, options: tuple[_T, ...], default: _T | None = _MISSING) -> _T:
        value = self._get(key, default)
        if value not in options:
            listed = ", ".join(map(str, options))
            raise FieldError(self._name(key), f"must be one of {listed}, not {describe(value)}")
        return value  # type: ignore[no-any-return]
