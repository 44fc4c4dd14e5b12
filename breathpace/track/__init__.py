"""A guided session as a file for a phone: encoded audio, tags, chapters and pictures.

`chapters` (pure) says where each exercise begins; `images` draws the cover and each
chapter's figure with Pillow; `tags` writes ID3 and Vorbis comments with mutagen;
`encode` streams the mixer's blocks into WAV, MP3, FLAC or Ogg Vorbis; `build` puts a
prepared session together into one track; `feed` keeps a podcast feed of tracks.
Everything that needs an encoder or an imaging library imports it lazily, so `check`,
`preview` and `list` never load them.
"""
