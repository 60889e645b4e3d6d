"""The Styles panel: the user's own styles and their examples, the move library to tag from,
and the style the classifier reads in each clip.

A style of one's own is taught by example (:mod:`app.model.style_tags`): clips tagged with
its name on the timeline (Ctrl+click several, then Tag as Style…) or moves of the library
picked here. The panel observes the project and edits nothing: its buttons only ask
(``tag_clips_requested``, ``tag_moves_requested``, ``untag_requested``) and the window pushes
one undo command. The clip styles come from the last scorecard (:meth:`set_clip_styles`).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model import Project
from app.model.style_tags import style_examples
from inference.assess.scorecard_style import StyleRead

KEY_ROLE = Qt.ItemDataRole.UserRole
HINT = (
    "Teach the classifier a style of your own: select clips that show it (Ctrl+click several "
    "on a dancer lane) or moves of your library below, then Tag as Style. Three clips are "
    "enough: it then names that style in every clip and part."
)
UNCERTAIN_TIP = "“mixed”: two styles share it; “unknown”: it looks like no style it knows."
CLIP_COLUMNS = ("Clip", "Start", "Style")


def _seconds(value: float) -> str:
    minutes, rest = divmod(max(0.0, value), 60.0)
    return f"{int(minutes)}:{rest:04.1f}"


def style_short(read: StyleRead | None) -> str:
    """ "girl crush 72%", "mixed", or "–" when there is no read."""
    if read is None:
        return "–"
    top = read.top(1)
    if top and top[0][0] == read.style:
        return f"{read.style} {top[0][1]:.0%}"
    return read.style


class StylePanel(QWidget):
    """The user's styles with their examples, the move library, and each clip's style."""

    tag_clips_requested = Signal()
    tag_moves_requested = Signal(list)  # motion ids of library moves
    untag_requested = Signal(list)  # keys (motion id, in, out) of tagged stretches
    clip_clicked = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._clip_styles: dict[str, StyleRead | None] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(hint)

        self.styles_tree = QTreeWidget()
        self.styles_tree.setHeaderLabels(("Your styles and their examples", "Seconds"))
        self.styles_tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.styles_tree.setRootIsDecorated(True)
        header = self.styles_tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.styles_tree.itemSelectionChanged.connect(self._sync_buttons)
        layout.addWidget(self.styles_tree, 2)
        buttons = QHBoxLayout()
        self.tag_clips_button = QPushButton("Tag Selected Clips…")
        self.tag_clips_button.setToolTip(
            "Tag the clips selected on the dancer lanes as examples of a style (new or yours)"
        )
        self.tag_clips_button.clicked.connect(self.tag_clips_requested)
        self.untag_button = QPushButton("Untag")
        self.untag_button.setToolTip("The selected examples stop being examples of their style")
        self.untag_button.clicked.connect(self._on_untag)
        buttons.addWidget(self.tag_clips_button, 1)
        buttons.addWidget(self.untag_button)
        layout.addLayout(buttons)

        library = QHBoxLayout()
        library.addWidget(QLabel("Move library"), 1)
        self.tag_moves_button = QPushButton("Tag Moves…")
        self.tag_moves_button.setToolTip("Tag the moves selected below as examples of a style")
        self.tag_moves_button.clicked.connect(
            lambda: self.tag_moves_requested.emit(self.selected_moves())
        )
        library.addWidget(self.tag_moves_button)
        layout.addLayout(library)
        self.moves_list = QListWidget()
        self.moves_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.moves_list.setToolTip(
            "Your own moves (Generate ▸ Add Folder of Moves, or Add Selected Clip to the Move "
            "Library), with the style each is an example of"
        )
        self.moves_list.itemSelectionChanged.connect(self._sync_buttons)
        layout.addWidget(self.moves_list, 1)

        layout.addWidget(QLabel("Style of each clip (the scored dancer)"))
        self.clips_table = QTableWidget(0, len(CLIP_COLUMNS))
        self.clips_table.setHorizontalHeaderLabels(CLIP_COLUMNS)
        self.clips_table.verticalHeader().hide()
        self.clips_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clips_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.clips_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.clips_table.setWordWrap(False)
        self.clips_table.setToolTip(
            "The style the classifier reads in each clip, with its probability. " + UNCERTAIN_TIP
        )
        table_header = self.clips_table.horizontalHeader()
        table_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            table_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.clips_table.cellClicked.connect(self._on_clip_row_clicked)
        layout.addWidget(self.clips_table, 2)

        events = project.events
        for name in ("style_tags_changed", "user_moves_changed", "motion_added", "motion_removed"):
            getattr(events, name).connect(self._refresh_styles)
        for name in ("clip_added", "clip_removed", "clip_changed", "clip_moved", "clip_trimmed"):
            getattr(events, name).connect(self._refresh_clips)
        self._refresh_styles()
        self._refresh_clips()

    def sizeHint(self) -> QSize:
        return QSize(240, 360)  # as the scorecard: the dock column keeps its width

    # -- the styles and the library ------------------------------------------------------------

    def _refresh_styles(self, *_: object) -> None:
        project = self._project
        tagged_keys = {t.key for t in project.style_tags}
        self.styles_tree.clear()
        for style, examples in style_examples(project).items():
            n = len(examples)
            top = QTreeWidgetItem((f"{style}  ({n} clip{'s' * (n != 1)})", ""))
            top.setToolTip(0, f"“{style}”: learnt from {n} example{'s' * (n != 1)}")
            self.styles_tree.addTopLevelItem(top)
            for tag in examples:
                own = tag.key in tagged_keys
                where = "tagged" if own else "its move folder's style"
                child = QTreeWidgetItem((f"{tag.name}", f"{tag.duration:.1f}"))
                span = f"{tag.source_in:.1f}-{tag.source_out:.1f} s"
                child.setToolTip(0, f"{tag.name}: {span} of its motion ({where})")
                child.setData(0, KEY_ROLE, list(tag.key) if own else None)
                top.addChild(child)
            top.setExpanded(True)
        if self.styles_tree.topLevelItemCount() == 0:
            empty = QTreeWidgetItem(("No styles of your own yet", ""))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.styles_tree.addTopLevelItem(empty)
        self._refresh_moves()
        self._sync_buttons()

    def _refresh_moves(self) -> None:
        project = self._project
        motions = project.motions
        tag_of = {t.motion_id: t.style for t in project.style_tags}
        move_styles = project.user_move_styles
        self.moves_list.clear()
        for motion_id in project.user_moves:
            asset = motions[motion_id]
            style = tag_of.get(motion_id) or move_styles.get(motion_id)
            text = f"{asset.name}  ({style})" if style else asset.name
            item = QListWidgetItem(text)
            item.setData(KEY_ROLE, motion_id)
            item.setToolTip(f"{asset.name}: {asset.duration:.1f} s")
            self.moves_list.addItem(item)
        if not project.user_moves:
            empty = QListWidgetItem("No moves of your own yet")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.moves_list.addItem(empty)

    def selected_moves(self) -> list[str]:
        """Motion ids of the library moves selected in the list."""
        return [str(i.data(KEY_ROLE)) for i in self.moves_list.selectedItems()]

    def selected_tags(self) -> list[tuple[str, float, float]]:
        """Keys of the tagged stretches selected (a style's row selects all its tags)."""
        keys: list[tuple[str, float, float]] = []
        for item in self.styles_tree.selectedItems():
            children = [item.child(i) for i in range(item.childCount())] or [item]
            for child in children:
                key = child.data(0, KEY_ROLE)
                if key is not None and tuple(key) not in keys:
                    keys.append((str(key[0]), float(key[1]), float(key[2])))
        return keys

    def _on_untag(self) -> None:
        keys = self.selected_tags()
        if keys:
            self.untag_requested.emit(keys)

    def _sync_buttons(self) -> None:
        self.untag_button.setEnabled(bool(self.selected_tags()))
        self.tag_moves_button.setEnabled(bool(self.selected_moves()))

    # -- the clips' styles ---------------------------------------------------------------------

    def set_clip_styles(self, styles: Mapping[str, StyleRead | None]) -> None:
        """Show the style read in each clip (by clip id), from the latest scorecard."""
        self._clip_styles = dict(styles)
        self._refresh_clips()

    def _refresh_clips(self, *_: object) -> None:
        rows = []
        for track in self._project.dancer_tracks():
            rows.extend(c for c in track.clips if c.id in self._clip_styles)
        rows.sort(key=lambda c: c.start)
        self.clips_table.setRowCount(len(rows))
        for row, clip in enumerate(rows):
            read = self._clip_styles[clip.id]
            full = f"Style: {read.text()}" if read is not None else "Too short to read (< 1 s)"
            cells = (
                (clip.name, clip.name),
                (_seconds(clip.start), "Start"),
                (style_short(read), full),
            )
            for col, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, clip.id)
                item.setToolTip(tip)
                self.clips_table.setItem(row, col, item)

    def clip_row(self, clip_id: str) -> int | None:
        """The table row showing ``clip_id``, if any."""
        for row in range(self.clips_table.rowCount()):
            item = self.clips_table.item(row, 0)
            if item is not None and item.data(KEY_ROLE) == clip_id:
                return row
        return None

    def _on_clip_row_clicked(self, row: int, _column: int) -> None:
        item = self.clips_table.item(row, 0)
        if item is not None:
            self.clip_clicked.emit(str(item.data(KEY_ROLE)))
