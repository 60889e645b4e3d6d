"""The tables of ``bench_realism.py``: figures per setting beside the real range, the "Done
when" table, and the effects of styles and prompts. Printing only; nothing is asserted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

Figures = dict[str, float]

COLUMNS: list[tuple[str, str, str]] = [
    ("knee_p90", "knee°", "{:.0f}"),
    ("pose_spread", "spread", "{:.3f}"),
    ("wrists_up", "wrist%", "{:.0f}"),
    ("travel", "travel", "{:.2f}"),
    ("speed", "speed", "{:.2f}"),
    ("leg_speed", "leg", "{:.2f}"),
    ("arm_speed", "arm", "{:.2f}"),
    ("bas", "BAS", "{:.3f}"),
    ("bas_nowarp", "BAS-nw", "{:.3f}"),
    ("pfc", "PFC", "{:.2f}"),
    ("foot_skating", "skate%", "{:.1f}"),
    ("contact", "feet%", "{:.0f}"),
    ("fid_k", "FID_k", "{:.1f}"),
    ("fid_g", "FID_g", "{:.1f}"),
]
"""(key, header, format) of every column; speeds m/s, spread m, wrists up and feet (a foot
down by the skating rule: ankle <= 8 cm, toe <= 5 cm) in % of frames."""
_BODY = COLUMNS[:7]  # the body-use columns
DONE_WHEN_STYLES = ("k-pop", "style pop", "style hip-hop", "style girl-crush")
PROMPT_CHECKS: dict[str, tuple[tuple[str, ...], int]] = {
    "hip-hop footwork": (("leg_speed", "knee_p90"), +1),
    "arms": (("arm_speed", "wrists_up"), +1),
    "waves": (("arm_speed", "wrists_up"), +1),
    "hits": (("arm_speed", "wrists_up"), +1),
    "ballad": (("speed",), -1),
    "gentle": (("speed",), -1),
}
"""Prompt to (the figures it should move, +1 up or -1 down)."""


class _Routine(Protocol):
    figures: Figures
    units: tuple[str, ...]


def _cell(row: Mapping[str, float], key: str, fmt: str, width: int = 8) -> str:
    value = row.get(key)
    text = "-" if value is None or not np.isfinite(value) else fmt.format(value)
    return f"{text:>{width}}"


def _line(name: str, row: Mapping[str, float], columns: Sequence[tuple[str, str, str]]) -> str:
    return f"  {name:<30}" + "".join(_cell(row, k, f) for k, _, f in columns)


def print_table(
    table: Mapping[str, Mapping[str, Figures]], families: Mapping[str, Figures]
) -> None:
    """Per setting, ours and baseline (means over songs), then the real range and families."""
    print("\nper setting, mean over songs (FID against the real pop+street set, per style)")
    print(f"  {'':<30}" + "".join(f"{h:>8}" for _, h, _ in COLUMNS))
    for name, gens in table.items():
        for gen, row in gens.items():
            print(_line(f"{name} [{gen}]", row, COLUMNS))
    if not families:
        return
    for label, pick in (("real min", np.nanmin), ("real max", np.nanmax)):
        row = {}
        for k, _, _ in COLUMNS:
            values = [f[k] for f in families.values() if k in f and np.isfinite(f[k])]
            if values:
                row[k] = float(pick(values))
        print(_line(label, row, COLUMNS))
    for family, row in families.items():
        print(_line(f"real {family}", row, COLUMNS))
    print("  (real FID: a pop+street family against the rest of that set, or half against half"
          " when it is alone; the other families against the whole set)")  # fmt: skip


def print_done_when(
    table: Mapping[str, Mapping[str, Figures]],
    real_skating: tuple[float, int],
    real_bas: Sequence[float],
) -> None:
    """The acceptance table for the K-pop styles at default sliders over every song.

    The body-use ranges, BAS and the counts of bad frames must hold on every song, so they are
    judged on the worst song (its value is printed after the mean); FID_k is over the pooled
    windows and foot skating is a mean, as the real mocap's figure it is held against.
    ``real_skating`` is the real mocap's mean foot skating (%) and how many dances it is over.
    """
    skating, n_skating = real_skating
    bas = float(np.mean(real_bas)) if real_bas else float("nan")
    criteria: list[tuple[str, str, str, float | None, bool]] = [
        ("knee p90 >= 45 deg", "knee_p90", ">=", 45.0, True),
        ("pose spread >= 0.08 m", "pose_spread", ">=", 0.08, True),
        ("wrists above shoulders >= 15 %", "wrists_up", ">=", 15.0, True),
        ("pelvis travel >= 0.25 m/s", "travel", ">=", 0.25, True),
        ("mean joint speed >= 0.6 m/s", "speed", ">=", 0.6, True),
        ("FID_k <= half the baseline's", "fid_k", "<=", None, False),
        (f"foot skating <= real {skating:.1f} % ({n_skating})", "foot_skating", "<=", skating,
         False),
        ("NaN frames = 0", "nan_frames", "<=", 0.0, False),
        ("joint-limit violations = 0", "limit_violations", "<=", 0.0, False),
        (f"BAS (warp) >= real Tang {bas:.3f}", "bas", ">=", bas, True),
    ]  # fmt: skip
    print("\nDone when (default sliders, every song): ours mean [worst song] (baseline mean)")
    print(f"  {'':<34}" + "".join(f"{s.removeprefix('style '):>30}" for s in DONE_WHEN_STYLES))
    for label, key, op, target, per_song in criteria:
        cells = []
        for style in DONE_WHEN_STYLES:
            ours = table.get(style, {}).get("ours", {})
            base = table.get(style, {}).get("baseline", {}).get(key, float("nan"))
            goal = 0.5 * base if target is None else target
            worst_key = ("lowest " if op == ">=" else "highest ") + key
            judged = ours.get(worst_key, float("nan")) if per_song else ours.get(key, np.nan)
            ok = judged >= goal if op == ">=" else judged <= goal
            verdict = "PASS" if ok and np.isfinite(judged) else "FAIL"
            if not np.isfinite(goal):
                verdict = "n/a"  # no real figure to compare with
            worst = f" [{judged:.3g}]" if per_song else ""
            cells.append(f"{ours.get(key, np.nan):.3g}{worst} ({base:.3g}) {verdict}")
        print(f"  {label:<34}" + "".join(f"{c:>30}" for c in cells))


def _mean_delta(
    settings: Mapping[str, Mapping[str, _Routine]], name: str, ref: str, key: str
) -> float:
    songs = [s for s in settings[name] if s in settings[ref]]
    deltas = [settings[name][s].figures[key] - settings[ref][s].figures[key] for s in songs]
    return float(np.mean(deltas)) if deltas else float("nan")


def _shared_units(settings: Mapping[str, Mapping[str, _Routine]], name: str) -> float:
    """Mean over songs of the share of distinct units the setting has in common with k-pop."""
    shares = []
    for song, routine in settings[name].items():
        a, b = set(routine.units), set(settings["k-pop"][song].units)
        shares.append(len(a & b) / max(len(a | b), 1))
    return 100.0 * float(np.mean(shares)) if shares else float("nan")


def print_effects(routines: Mapping[str, Mapping[str, Mapping[str, _Routine]]]) -> None:
    """Each style against k-pop and each prompt against the empty prompt (same song, seed)."""
    print("\nstyle effect: style minus k-pop (default sliders, mean over songs); units shared %")
    print(f"  {'':<30}" + "".join(f"{h:>8}" for _, h, _ in _BODY) + f"{'shared':>8}")
    for gen, settings in routines.items():
        for name in settings:
            if not name.startswith("style ") or not settings[name]:
                continue
            row = {k: _mean_delta(settings, name, "k-pop", k) for k, _, _ in _BODY}
            shared = _shared_units(settings, name)
            fmts = [(k, h, "{:+.2f}" if f != "{:.0f}" else "{:+.0f}") for k, h, f in _BODY]
            print(_line(f"{name} [{gen}]", row, fmts) + f"{shared:8.0f}")
    print("\nprompt effect: prompt minus empty prompt (mean over songs)")
    for gen, settings in routines.items():
        for prompt, (keys, sign) in PROMPT_CHECKS.items():
            name = f"prompt {prompt}"
            if not settings.get(name):
                continue
            parts = []
            for key in keys:
                delta = _mean_delta(settings, name, "k-pop", key)
                base = float(np.mean([r.figures[key] for r in settings["k-pop"].values()]))
                moved = "as asked" if delta * sign > 0 else "NOT as asked"
                relative = 100 * delta / max(abs(base), 1e-9)
                parts.append(f"{key} {delta:+.3f} ({relative:+.0f} %, {moved})")
            print(f"  {prompt + ' [' + gen + ']':<30}" + "; ".join(parts))
