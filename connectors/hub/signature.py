"""A hub script's input JSON Schema, inferred from ``main()``'s signature with Windmill's rules.

The script is parsed with ``ast``, never imported, so its driver need not be installed. The rules
follow Windmill's Python parser (reference/windmill.md §4.1):

``str`` string, ``int`` integer, ``float`` number, ``bool`` boolean, ``dict`` object, ``list`` /
``List[T]`` array, ``bytes`` base64 string, ``datetime`` date-time, ``date`` date, ``Sql`` sql
string, ``Literal[...]`` enum, ``Optional[T]`` / ``T | None`` not required, ``S3Object``
``resource-s3_object``, and any other bare name (a resource TypedDict named after its type)
``{"type": "object", "format": "resource-<name>"}``. ``wmill.<Name>`` is read as ``<Name>``.
Defaults come from literals; descriptions from the docstring's ``Args:`` section.
"""

from __future__ import annotations

import ast
import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectors.resource import HUB_SCHEMA_DIALECT

_SIMPLE: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "dict": {"type": "object"},
    "Dict": {"type": "object"},
    "list": {"type": "array"},
    "List": {"type": "array"},
    "bytes": {"type": "string", "contentEncoding": "base64"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "Sql": {"type": "string", "format": "sql"},
    "sql": {"type": "string", "format": "sql"},
    "S3Object": {"type": "object", "format": "resource-s3_object"},
    "Any": {},
    "object": {},
}
_ARRAYS = {"list", "List", "Sequence", "tuple", "Tuple", "set", "Set"}
_LITERAL_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}
_ARGS_HEADER = re.compile(r"^\s*(Args|Arguments|Parameters)\s*:\s*$")
_ARG_LINE = re.compile(r"^(?P<indent>\s*)(?P<name>\*{0,2}\w+)\s*(\([^)]*\))?\s*:\s*(?P<text>.*)$")


class SignatureError(ValueError):
    """The script has no usable ``main`` (the message names the file and the problem)."""


@dataclass
class Signature:
    """What the hub tooling needs from a script: its schema and its docstring."""

    schema: dict[str, Any]
    docstring: str = ""
    arg_names: list[str] = field(default_factory=list)

    @property
    def resource_args(self) -> dict[str, str]:
        """Argument name -> resource type, for the arguments typed as a resource."""
        found = {}
        for name, prop in self.schema["properties"].items():
            fmt = prop.get("format", "")
            if prop.get("type") == "object" and fmt.startswith("resource-"):
                found[name] = fmt.removeprefix("resource-")
        return found


def infer_file(path: Path) -> Signature:
    """The signature of ``main`` in the script at ``path``."""
    return infer_source(path.read_text(encoding="utf-8"), filename=str(path))


def infer_source(source: str, *, filename: str = "<script>") -> Signature:
    """The signature of ``main`` in ``source`` (parsed, not executed)."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise SignatureError(f"{filename}: syntax error at line {exc.lineno}: {exc.msg}") from None
    main = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "main"
        ),
        None,
    )
    if main is None:
        raise SignatureError(f"{filename}: no top-level def main(...)")
    docstring = ast.get_docstring(main) or ""
    descriptions = docstring_args(docstring)
    args = main.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    properties: dict[str, Any] = {}
    required: list[str] = []
    for arg, default_node in pairs:
        prop, optional = _property(arg.annotation, default_node)
        prop["description"] = descriptions.get(arg.arg, "")
        if default_node is not None:
            has_default, value = _literal(default_node)
            if has_default and value is not None:
                prop["default"] = value
        properties[arg.arg] = prop
        if default_node is None and not optional:
            required.append(arg.arg)
    schema = {
        "$schema": HUB_SCHEMA_DIALECT,
        "type": "object",
        "order": list(properties),
        "properties": properties,
        "required": required,
    }
    return Signature(schema=schema, docstring=docstring, arg_names=list(properties))


def _property(annotation: ast.expr | None, default: ast.expr | None) -> tuple[dict[str, Any], bool]:
    """The JSON Schema of one argument, and whether its type says it is optional."""
    if annotation is None:
        return _from_default(default), False
    return _annotation(annotation)


def _from_default(default: ast.expr | None) -> dict[str, Any]:
    if default is None:
        return {}
    ok, value = _literal(default)
    if not ok or value is None:
        return {}
    for py_type, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string")):
        if isinstance(value, py_type):
            return {"type": name}
    if isinstance(value, list):
        return {"type": "array"}
    if isinstance(value, dict):
        return {"type": "object"}
    return {}


def _name(node: ast.expr) -> str | None:
    """``X``, ``typing.X``, ``wmill.X``, ``datetime.datetime`` -> the last name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:  # a string annotation: "postgresql"
            return _name(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return None
    return None


def _is_none(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or _name(node) == "NoneType"


def _annotation(node: ast.expr) -> tuple[dict[str, Any], bool]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return {}, False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union(_flatten_union(node))
    if isinstance(node, ast.Subscript):
        outer = _name(node.value)
        inner = node.slice
        items = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if outer == "Optional":
            prop, _ = _annotation(items[0])
            return prop, True
        if outer == "Union":
            return _union(items)
        if outer == "Literal":
            return _literal_enum(items), False
        if outer in _ARRAYS:
            item, _ = _annotation(items[0])
            return ({"type": "array", "items": item} if item else {"type": "array"}), False
        if outer in ("dict", "Dict", "Mapping"):
            return {"type": "object"}, False
        if outer == "Annotated":
            return _annotation(items[0])
        return {}, False
    name = _name(node)
    if name is None:
        return {}, False
    if name in _SIMPLE:
        return dict(_SIMPLE[name]), False
    return {"type": "object", "format": f"resource-{name}"}, False


def _flatten_union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_flatten_union(node.left), *_flatten_union(node.right)]
    return [node]


def _union(members: list[ast.expr]) -> tuple[dict[str, Any], bool]:
    optional = any(_is_none(m) for m in members)
    rest = [m for m in members if not _is_none(m)]
    if len(rest) == 1:
        prop, inner_optional = _annotation(rest[0])
        return prop, optional or inner_optional
    return {}, optional  # a real union: Windmill leaves it untyped


def _literal_enum(items: list[ast.expr]) -> dict[str, Any]:
    values = [item.value for item in items if isinstance(item, ast.Constant)]
    kinds = {_LITERAL_TYPES.get(type(v), "string") for v in values}
    schema: dict[str, Any] = {"type": kinds.pop() if len(kinds) == 1 else "string"}
    schema["enum"] = values
    return schema


def _literal(node: ast.expr) -> tuple[bool, Any]:
    """``(True, value)`` for a literal default (tuples become lists), else ``(False, None)``."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None
    return True, _jsonable(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, complex):
        return str(value)
    return value


def docstring_args(docstring: str) -> dict[str, str]:
    """Google-style ``Args:`` section -> ``{name: description}`` (continuation lines joined)."""
    found: dict[str, str] = {}
    lines = docstring.splitlines()
    inside = False
    arg_indent: int | None = None
    current: str | None = None
    for line in lines:
        if not inside:
            inside = bool(_ARGS_HEADER.match(line))
            continue
        if not line.strip():
            current = None
            continue
        indent = len(line) - len(line.lstrip())
        if arg_indent is not None and indent < arg_indent:
            break  # the section ended (e.g. "Returns:")
        match = _ARG_LINE.match(line)
        if match and (arg_indent is None or indent == arg_indent):
            arg_indent = indent
            current = match["name"].lstrip("*")
            found[current] = match["text"].strip()
        elif current is not None and arg_indent is not None and indent > arg_indent:
            found[current] = f"{found[current]} {line.strip()}".strip()
        else:
            break
    return found
