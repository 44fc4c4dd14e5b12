"""Compare each benchmark's last recorded run with the run before it.

Run: python benchmarks/compare.py [NAME ...]   (default: every file in benchmarks/results)

For each figure: the run before, the last run, and the change in per cent, with the
commit and the machine's load for both runs (a figure measured on a busy machine is
not comparable to one from an idle machine; the load says which it was). A figure only
one of the two runs has is shown with a dash for the other.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import RESULTS, history


def describe(run: dict) -> str:
    load = run.get("load_1_5_15") or ["?"]
    changed = " + changes" if run.get("changed_files") else ""
    return f"{run.get('commit') or '?'}{changed}, {run.get('when') or '?'}, load {load[0]}"


def compare(before: dict, last: dict) -> list[str]:
    a, b = before.get("figures", {}), last.get("figures", {})
    width = max((len(k) for k in {**a, **b}), default=10)
    lines = [f"  before: {describe(before)}", f"  last:   {describe(last)}"]
    for key in dict.fromkeys([*a, *b]):
        old, new = a.get(key), b.get(key)
        if isinstance(old, int | float) and isinstance(new, int | float) and old:
            change = f"{(new - old) / abs(old) * 100:+.0f} %"
        else:
            change = ""
        show = lambda v: "-" if v is None else f"{v:g}"  # noqa: E731
        lines.append(f"  {key:<{width}}  {show(old):>10} -> {show(new):<10} {change}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmark names (results/NAME.jsonl)")
    args = parser.parse_args(argv)
    paths = (
        [RESULTS / f"{n}.jsonl" for n in args.names]
        if args.names
        else sorted(RESULTS.glob("*.jsonl"))
    )
    if not paths:
        print("no results yet: run a benchmark first")
        return 0
    for path in paths:
        if not path.exists():
            print(f"{path.stem}: no results")
            continue
        runs = history(path)
        print(f"{path.stem}: {len(runs)} runs recorded")
        if len(runs) == 1:
            print(f"  only one run ({describe(runs[0])}): nothing to compare")
        elif runs:
            print("\n".join(compare(runs[-2], runs[-1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
