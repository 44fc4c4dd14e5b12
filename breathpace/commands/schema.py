"""`breathpace schema`: the routine format's JSON Schema, for editors."""

from __future__ import annotations

import json

import click

from breathpace.routine.schema import routine_schema


@click.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the routine format (routine.schema.json)."""
    click.echo(json.dumps(routine_schema(), indent=2))
