"""`breathpace devices`: the playback devices `--device` can name, by number or name.

Which backends can list devices comes from the backend registry (`lists_devices`);
their modules, and so the sound libraries, are imported only when this command runs.
"""

from __future__ import annotations

import click

from breathpace.audio.backends import BackendError, listing_entries
from breathpace.safe_text import printable


@click.command("devices")
def devices_cmd() -> None:
    """List audio output devices (use the number or the name with --device)."""
    for entry in listing_entries():
        assert entry.lister is not None
        try:
            devices = entry.load(entry.lister)()
        except BackendError as exc:
            click.echo(f"No sound devices: {printable(exc)}.")
            click.echo("breathpace plays silently, or writes a WAV file with `breathpace render`.")
            continue
        if not devices:
            click.echo("No playback devices found.")
            continue
        click.echo(f"Playback devices ({printable(devices[0]['backend'])}):")
        for d in devices:
            # A device's name comes from outside (a Bluetooth speaker names itself).
            click.echo(f"  {d['index']}  {printable(d['name'])}")
