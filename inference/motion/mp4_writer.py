"""MP4 writing through ffmpeg: raw RGB frames in on a pipe, H.264 video plus the song out.

No Qt: whoever renders the frames (the viewport's offscreen renderer) hands them over as numpy
arrays. Frame ``i`` is shown at ``i / fps`` seconds and the audio starts at 0, so the video is
in step with the song; the audio is cut (or padded with silence) to exactly the video length.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from inference.errors import BadFileError, UserFacingError

VIDEO_FPS = 30


class FfmpegMissingError(UserFacingError):
    """ffmpeg (or ffprobe) is not installed or not on PATH."""

    def __init__(self, tool: str = "ffmpeg") -> None:
        super().__init__(
            f"MP4 export needs {tool}, which was not found on PATH: install ffmpeg "
            "(for example `apt install ffmpeg`) and try again"
        )


def find_tool(tool: str = "ffmpeg") -> str:
    """The path of ``tool`` (ffmpeg or ffprobe), or :class:`FfmpegMissingError`."""
    path = shutil.which(tool)
    if path is None:
        raise FfmpegMissingError(tool)
    return path


def ffmpeg_command(
    ffmpeg: str,
    output: Path,
    width: int,
    height: int,
    n_frames: int,
    fps: int = VIDEO_FPS,
    audio: Path | None = None,
) -> list[str]:
    """The ffmpeg argument list for :class:`Mp4Writer` (separate so it can be inspected)."""
    duration = f"{n_frames / fps:.6f}"
    cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    cmd += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps)]
    cmd += ["-i", "pipe:0"]
    if audio is not None:
        cmd += ["-i", str(audio)]
    cmd += ["-map", "0:v:0"]
    cmd += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "20"]
    # No -frames:v: reaching it ends the whole output early and clips the padded audio; the
    # pipe carries exactly n_frames frames anyway.
    cmd += ["-r", str(fps)]
    if audio is not None:
        # apad + -t: the soundtrack is exactly as long as the video, never longer or shorter.
        cmd += ["-map", "1:a:0", "-c:a", "aac", "-b:a", "192k", "-af", "apad", "-t", duration]
    cmd += ["-movflags", "+faststart", str(output)]
    return cmd


class Mp4Writer:
    """Stream ``n_frames`` RGB frames of ``width`` x ``height`` into an MP4 with ffmpeg.

    Use as a context manager; :meth:`write` each frame as an (height, width, 3) uint8 array.
    Leaving the block normally finishes the file; an exception (or :meth:`abort`) kills
    ffmpeg and removes the partial file.

    Parameters
    ----------
    output
        The ``.mp4`` to write (replaced if it exists).
    width, height
        Frame size in pixels; both must be even (yuv420p halves the chroma resolution).
    n_frames
        How many frames will be written; sets the audio length.
    audio
        A song to mux in (any format ffmpeg reads), or ``None`` for a silent video.
    """

    def __init__(
        self,
        output: str | Path,
        width: int,
        height: int,
        n_frames: int,
        fps: int = VIDEO_FPS,
        audio: str | Path | None = None,
    ) -> None:
        if width % 2 or height % 2 or width < 2 or height < 2:
            raise ValueError(f"video size must be even and positive, not {width}x{height}")
        if n_frames < 1:
            raise ValueError("a video needs at least one frame")
        self.output = Path(output)
        self.audio = None if audio is None else Path(audio)
        if self.audio is not None and not self.audio.is_file():
            raise BadFileError(self.audio, "the song file does not exist")
        self.width, self.height, self.n_frames = width, height, n_frames
        self.frames_written = 0
        cmd = ffmpeg_command(
            find_tool("ffmpeg"), self.output, width, height, n_frames, fps, self.audio
        )
        self._process = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def write(self, frame: NDArray[np.uint8]) -> None:
        """Append one frame (height, width, 3) of RGB bytes."""
        if frame.shape != (self.height, self.width, 3) or frame.dtype != np.uint8:
            raise ValueError(f"frames must be uint8 of shape ({self.height}, {self.width}, 3)")
        assert self._process.stdin is not None
        try:
            # The array's own buffer: a copy per frame (2.7 MB at 720p) would cost ~1 ms.
            self._process.stdin.write(np.ascontiguousarray(frame).data)
        except BrokenPipeError:
            self._fail()
        self.frames_written += 1

    def close(self) -> None:
        """Finish the file; raises with ffmpeg's message if it failed."""
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # ffmpeg died: its stderr says why
            self._process.stdin.close()
        if self._process.wait() != 0:
            self._fail()
        assert self._process.stderr is not None
        self._process.stderr.close()  # one pipe per export would leak otherwise

    def abort(self) -> None:
        """Stop ffmpeg and delete the unfinished file (used on cancel and on errors)."""
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stderr):
            if stream is not None:
                stream.close()
        self.output.unlink(missing_ok=True)

    def _fail(self) -> None:
        code = self._process.wait()
        assert self._process.stderr is not None
        lines = self._process.stderr.read().decode(errors="replace").strip().splitlines()
        self.abort()
        reason = lines[-1] if lines else f"exit code {code}"
        raise BadFileError(self.output, f"ffmpeg failed: {reason}")

    def __enter__(self) -> Mp4Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def probe(path: str | Path) -> dict[str, Any]:
    """ffprobe's JSON description of a media file's format and streams (with frame counts)."""
    cmd = [find_tool("ffprobe"), "-v", "error", "-count_frames", "-print_format", "json"]
    cmd += ["-show_format", "-show_streams", str(path)]
    result = subprocess.run(cmd, capture_output=True, check=False)
    if result.returncode != 0:
        raise BadFileError(path, f"ffprobe cannot read it: {result.stderr.decode().strip()}")
    info: dict[str, Any] = json.loads(result.stdout)
    return info
