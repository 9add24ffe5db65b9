"""Fast value coercion for typer parameters of plain types.

typer (0.2x) coerces every option value through a pydantic TypeAdapter that it builds on first
use; importing pydantic and building the adapters costs more than the rest of a short command.
meshctl's options are all plain (``str``, ``int``, ``float``, ``bool``, ``list[str]``, with or
without a ``parser``): for those, ``install()`` makes typer coerce with a few lines of Python,
and leaves every other annotation (enums, paths, ranges, dates...) to typer's own adapters.
On a typer without this machinery ``install()`` does nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no", ""})


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a valid boolean (true or false)")


def _number(kind: type[Any]) -> Any:
    name = "an integer" if kind is int else "a number"

    def convert(value: Any) -> Any:
        if isinstance(value, kind) and not isinstance(value, bool):
            return value
        try:
            return kind(str(value).strip())
        except ValueError:
            raise ValueError(f"{value!r} is not {name}") from None

    return convert


def _str(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


_CONVERTERS: dict[Any, Any] = {str: _str, int: _number(int), float: _number(float), bool: _bool}


def _leaf(annotation: Any, info: Any) -> Any:
    """A converter for one value, or None when typer's adapters must handle the annotation."""
    if getattr(info, "min", None) is not None or getattr(info, "max", None) is not None:
        return None
    parser = getattr(info, "parser", None)
    if parser is not None:
        return parser
    return _CONVERTERS.get(annotation)


@cache
def install() -> None:
    """Make typer coerce plain-typed parameters without pydantic (once per process)."""
    try:
        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except ImportError:  # another typer: nothing to speed up
        return
    original = getattr(core, "build_runtime_param", None)
    if original is None:
        return

    class PlainRuntimeParam(RuntimeParam):  # type: ignore[misc]
        """Coercion of str, int, float, bool and lists of them, or through the option's parser."""

        def __init__(self, parameter_info: Any, annotation: Any, convert: Any, many: bool) -> None:
            super().__init__(parameter_info=parameter_info, annotation=annotation)
            object.__setattr__(self, "convert", convert)
            object.__setattr__(self, "many", many)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            convert = self.convert  # type: ignore[attr-defined]
            try:
                if self.many:  # type: ignore[attr-defined]
                    return [convert(v) for v in (value if isinstance(value, list | tuple) else [value])]
                return convert(value)
            except ValueError as exc:
                raise BadParameter(str(exc), ctx=ctx, param=param) from exc

    def build(descriptor: Any) -> Any:
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is None:
            many = getattr(annotation, "__origin__", None) is list
            leaf = annotation.__args__[0] if many and len(annotation.__args__) == 1 else annotation
            convert = _leaf(leaf, info)
            if convert is not None:
                return PlainRuntimeParam(info, annotation, convert, many)
        return original(descriptor)

    core.build_runtime_param = build
