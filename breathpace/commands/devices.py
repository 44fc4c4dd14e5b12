"""`breathpace devices`: the playback devices `--device` can name, by number or name."""

from __future__ import annotations

import click


@click.command("devices")
def devices_cmd() -> None:
    """List audio output devices (use the number or the name with --device)."""
    from breathpace.audio.backends import BackendError
    from breathpace.audio.backends.miniaudio_backend import list_playback_devices

    try:
        devices = list_playback_devices()
    except BackendError as exc:
        click.echo(f"No sound devices: {exc}.")
        click.echo("breathpace plays silently, or writes a WAV file with `breathpace render`.")
        return
    if not devices:
        click.echo("No playback devices found.")
        return
    click.echo(f"Playback devices ({devices[0]['backend']}):")
    for d in devices:
        click.echo(f"  {d['index']}  {d['name']}")
