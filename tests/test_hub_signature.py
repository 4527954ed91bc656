"""main() signature -> input JSON Schema, with Windmill's rules, parsed without importing."""

from __future__ import annotations

import textwrap

import pytest

from connectors.hub.signature import SignatureError, docstring_args, infer_source

EXAMPLE = textwrap.dedent(
    '''
    import datetime
    from datetime import date
    from typing import List, Literal, Optional, TypedDict

    import not_installed_driver  # never imported by the inference
    import wmill


    class postgresql(TypedDict):
        host: str


    def main(
        db: postgresql,
        query: str,
        limit: int = 100,
        ratio: float = 0.5,
        dry_run: bool = False,
        params: dict = {},
        names: List[str] = ["a", "b"],
        plain: list = [],
        mode: Literal["append", "replace"] = "append",
        since: datetime.datetime | None = None,
        day: Optional[date] = None,
        blob: bytes = b"hi",
        file: wmill.S3Object = None,
        store: s3 = "$res:f/data/bucket",
        untyped=3,
        *,
        note: str | None = None,
    ):
        """Run a query.

        Args:
            db: The database.
            query (str): SQL to run, with %s
                placeholders for params.
            limit: Rows at most.

        Returns:
            The rows.
        """
    '''
)


def test_every_windmill_rule():
    schema = infer_source(EXAMPLE).schema
    props = schema["properties"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["required"] == ["db", "query"]
    assert schema["order"] == list(props)
    assert props["db"] == {
        "type": "object",
        "format": "resource-postgresql",
        "description": "The database.",
    }
    assert props["query"] == {
        "type": "string",
        "description": "SQL to run, with %s placeholders for params.",
    }
    assert props["limit"] == {"type": "integer", "description": "Rows at most.", "default": 100}
    assert props["ratio"]["type"] == "number" and props["ratio"]["default"] == 0.5
    assert props["dry_run"] == {"type": "boolean", "description": "", "default": False}
    assert props["params"] == {"type": "object", "description": "", "default": {}}
    assert props["names"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "",
        "default": ["a", "b"],
    }
    assert props["plain"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "",
        "default": [],
    }
    assert props["mode"] == {
        "type": "string",
        "enum": ["append", "replace"],
        "description": "",
        "default": "append",
    }
    assert props["since"] == {"type": "string", "format": "date-time", "description": ""}
    assert props["day"] == {"type": "string", "format": "date", "description": ""}
    assert props["blob"] == {
        "type": "string",
        "contentEncoding": "base64",
        "description": "",
        "default": "aGk=",
    }
    assert props["file"] == {"type": "object", "format": "resource-s3_object", "description": ""}
    assert props["store"] == {
        "type": "object",
        "format": "resource-s3",
        "description": "",
        "default": "$res:f/data/bucket",
    }
    assert props["untyped"] == {"type": "integer", "description": "", "default": 3}
    assert "note" not in props  # keyword-only: not an input to Windmill


def test_optional_without_default_is_not_required():
    source = "def main(a: Optional[int], b: 'str | None', c: int | None, d: str): pass"
    schema = infer_source(source).schema
    assert schema["required"] == ["b", "d"]  # a string annotation is unknown to Windmill
    assert schema["properties"]["b"] == {"description": ""}


def test_only_literal_defaults_count():
    source = "def main(a: int = 1 << 16, b: int = -1, c: tuple = (1,), d: int = X, e: int = 7): ..."
    schema = infer_source(source).schema
    assert schema["required"] == ["a", "b", "c", "d"]
    assert "default" not in schema["properties"]["a"]
    assert schema["properties"]["e"]["default"] == 7


def test_types_windmill_does_not_know_are_untyped():
    source = (
        "def main(a: Dict[str, str], b: Union[int, str] = 1, c: Optional[list] = None,"
        " d: Dict[str, Any] = {}, e: List[Dict[str, Any]] = None, f: List[int] = None): pass"
    )
    props = infer_source(source).schema["properties"]
    assert "type" not in props["a"] and "type" not in props["c"]
    assert props["b"]["type"] == "integer"  # untyped, so typed by its default
    assert props["d"]["type"] == "object"
    assert props["e"]["items"] == {"type": "string"}  # as Windmill reads List[Dict[...]]
    assert props["f"]["items"] == {"type": "number"}


def test_resource_args_are_listed():
    sig = infer_source(EXAMPLE)
    assert sig.resource_args == {"db": "postgresql", "file": "s3_object", "store": "s3"}


def test_async_main_and_nonliteral_default():
    schema = infer_source("import os\nasync def main(x: str = os.sep, y: int = 1): ...").schema
    assert "default" not in schema["properties"]["x"]
    assert schema["required"] == []


def test_no_main_is_a_clear_error():
    with pytest.raises(SignatureError, match="no top-level def main"):
        infer_source("def run(): pass", filename="x.py")
    with pytest.raises(SignatureError, match="syntax error at line 1"):
        infer_source("def main(:", filename="x.py")


def test_docstring_args_sections():
    doc = "Summary.\n\nArgs:\n    a (int): first\n      more\n    b: second\n\nReturns:\n    c: no"
    assert docstring_args(doc) == {"a": "first more", "b": "second"}
    assert docstring_args("no args here") == {}
