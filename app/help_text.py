"""The Help menu's texts: the keyboard shortcuts, read off the actions themselves, and About.

The shortcut list is generated from the menus' actions (and the dancer lanes' own actions), so
it names exactly the keys that work and cannot drift from them; mouse gestures, which are no
actions, come from the lists kept beside the widgets that handle them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

Row = tuple[str, str]  # (keys, what they do)


def studio_version() -> str:
    """The installed version of the studio ("0.1.0"), or a note that it runs from source."""
    try:
        return version("eightcount-studio")
    except PackageNotFoundError:
        return "development build (not installed)"


def action_text(action: QAction) -> str:
    """A menu text without its mnemonic ampersand or trailing ellipsis; undo and redo without
    the step they would take back now ("Undo Rename part 4" is "Undo")."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
    first = text.split(" ", 1)[0]
    return first if first in ("Undo", "Redo") else text


def action_rows(actions: Iterable[QAction]) -> list[Row]:
    """(keys, text) of every action that has a shortcut, its shortcuts joined by " / "."""
    rows = []
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in action.shortcuts()
            if not k.isEmpty()
        ]
        if keys:
            rows.append((" / ".join(keys), action_text(action)))
    return rows


def menu_groups(bar: QMenuBar) -> list[tuple[str, list[Row]]]:
    """One group of rows per menu of ``bar`` (submenus folded into their menu)."""
    groups = []
    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            rows = action_rows(_all_actions(menu))
            if rows:
                groups.append((action_text(top), rows))
    return groups


def _all_actions(menu: QMenu) -> list[QAction]:
    out = []
    for action in menu.actions():
        sub = action.menu()
        out.extend(_all_actions(sub) if isinstance(sub, QMenu) else [action])
    return out


def shortcut_html(groups: Sequence[tuple[str, Sequence[Row]]]) -> str:
    """The groups as HTML tables, a heading row per group, in two columns so the list fits a
    laptop screen."""
    sizes = [len(rows) + 2 for _, rows in groups]
    half, split = sum(sizes) / 2, 0
    while split < len(groups) and sum(sizes[: split + 1]) <= half:
        split += 1
    columns = [_table(groups[:split]), _table(groups[split:])]
    cells = "".join(f'<td valign="top" style="padding-right:24px">{c}</td>' for c in columns)
    return f"<table><tr>{cells}</tr></table>"


def _table(groups: Sequence[tuple[str, Sequence[Row]]]) -> str:
    cells = []
    for title, rows in groups:
        cells.append(f'<tr><th colspan="2" align="left"><br>{html.escape(title)}</th></tr>')
        cells += [
            f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(text)}</td></tr>"
            for keys, text in rows
        ]
    return "<table>" + "".join(cells) + "</table>"
