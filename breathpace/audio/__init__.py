"""Sound: pure synthesis and mixing (`synth`, `mixer`), themes, WAV files and voice.

`synth` and `mixer` are pure (no files, clocks or devices); `theme`, `wavfile` and
`voice` are the thin shell that reads theme files, writes WAVs and runs espeak-ng.
"""
