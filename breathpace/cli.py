"""The `breathpace` command: a click group whose subcommands are imported only when run.

Each subcommand lives in its own module under `breathpace.commands`; importing them
lazily keeps `check` and `preview` free of Textual and audio libraries, and keeps the
start-up of every command short.
"""

from __future__ import annotations

import importlib

import click

#: name -> "module:attribute". Modules are imported only when their command runs.
COMMANDS: dict[str, str] = {
    "list": "breathpace.commands.listing:list_cmd",
    "check": "breathpace.commands.check:check_cmd",
    "preview": "breathpace.commands.preview:preview_cmd",
    "figure": "breathpace.commands.figure:figure_cmd",
    "new": "breathpace.commands.new:new_cmd",
    "schema": "breathpace.commands.schema:schema_cmd",
    "play": "breathpace.commands.play:play_cmd",
    "render": "breathpace.commands.render:render_cmd",
    "feed": "breathpace.commands.feed:feed_cmd",
    "devices": "breathpace.commands.devices:devices_cmd",
    "breathe": "breathpace.commands.breathe:breathe_cmd",
    "pace": "breathpace.commands.pace:pace_cmd",
    "capsule": "breathpace.commands.capsule:capsule_cmd",
    "history": "breathpace.commands.history:history_cmd",
    "export": "breathpace.commands.export:export_cmd",
    "day": "breathpace.commands.day:day_cmd",
}

#: One-line help for each command, so `breathpace --help` needs no imports.
HELP: dict[str, str] = {
    "list": "List built-in and your own routines.",
    "check": "Validate routine files.",
    "preview": "Show a routine's timeline as a table or JSON.",
    "figure": "Draw an exercise figure's poses in the terminal.",
    "new": "Write a commented routine template.",
    "schema": "Print the JSON Schema of the routine format.",
    "play": "Play a routine (full-screen, or --plain for one line per cue).",
    "render": "Render a routine to an audio track (WAV, MP3, FLAC, Ogg).",
    "feed": "Keep a podcast feed of your routines in a folder.",
    "devices": "List audio output devices.",
    "breathe": "Practise a breathing pattern alone.",
    "pace": "Show, set or reset your personal breath pace.",
    "capsule": "Play the movement capsule for this time of day.",
    "history": "Show your practice history and trends.",
    "export": "Export the journal as CSV for a clinician.",
    "day": "Your day plan: capsules at waking, before long sitting and at bedtime.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(package_name="breathpace")
@click.pass_context
def main(ctx: click.Context) -> None:
    """breathpace: breath-paced guided exercise in the terminal.

    With no command, opens the home screen.
    """
    if ctx.invoked_subcommand is None:
        # Imported here: Textual and the audio libraries load only for the home screen.
        from breathpace.commands.errors import InputError
        from breathpace.commands.options import input_errors
        from breathpace.tui.fallback import HOME_REFUSAL, full_screen_unsupported

        if full_screen_unsupported():
            raise InputError(HOME_REFUSAL)
        # Imported here: Textual loads only when the home screen really opens.
        from breathpace.tui.launch import run_home

        with input_errors():
            code = run_home()
        if code:
            raise SystemExit(code)
