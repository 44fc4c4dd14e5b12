"""`breathpace figure`: the renderer reached from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from golden_cases import golden_path

from breathpace.cli import main
from breathpace.library import builtin_figure_files


def run(*args: str):
    return CliRunner().invoke(main, ["figure", *args])


def test_without_a_name_it_lists_every_builtin_figure_and_its_poses():
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(builtin_figure_files())
    assert "  clamshell             start, open" in lines


def test_it_draws_a_pose_exactly_as_the_golden_frame():
    result = run("clamshell", "--pose", "open", "--size", "24x12", "--side", "right")
    assert result.exit_code == 0, result.output
    golden = golden_path("clamshell", "open", 24, 12, True, 0.0).read_text("utf-8")
    expected = [line.rstrip() for line in golden.rstrip("\n").split("\n")]
    assert result.stdout.splitlines() == [
        "Clamshell, on the left side, seen from the front",
        "",
        "open:",
        *expected,
    ]


def test_bad_names_poses_and_sizes_are_one_line_and_exit_2():
    assert run("clamshel").exit_code == 2
    assert run("clamshel").stderr == (
        'breathpace: clamshel: no figure of that name (did you mean "clamshell"?)\n'
    )
    result = run("clamshell", "--pose", "opn")
    assert result.exit_code == 2
    assert result.stderr == 'breathpace: clamshell: no pose "opn" (poses: start, open)\n'
    result = run("clamshell", "--size", "1000x3")
    assert result.exit_code == 2
    assert "the size must be between 12x6 and 200x80" in result.stderr


def test_json_gives_every_pose_in_metres_with_its_contacts_limits_and_props():
    import json

    result = run("bridge-march", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["poses"]) == {"start", "top", "left", "right"}
    left = data["poses"]["left"]
    radius = data["radius"]

    def underside(pose: dict, name: str) -> float:
        return pose["points"][name][1] - radius[name]

    # The floor is y = 0: what rests there is at 0, the lifted foot a few centimetres up.
    for name in left["contacts"]["floor"]:
        assert abs(underside(left, name)) <= 0.03, name
    assert 0.02 <= underside(left, "heel_l") <= 0.06
    assert left["limits"]["heel_l"] == {"max_height": 0.06, "min_height": 0.02}
    assert data["props"] == {
        "floor": True,
        "wall": None,
        "chair": None,
        "counter": None,
        "band": None,
    }
    assert {"head", "pelvis", "knee_l", "ankle_r", "toe_l", "heel_r", "hand_l"} <= set(
        left["points"]
    )
    # The other side: the other foot lifts, and the contacts say so.
    right = json.loads(run("bridge-march", "--json", "--side", "right").stdout)
    mirrored = right["poses"]["left"]
    assert "heel_l" in mirrored["contacts"]["floor"]
    assert 0.02 <= underside(mirrored, "heel_r") <= 0.06
    assert mirrored["limits"]["heel_r"] == {"max_height": 0.06, "min_height": 0.02}


def test_json_names_the_chair_a_seated_figure_sits_on():
    import json

    data = json.loads(run("seated-twist", "--json", "--pose", "start").stdout)
    chair = data["props"]["chair"]
    pelvis = data["poses"]["start"]["points"]["pelvis"][1] - data["radius"]["pelvis"]
    assert abs(pelvis - chair["height"]) <= 0.03
    assert data["view"]["name"] == "seen from the front and above"
