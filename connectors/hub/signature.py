"""A hub script's input JSON Schema, inferred from ``main()``'s signature with Windmill's rules.

The script is parsed with ``ast``, never imported, so its driver need not be installed. The rules
are those of Windmill's own parser (the ``windmill-parser-wasm-py`` npm package, 1.782.0) followed
by the JSON Schema that ``wmill generate-metadata`` writes from it (reference/windmill.md §4.1);
``tests/test_windmill_parser.py`` runs that parser on every bundled script and compares:

- Types: ``str`` string, ``int`` integer, ``float`` number, ``bool`` boolean, ``dict`` object,
  ``list`` array of strings, ``List[T]`` array of T (int and float items are numbers, ``dict``
  items objects, ``Dict[...]`` items strings), ``bytes`` base64 string, ``datetime`` date-time,
  ``date`` date, ``Sql`` sql string, ``Literal["a", "b"]`` string enum, ``S3Object``
  ``resource-s3_object``, ``DynSelect_x`` ``dynselect-x``, and any other bare name (a resource
  TypedDict named after its type) ``{"type": "object", "format": "resource-<name>"}``.
  ``wmill.<Name>`` is read as ``<Name>``.
- Unknown to Windmill, so untyped here: ``Dict[K, V]``, ``Union[...]``, ``Sequence``/``Tuple``/
  ``Set``/``Mapping``/``Annotated`` subscripts, string annotations, ``Optional[list]``. An untyped
  argument with a literal default takes the default's type.
- Defaults: only literals count (constants, lists, dicts; a call or an attribute such as
  ``os.sep`` counts as a default without a value). ``1 << 16``, ``-1``, a tuple or a name are not
  literals: Windmill then marks the argument required, and so does this.
- ``Optional[T]`` / ``T | None`` is never required. Keyword-only arguments are not inputs.
- Two deliberate differences: ``Any`` and ``object`` stay untyped (Windmill reads them as a
  resource type named ``Any``/``object``), and a list of resources has items
  ``{"type": "object", "format": "resource-<name>"}`` (Windmill's form, ``{"type": "resource",
  "resourceType": <name>}``, is not JSON Schema).

Descriptions come from the docstring's ``Args:`` section.
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
    "list": {"type": "array", "items": {"type": "string"}},
    "bytes": {"type": "string", "contentEncoding": "base64"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "Sql": {"type": "string", "format": "sql"},
    "sql": {"type": "string", "format": "sql"},
    "S3Object": {"type": "object", "format": "resource-s3_object"},
    "Any": {},
    "object": {},
}
#: ``List[T]`` items as ``wmill generate-metadata`` writes them, by T
_ITEMS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "number"},
    "float": {"type": "number"},
    "bytes": {"type": "string", "contentEncoding": "base64"},
    "dict": {"type": "object"},
    "S3Object": {"type": "object", "format": "resource-s3_object"},
}
#: names Windmill maps to a type of its own: as an item of ``List[T]`` they are objects
_NOT_RESOURCES = {"int", "float", "bool", "bytes", "datetime", "date", "Sql", "sql", "list"}
_ARRAYS = {"list", "List"}
_OPTIONAL_UNKNOWN = {"list"}  # Optional[list] and list | None: Windmill reads neither
_ARGS_HEADER = re.compile(r"^\s*(Args|Arguments|Parameters)\s*:\s*$")
_ARG_LINE = re.compile(r"^(?P<indent>\s*)(?P<name>\*{0,2}\w+)\s*(\([^)]*\))?\s*:\s*(?P<text>.*)$")
_NO_DEFAULT = object()
_NO_VALUE = object()


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
    properties: dict[str, Any] = {}
    required: list[str] = []
    for arg, default_node in zip(positional, defaults, strict=True):
        value = _NO_DEFAULT if default_node is None else _default(default_node)
        prop, optional = _property(arg.annotation, value)
        prop["description"] = descriptions.get(arg.arg, "")
        if value is not _NO_DEFAULT and value is not _NO_VALUE and value is not None:
            prop["default"] = value
        properties[arg.arg] = prop
        if value is _NO_DEFAULT and not optional:
            required.append(arg.arg)
    schema = {
        "$schema": HUB_SCHEMA_DIALECT,
        "type": "object",
        "order": list(properties),
        "properties": properties,
        "required": required,
    }
    return Signature(schema=schema, docstring=docstring, arg_names=list(properties))


def _property(annotation: ast.expr | None, default: Any) -> tuple[dict[str, Any], bool]:
    """The JSON Schema of one argument, and whether its type says it is optional."""
    prop, optional = ({}, False) if annotation is None else _annotation(annotation)
    if not prop:
        return _from_default(default), optional
    bare_list = isinstance(annotation, ast.Name) and annotation.id == "list"
    if bare_list and isinstance(default, list) and default:
        prop["items"] = _item_from_value(default[0])
    return prop, optional


def _from_default(value: Any) -> dict[str, Any]:
    """The type Windmill gives an untyped argument from its literal default."""
    if isinstance(value, list):
        return {
            "type": "array",
            "items": _item_from_value(value[0]) if value else {"type": "string"},
        }
    return _from_value(value)


def _item_from_value(value: Any) -> dict[str, Any]:
    """The items of a list typed by its first element (numbers are numbers, as Windmill writes)."""
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"type": "number"}
    return {"type": "object"}


def _from_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"type": "integer" if isinstance(value, int) else "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, dict):
        return {"type": "object"}
    return {}


def _name(node: ast.expr) -> str | None:
    """``X``, ``typing.X``, ``wmill.X``, ``datetime.datetime`` -> the last name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_none(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or _name(node) == "NoneType"


def _annotation(node: ast.expr) -> tuple[dict[str, Any], bool]:
    """``(schema, optional)``; ``{}`` when Windmill does not know the type."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members = _flatten_union(node)
        rest = [m for m in members if not _is_none(m)]
        optional = len(rest) < len(members)
        if len(rest) != 1:
            return {}, optional
        return _optional_member(rest[0]) if optional else _annotation(rest[0])
    if isinstance(node, ast.Subscript):
        outer = _name(node.value)
        inner = node.slice
        items = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if outer == "Optional":
            return _optional_member(items[0])
        if outer == "Literal":
            return _literal_enum(inner), False
        if outer in _ARRAYS:
            item = _item(items[0])
            return ({"type": "array", "items": item} if item else {"type": "array"}), False
        return {}, False  # Dict[K, V], Union, Sequence, Tuple, Set, Mapping, Annotated, ...
    name = _name(node)
    if name is None:
        return {}, False  # a string annotation
    if name in _SIMPLE:
        return _copy(_SIMPLE[name]), False
    for prefix, kind in (("DynSelect_", "dynselect"), ("DynMultiselect_", "dynmultiselect")):
        if name.startswith(prefix):
            return {"type": "object", "format": f"{kind}-{name.removeprefix(prefix)}"}, False
    return {"type": "object", "format": f"resource-{name}"}, False


def _optional_member(node: ast.expr) -> tuple[dict[str, Any], bool]:
    if isinstance(node, ast.Name) and node.id in _OPTIONAL_UNKNOWN:
        return {}, True
    prop, _ = _annotation(node)
    return prop, True


def _item(node: ast.expr) -> dict[str, Any]:
    """The ``items`` of ``List[node]``, as ``wmill generate-metadata`` writes them."""
    if isinstance(node, ast.Subscript):
        outer = _name(node.value)
        if outer == "Literal":
            return _literal_enum(node.slice)
        if outer in _ARRAYS:
            return {"type": "object"}
        return {"type": "string"}  # Windmill reads List[Dict[...]] as a list of strings
    name = _name(node)
    if name is None:
        return {"type": "string"}
    if name in _ITEMS:
        return dict(_ITEMS[name])
    if name in ("Any", "object"):
        return {}
    if name in _NOT_RESOURCES:
        return {"type": "object"}
    return {"type": "object", "format": f"resource-{name}"}


def _copy(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, dict) else v for k, v in schema.items()}


def _flatten_union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_flatten_union(node.left), *_flatten_union(node.right)]
    return [node]


def _literal_enum(inner: ast.expr) -> dict[str, Any]:
    """``Literal["a", "b"]`` -> a string enum; one value or non-strings -> a plain string."""
    items = inner.elts if isinstance(inner, ast.Tuple) else None
    if items and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
        return {"type": "string", "enum": [i.value for i in items if isinstance(i, ast.Constant)]}
    return {"type": "string"}


def _default(node: ast.expr) -> Any:
    """A default as Windmill reads it: the JSON value, ``_NO_VALUE`` or ``_NO_DEFAULT``."""
    value = _value(node)
    if value is _NO_DEFAULT and isinstance(node, ast.Call | ast.Attribute):
        # a default without a literal value: Windmill shows "<function call>" for a call and the
        # attribute's name for os.sep or Color.RED
        return _NO_VALUE
    return value


def _value(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bytes):
            return base64.b64encode(node.value).decode()
        if isinstance(node.value, complex):
            return [node.value.real, node.value.imag]
        return None if node.value is Ellipsis else node.value
    if isinstance(node, ast.List):
        return [_or_none(_value(e)) for e in node.elts]
    if isinstance(node, ast.Dict):
        found = {}
        for key, item in zip(node.keys, node.values, strict=True):
            name = _value(key) if key is not None else None
            found[name if isinstance(name, str) else "no_key"] = _or_none(_value(item))
        return found
    return _NO_DEFAULT  # -1, 1 << 16, a tuple, a name, an f-string: not literals to Windmill


def _or_none(value: Any) -> Any:
    return None if value is _NO_DEFAULT else value


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
