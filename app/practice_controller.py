"""Practice: speed with the pitch kept, loops of a part or of an A–B range, the metronome.

Speed changes take effect at once on the silent clock. With a sound card the song is first
rendered at the new speed on the worker (stretched, clicks mixed in) and the audio clock
switches to it when it arrives; until then the old speed keeps playing. The render queues
behind a running analysis (there is one worker, and a render must not cancel it); a newer
render cancels the older one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.bridge import InferenceBridge, Policy
from app.model import Project
from app.playback import SilentClock, Transport
from inference.song_requests import LoadedSong, PracticeRenderRequest
from widgets.transport_bar import TransportBar


class PracticeController(QObject):
    """Connects the transport bar to the transport."""

    def __init__(
        self,
        transport: Transport,
        bar: TransportBar,
        bridge: InferenceBridge,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.transport, self.bar, self._bridge = transport, bar, bridge
        self.project = Project()
        self.song: LoadedSong | None = None
        self.speed = 1.0
        self.metronome = False
        self._a: float | None = None
        self._render_serial: int | None = None
        bar.play_clicked.connect(transport.toggle)
        bar.speed_chosen.connect(self.set_speed)
        bar.metronome_toggled.connect(self.set_metronome)
        bar.loop_part_toggled.connect(self.loop_current_part)
        bar.set_a_clicked.connect(lambda: self._set_a(transport.position))
        bar.set_b_clicked.connect(lambda: self._set_b(transport.position))
        bar.clear_loop_clicked.connect(lambda: self._loop(None, None))
        transport.position_changed.connect(bar.show_position)
        transport.playing_changed.connect(bar.show_playing)

    def set_song(self, project: Project, song: LoadedSong | None) -> None:
        self.project, self.song = project, song
        self._loop(None, None)
        if self.speed != 1.0 or self.metronome:
            self._render()

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        self._render()

    def set_metronome(self, on: bool) -> None:
        self.metronome = on
        self._render()

    def loop_current_part(self, on: bool) -> None:
        """Loop the part under the playhead (or stop looping)."""
        position = self.transport.position
        part = next((p for p in self.project.parts if p.start <= position < p.end), None)
        if on and part is not None:
            self._loop(part.start, part.end)
        else:
            self._loop(None, None)

    def _set_a(self, position: float) -> None:
        self._a = position
        self.bar.loop_label.setText(f"A at {position:.2f} s: now set B")

    def _set_b(self, position: float) -> None:
        if self._a is not None:
            start, end = sorted((self._a, position))
            self._loop(start, end)

    def set_loop(self, start: float, end: float) -> None:
        """Loop ``start``..``end`` seconds (the timeline's loop edges were dragged there)."""
        self._loop(start, end)

    def _loop(self, start: float | None, end: float | None) -> None:
        self.transport.set_loop(start, end)
        self.bar.show_loop(self.transport.loop)

    def _render(self) -> None:
        if isinstance(self.transport.clock, SilentClock) or self.song is None:
            # Nothing to hear: song time simply runs at the new rate.
            self.transport.set_speed(self.speed)
            return
        grid = self.project.beat_grid
        request = PracticeRenderRequest(
            self.song.samples, self.song.sample_rate, self.speed, grid.beats, grid.counts,
            self.metronome,
        )  # fmt: skip
        if self._render_serial is not None:
            self._bridge.cancel(self._render_serial)
        self._render_serial = self._bridge.submit(
            request,
            lambda samples: self.transport.set_speed(request.speed, samples),
            policy=Policy.QUEUE,
        )
