"""Sound themes: the built-in ones load, bad files give one exact line, samples stay home."""

from __future__ import annotations

import os

import numpy as np
import pytest
from pydantic import ValidationError

from breathpace.audio.mixer import Mixer
from breathpace.audio.theme import (
    Theme,
    ThemeError,
    list_themes,
    load_theme,
    parse_theme,
)
from breathpace.audio.wavfile import write_wav
from breathpace.routine.load import parse_routine
from breathpace.timeline import Mark, compile

TONE = "freq = 300\nduration = 0.5\nlevel = 0.3\n"


def test_built_in_themes():
    assert {"soft", "clear", "minimal"} <= set(list_themes())
    for name in list_themes():
        theme = load_theme(name)
        assert theme.name == name
        assert theme.description


def test_the_default_is_soft():
    assert load_theme().name == "soft"
    assert load_theme(None) == load_theme("soft")


def test_clear_is_louder_than_soft_and_minimal_has_no_chimes():
    soft, clear, minimal = load_theme("soft"), load_theme("clear"), load_theme("minimal")
    for cue in ("inhale", "exhale", "rep_end", "count"):
        assert max(t.level for t in getattr(clear.cue, cue)) > max(
            t.level for t in getattr(soft.cue, cue)
        )
    chimes = ("rep_end", "set_end", "exercise_end", "session_end", "switch", "count", "rest")
    assert all(getattr(minimal.cue, c) == () for c in chimes)
    assert minimal.cue.inhale and minimal.cue.exhale and minimal.cue.hold


def test_chimes_grow_fuller():
    soft = load_theme()
    layers = [len(getattr(soft.cue, c)) for c in ("rep_end", "set_end", "exercise_end")]
    assert layers == sorted(layers) and layers[0] < layers[-1]
    assert len(soft.cue.session_end) > layers[-1]


def test_breath_cues_glide_the_right_way_in_every_theme():
    for name in list_themes():
        cue = load_theme(name).cue
        assert cue.inhale[0].glide_to > cue.inhale[0].freq, name
        assert cue.exhale[0].glide_to < cue.exhale[0].freq, name
        assert all(t.glide_to is None for t in cue.hold), name


def test_themes_are_frozen():
    theme = load_theme()
    with pytest.raises(ValidationError):
        theme.description = "changed"
    with pytest.raises(ValidationError):
        theme.cue.inhale[0].level = 1.0


def test_theme_fields_are_documented():
    from breathpace.audio import theme
    from breathpace.audio.theme import BreathTone, Cues, Tone
    from breathpace.routine.schema import field_docstrings

    docs = field_docstrings(theme)
    for model in (Theme, Cues, Tone, BreathTone):
        for name in model.model_fields:
            owners = [c.__name__ for c in model.__mro__]
            assert any(docs.get(owner, {}).get(name) for owner in owners), (
                f"{model.__name__}.{name}"
            )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"[[cue.inhale]]\n{TONE}frequency = 2\n",
            'unknown key "cue.inhale[1].frequency" (did you mean "freq"?)',
        ),
        (f"[[cue.inhail]]\n{TONE}", 'unknown key "cue.inhail" (did you mean "inhale"?)'),
        ("[breath_tone]\nlouder = 1\n", 'unknown key "breath_tone.louder"'),
        ('descripton = "x"\n', 'unknown key "descripton" (did you mean "description"?)'),
        (
            "[[cue.inhale]]\nfreq = 300\nduration = 0.5\n",
            "cue.inhale[1].level: is required but missing",
        ),
        (
            f"[[cue.inhale]]\n{TONE}[[cue.inhale]]\nfreq = 5\nduration = 0.5\nlevel = 0.3\n",
            "cue.inhale[2].freq: must be at least 20 (found 5)",
        ),
        (
            "[[cue.exhale]]\nfreq = 300\nduration = 0.5\nlevel = 1.5\n",
            "cue.exhale[1].level: must be at most 1 (found 1.5)",
        ),
        (
            "[[cue.inhale]]\nfreq = 300\nduration = 0.5\nlevel = nan\n",
            "cue.inhale[1].level: must be a finite number (found nan)",
        ),
        (
            "[[cue.inhale]]\nduration = 0.5\nlevel = 0.2\n",
            "cue.inhale[1]: a tone needs a freq (or a sample)",
        ),
        (
            f"[[cue.inhale]]\n{TONE}partials = [1.0, 0.5]\nratios = [1.0]\n",
            "cue.inhale[1]: ratios must have one entry per partial",
        ),
        (
            "[[cue.tick]]\nfreq = 300\nduration = 0.01\nlevel = 0.2\n",
            "cue.tick[1]: attack plus release must fit in the duration",
        ),
        ("[breath_tone]\nlow = 300\nhigh = 200\n", "breath_tone: high must be above low"),
        ("[cue]\ninhale = 3\n", "cue.inhale: must be a list like [ ... ] (found 3)"),
        ("format = 2\n", "format: must be 1 (found 2)"),
        (
            "[[cue.inhale]\nfreq = 300\n",
            "line 1, column 13: TOML syntax error: Expected ']]' at the end of an array "
            "declaration",
        ),
    ],
)
def test_bad_themes_give_one_exact_line(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == f"{path}: {message}"
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_theme_name_suggests_one():
    with pytest.raises(ThemeError) as info:
        load_theme("clearr")
    assert str(info.value) == (
        "theme 'clearr': no theme of that name (did you mean \"clear\"?); "
        "themes: clear, minimal, soft"
    )


def test_missing_theme_file(tmp_path):
    with pytest.raises(ThemeError) as info:
        load_theme(str(tmp_path / "nope.toml"))
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: no such file"


def test_not_utf8(tmp_path):
    path = tmp_path / "bin.toml"
    path.write_bytes(b"description = \xff\n")
    with pytest.raises(ThemeError, match=r"bin.toml: is not UTF-8 text \(byte 14\)$"):
        load_theme(str(path))


# --- samples ---------------------------------------------------------------------------


def _bell(path, rate=22050):
    t = np.arange(int(0.3 * rate)) / rate
    write_wav(path, 0.5 * np.sin(2 * np.pi * 660 * t) * np.exp(-t / 0.1), rate)


def _sample_theme(folder, sample: str, cue: str = "rep_end"):
    path = folder / "bells.toml"
    path.write_text(f'[[cue.{cue}]]\nsample = "{sample}"\nlevel = 0.4\n')
    return path


def test_a_sample_inside_the_theme_folder_is_used(tmp_path):
    (tmp_path / "sub").mkdir()
    _bell(tmp_path / "sub" / "bell.wav")
    theme = load_theme(str(_sample_theme(tmp_path, "sub/bell.wav")))
    data, rate = theme.samples["sub/bell.wav"]
    assert rate == 22050 and len(data) == int(0.3 * 22050)
    routine = parse_routine(
        'format = 1\ntitle = "t"\n[[exercise]]\nname = "a"\npattern = "1-0-1-0"\ncycles = 2\n'
    )
    timeline = compile(routine)
    mixer = Mixer(timeline, theme)
    x = mixer.render(0, mixer.total_frames)
    # The bell rings at the end of each breath cycle, resampled to 44.1 kHz, its peak at
    # the level asked for (less the few-ms fade-in that keeps its first frame silent).
    assert 0.37 < np.max(np.abs(x)) <= 0.4
    first_rep_end = next(seg for seg in timeline.segments if Mark.REP_END in seg.marks)
    onset = mixer.frame_of(first_rep_end.end_ms)
    assert not x[onset - 100 : onset].any() and np.abs(x[onset : onset + 200]).max() > 0.1


def test_an_absolute_sample_path_is_refused(tmp_path):
    _bell(tmp_path / "bell.wav")
    path = _sample_theme(tmp_path, str(tmp_path / "bell.wav"))
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == (
        f'{path}: cue.rep_end[1].sample: "{tmp_path / "bell.wav"}" is an absolute path; '
        "a sample must be in the theme's folder"
    )


def test_a_sample_escaping_with_dotdot_is_refused(tmp_path):
    inner = tmp_path / "theme"
    inner.mkdir()
    _bell(tmp_path / "bell.wav")
    path = _sample_theme(inner, "../bell.wav")
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == (
        f'{path}: cue.rep_end[1].sample: "../bell.wav" points outside the theme\'s folder, '
        "which is not allowed"
    )
    path = _sample_theme(inner, "sub/../../bell.wav")
    with pytest.raises(ThemeError, match="points outside the theme's folder"):
        load_theme(str(path))


def test_a_symlink_leading_outside_is_refused(tmp_path):
    inner = tmp_path / "theme"
    inner.mkdir()
    _bell(tmp_path / "secret.wav")
    os.symlink(tmp_path / "secret.wav", inner / "bell.wav")
    path = _sample_theme(inner, "bell.wav")
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == (
        f'{path}: cue.rep_end[1].sample: "bell.wav" is a link to a file outside the '
        "theme's folder, which is not allowed"
    )


def test_a_symlink_inside_the_folder_is_fine(tmp_path):
    _bell(tmp_path / "real.wav")
    os.symlink(tmp_path / "real.wav", tmp_path / "bell.wav")
    assert "bell.wav" in load_theme(str(_sample_theme(tmp_path, "bell.wav"))).samples


def test_a_missing_or_broken_sample(tmp_path):
    path = _sample_theme(tmp_path, "bell.wav")
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == (
        f'{path}: cue.rep_end[1].sample: no file "bell.wav" in the theme\'s folder'
    )
    (tmp_path / "bell.wav").write_bytes(b"not a wav at all")
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value).startswith(f"{path}: cue.rep_end[1].sample: bell.wav: not a PCM WAV")


def test_a_sample_layer_takes_no_frequency(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[[cue.rest]]\nsample = "a.wav"\nfreq = 200\nlevel = 0.2\n')
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == f"{path}: cue.rest[1]: a sample layer takes no freq or glide_to"


def test_parse_theme_defaults_are_silent():
    theme = parse_theme("")
    assert all(layers == () for layers in theme.layers().values())


def test_themes_compare_by_content_even_with_samples_and_cached_cues(tmp_path):
    from breathpace.audio.mixer import cue_buffers

    _bell(tmp_path / "bell.wav")
    path = _sample_theme(tmp_path, "bell.wav")
    a, b = load_theme(str(path)), load_theme(str(path))
    cue_buffers(a, 44100)
    assert a == b and hash(a) == hash(b)
    assert a != load_theme("soft")
    buffers = cue_buffers(a, 44100)
    assert buffers is cue_buffers(a, 44100)  # synthesised once per theme and rate
    assert not buffers["rep_end"].flags.writeable


def test_control_characters_in_names_stay_on_one_line(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[[cue.rest]]\nsample = "../a\\nb.wav"\nlevel = 0.2\n')
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == (
        f'{path}: cue.rest[1].sample: "../a\\nb.wav" points outside the theme\'s folder, '
        "which is not allowed"
    )
    path.write_text('[cue]\n"in\\thale" = []\n')
    with pytest.raises(ThemeError) as info:
        load_theme(str(path))
    assert str(info.value) == f'{path}: unknown key "cue.in\\thale" (did you mean "inhale"?)'


def test_a_session_that_plays_nothing_checks_its_samples_but_decodes_none(tmp_path):
    """With `decode=False` (a silent session) the sample files are still found and
    checked, so a missing one is the same one line; a broken one is only read, and
    reported, when something would play it."""
    _bell(tmp_path / "bell.wav")
    theme = load_theme(str(_sample_theme(tmp_path, "bell.wav")), decode=False)
    assert theme._samples is None  # nothing decoded yet
    assert theme.samples["bell.wav"][1] == 22050  # decoded on first use
    missing = _sample_theme(tmp_path, "gone.wav")
    with pytest.raises(ThemeError, match=r'no file "gone\.wav"'):
        load_theme(str(missing), decode=False)
    (tmp_path / "bad.wav").write_bytes(b"not a wav at all")
    broken = load_theme(str(_sample_theme(tmp_path, "bad.wav")), decode=False)
    with pytest.raises(ThemeError, match=r"cue\.rep_end\[1\]\.sample: bad\.wav: "):
        broken.samples  # noqa: B018
    with pytest.raises(ThemeError, match=r"cue\.rep_end\[1\]\.sample: bad\.wav: "):
        load_theme(str(_sample_theme(tmp_path, "bad.wav")))
