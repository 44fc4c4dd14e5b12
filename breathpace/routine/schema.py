"""The JSON Schema of the routine format, generated from the models.

Editors (Taplo / Even Better TOML) use it to complete and validate routine files that
start with a `#:schema` comment. The repository's `routine.schema.json` is kept equal
to this by a test.

Each field's description is the docstring under the field in `routine/model.py`. They
are read here, from the module's source, only when the schema is asked for: having
pydantic read them for every model class at import time (`use_attribute_docstrings`)
cost every command that loads a routine (`list`, `check`, `play`) tens of milliseconds
of start-up for text only the schema shows.
"""

from __future__ import annotations

import ast
import inspect
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from breathpace.routine import model
from breathpace.routine.model import Routine


def routine_schema() -> dict[str, Any]:
    schema = Routine.model_json_schema(mode="validation")
    docs = field_docstrings()
    _describe(schema, Routine, docs)
    for name, definition in schema.get("$defs", {}).items():
        cls = getattr(model, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            _describe(definition, cls, docs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def field_docstrings(module: ModuleType = model) -> dict[str, dict[str, str]]:
    """{class name: {field: docstring}} for the classes of a module (routine/model.py
    unless told).

    A field's docstring is the string literal on the line after its annotation, cleaned
    as `inspect.cleandoc` does (as pydantic's own extraction does)."""
    tree = ast.parse(inspect.getsource(module))
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[stmt.target.id] = inspect.cleandoc(after.value.value)
        out[node.name] = fields
    return out


def _describe(schema: dict[str, Any], cls: type[BaseModel], docs: dict) -> None:
    """Give each property of `cls`'s schema its field's docstring (inherited ones too)."""
    properties = schema.get("properties", {})
    for name, prop in list(properties.items()):
        if "description" in prop:
            continue
        doc = next(
            (docs[k.__name__][name] for k in cls.__mro__ if name in docs.get(k.__name__, {})),
            None,
        )
        if doc is not None:
            # pydantic writes a schema's keys sorted; keep that order.
            properties[name] = dict(sorted({**prop, "description": doc}.items()))
