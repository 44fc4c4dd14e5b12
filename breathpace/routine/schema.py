"""The JSON Schema of the routine format, generated from the models.

Editors (Taplo / Even Better TOML) use it to complete and validate routine files that
start with a `#:schema` comment. The repository's `routine.schema.json` is kept equal
to this by a test.
"""

from __future__ import annotations

from typing import Any

from breathpace.routine.model import Routine


def routine_schema() -> dict[str, Any]:
    schema = Routine.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
