"""Playback: the song through the sound card, or a silent clock when there is no output device.

Whatever plays, one clock says where the song is, and every view follows that clock. With a
sound card it is the number of frames the audio stream has consumed; without one it is a
monotonic timer, and the studio says why it is silent.

Practice speed: a clock always reports *song* time. At 0.75x the silent clock advances 0.75 s
of song per second of wall time; the audio clock plays audio stretched to ``1 / speed`` of its
length (pitch kept, see :mod:`inference.audio.stretch`) and maps the frames it consumed back to
song time. Loops wrap in :class:`Transport`, on the clock's song time.
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, QTimer, Signal

_REFRESH_MS = 16  # about 60 position updates a second, one per screen frame


class SilentClock:
    """A monotonic clock that stands in for the audio stream."""

    reason = ""

    def __init__(self, reason: str = "") -> None:
        self.reason = reason
        self._origin = 0.0
        self._started: float | None = None
        self.speed = 1.0

    def set_speed(self, speed: float, samples: npt.NDArray[np.float32] | None = None) -> None:
        """Run at ``speed`` x song time; a silent clock needs no stretched audio."""
        position = self.position()
        self.speed = speed
        if self._started is not None:
            self.start(position)
        else:
            self._origin = position

    def start(self, position: float) -> None:
        self._origin = position
        self._started = time.perf_counter()

    def stop(self) -> None:
        self._origin = self.position()
        self._started = None

    def set_position(self, position: float) -> None:
        self._origin = position

    def position(self) -> float:
        if self._started is None:
            return self._origin
        return self._origin + (time.perf_counter() - self._started) * self.speed

    def set_song(self, samples: npt.NDArray[np.float32] | None, sample_rate: int) -> None:
        """A silent clock ignores the audio."""


class AudioClock:
    """Plays mono samples through sounddevice; the position is what the stream consumed.

    ``device`` is a PortAudio output device index, or None for the system's default output.
    """

    reason = ""

    def __init__(self, device: int | None = None) -> None:
        import sounddevice  # lazily: PortAudio is only loaded when the studio wants sound

        self._sd = sounddevice
        self.device = device
        self._samples: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        self._rate = 44100
        self._frame = 0
        self._lock = threading.Lock()
        self._stream: object | None = None
        self.speed = 1.0

    def set_song(self, samples: npt.NDArray[np.float32] | None, sample_rate: int) -> None:
        self.stop()
        with self._lock:
            self._samples = np.zeros(0, np.float32) if samples is None else samples
            self._rate = sample_rate
            self.speed = 1.0

    def set_speed(self, speed: float, samples: npt.NDArray[np.float32] | None = None) -> None:
        """Play ``samples``, the song already stretched (and mixed) for ``speed``."""
        if samples is None:
            return  # nothing rendered yet: keep playing what plays now
        playing = self._stream is not None
        position = self.position()
        self.stop()
        with self._lock:
            self._samples = samples
            self.speed = speed
        self.start(position) if playing else self.set_position(position)

    def _callback(self, out: npt.NDArray[np.float32], frames: int, *_: object) -> None:
        with self._lock:
            chunk = self._samples[self._frame : self._frame + frames]
            out[: len(chunk), 0] = chunk
            out[len(chunk) :, 0] = 0.0
            self._frame += frames

    def start(self, position: float) -> None:
        self.stop()
        self.set_position(position)
        stream = self._sd.OutputStream(
            samplerate=self._rate,
            channels=1,
            dtype="float32",
            callback=self._callback,
            device=self.device,
        )
        stream.start()
        self._stream = stream

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()  # type: ignore[attr-defined]
            stream.close()  # type: ignore[attr-defined]

    def set_position(self, position: float) -> None:
        with self._lock:
            self._frame = int(position / self.speed * self._rate)

    def position(self) -> float:
        with self._lock:
            return self._frame / self._rate * self.speed


def output_devices() -> list[tuple[int, str]]:
    """The sound card outputs PortAudio knows, as (device index, name); empty without any."""
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except Exception:  # no PortAudio, or it cannot list devices: there is nothing to offer
        return []
    return [
        (int(d["index"]), str(d["name"]))
        for d in devices
        if int(d.get("max_output_channels", 0)) > 0
    ]


def open_clock(device: int | None = None) -> AudioClock | SilentClock:
    """The sound card's clock on ``device`` (None: the default output), else a silent clock
    whose ``reason`` says why."""
    where = "the default output device" if device is None else f"output device {device}"
    try:
        clock = AudioClock(device)
        found = clock._sd.query_devices(device if device is not None else None, kind="output")
    except (OSError, ImportError) as error:
        return SilentClock(f"No audio output (PortAudio is missing: {error}); playing silently.")
    except Exception as error:  # sounddevice raises PortAudioError for "no default output"
        if device is None:
            return SilentClock("No audio output device found; playing silently.")
        return SilentClock(f"Could not open {where}: {error}; playing silently.")
    if not found:
        return SilentClock("No audio output device found; playing silently.")
    return clock


class RatePacer:
    """Lets through at most ``per_second`` of the chances it is offered (playback ticks,
    camera pictures), evenly: due times step by the interval, so the rate holds on average
    however the chances fall; after a stall the schedule restarts instead of catching up."""

    def __init__(self, per_second: float) -> None:
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._next = -math.inf

    def due(self, now: float) -> bool:
        """Whether to act on the chance at ``now`` (time.monotonic() seconds)."""
        if now < self._next:
            return False
        late = now - self._next >= self._interval
        self._next = (now if late else self._next) + self._interval
        return True

    def restart(self, now: float) -> None:
        """Something was just shown at ``now``: the next chance is due an interval later."""
        self._next = now + self._interval


class Transport(QObject):
    """Play, pause and seek; emits ``position_changed`` about 60 times a second while playing
    (fewer under :meth:`set_display_rate`)."""

    position_changed = Signal(float)
    playing_changed = Signal(bool)
    loop_changed = Signal(object)  # the loop (start, end) in seconds, or None
    clock_changed = Signal(object)  # the new AudioClock or SilentClock

    def __init__(self, clock: AudioClock | SilentClock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._samples: npt.NDArray[np.float32] | None = None
        self._rate = 1
        self._duration = 0.0
        self._playing = False
        self.loop: tuple[float, float] | None = None
        self._display: RatePacer | None = None  # None: the position shows at every tick
        self._timer = QTimer(self)
        self._timer.setInterval(_REFRESH_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def position(self) -> float:
        return self.clock.position()

    def set_song(self, samples: npt.NDArray[np.float32] | None, sample_rate: int) -> None:
        self.pause()
        self._samples, self._rate = samples, sample_rate
        self.clock.set_song(samples, sample_rate)
        self._duration = 0.0 if samples is None else len(samples) / sample_rate
        self.seek(0.0)

    def set_clock(self, clock: AudioClock | SilentClock) -> None:
        """Play through ``clock`` from now on (another output device, or silence), keeping
        the song and the playhead; playback pauses."""
        position = self.position
        self.pause()
        self.clock.stop()
        self.clock = clock
        clock.set_song(self._samples, self._rate)
        clock.set_position(position)
        self.clock_changed.emit(clock)

    def play(self) -> None:
        if self._playing or self._duration <= 0:
            return
        start = 0.0 if self.position >= self._duration else self.position
        try:
            self.clock.start(start)
        except Exception as error:  # a device that vanished or refuses the stream (PortAudio)
            name = getattr(self.clock, "device", None)
            which = "The default output device" if name is None else f"Output device {name}"
            self.set_clock(SilentClock(f"{which} failed ({error}); playing silently."))
            self.clock.start(start)
        self._playing = True
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if not self._playing:
            return
        self.clock.stop()
        self._playing = False
        self._timer.stop()
        self.playing_changed.emit(False)
        self.position_changed.emit(self.position)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def seek(self, seconds: float) -> None:
        seconds = min(max(0.0, seconds), self._duration)
        if self._playing:
            self.clock.start(seconds)
        else:
            self.clock.set_position(seconds)
        self.position_changed.emit(seconds)

    @property
    def speed(self) -> float:
        return self.clock.speed

    def set_speed(self, speed: float, samples: npt.NDArray[np.float32] | None = None) -> None:
        """Play at ``speed`` (0.5-1.0) x; ``samples`` is the audio rendered for that speed."""
        if not 0.25 <= speed <= 1.0:
            raise ValueError("the practice speed must lie between 0.25 and 1")
        self.clock.set_speed(speed, samples)

    def set_loop(self, start: float | None, end: float | None = None) -> None:
        """Loop ``start``..``end`` seconds of song while playing; None stops looping."""
        if start is None or end is None or end - start < 0.05:
            self.loop = None
        else:
            self.loop = (max(0.0, start), min(end, self._duration or end))
            if not self.loop[0] <= self.position < self.loop[1]:
                self.seek(self.loop[0])
        self.loop_changed.emit(self.loop)

    @property
    def display_rate(self) -> float | None:
        """The cap on shown positions a second while playing (``None``: every tick)."""
        return None if self._display is None else self._display.per_second

    def set_display_rate(self, per_second: float | None) -> None:
        """Show the playing position at most ``per_second`` times a second (``None``: at every
        tick). Everything that follows the playhead redraws on ``position_changed``, so this
        caps them all at once; the tick itself still wraps loops and stops at the song's end
        every 16 ms, and seeks and pauses are shown at once."""
        self._display = None if per_second is None else RatePacer(per_second)

    def show_position(self) -> None:
        """Show the position now, as a picture is shown (one window update for both); under
        a display rate the tick shows the next one a whole interval later."""
        if self._display is not None:
            self._display.restart(time.monotonic())
        self.position_changed.emit(self.position)

    def _tick(self) -> None:
        position = self.position
        if self.loop is not None and position >= self.loop[1]:
            # Wrap on song time: a tick is 16 ms, well under a beat even at 200 BPM.
            self.seek(self.loop[0])
            return
        if position >= self._duration:
            self.pause()
            return
        if self._display is not None and not self._display.due(time.monotonic()):
            return
        self.position_changed.emit(position)
