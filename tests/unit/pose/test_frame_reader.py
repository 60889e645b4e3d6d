"""Frames on demand for the video panel: exact at any index, cached, bounded in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from inference.errors import BadFileError
from inference.pose.frame_reader import VideoFrameReader
from inference.pose.video_io import iter_frames, probe_video

from .conftest import MakeVideo


def test_any_frame_in_any_order_is_the_frame_decoded_in_sequence(dancer: Path) -> None:
    frames = [f.rgb for f in iter_frames(probe_video(dancer))]
    order = [50, 51, 52, 60, 10, 9, 0, 101, 75, 3, 3, 88, 30]
    with VideoFrameReader(dancer) as reader:
        assert reader.n_frames == len(frames) == 102 and reader.scale == 1.0
        for index in order:
            shown = reader.frame(index)
            assert shown is not None
            np.testing.assert_array_equal(shown, frames[index], err_msg=f"frame {index}")
        assert reader.frame(102) is None and reader.frame(-1) is None


def test_playback_reads_forward_and_a_repeat_decodes_nothing(dancer: Path) -> None:
    with VideoFrameReader(dancer, cache_bytes=8 * 600 * 600 * 3) as reader:
        for index in range(0, 40):
            reader.frame(index)
        assert reader.seeks == 0 and reader.decoded == 40
        reader.frame(45)  # a little ahead: decoded forward, no seek
        assert reader.seeks == 0
        decoded = reader.decoded
        for index in (44, 45, 43, 45):
            reader.frame(index)  # scrubbing over the last frames: from the cache
        assert reader.decoded == decoded + 2  # 44 and 43 were skipped on the way, not kept
        assert reader.seeks == 2  # 44 and 43 lie behind the decoder
        reader.frame(5)  # long gone from the cache
        assert reader.seeks == 3


def test_the_cache_stays_within_its_bytes(dancer: Path) -> None:
    frame_bytes = 600 * 600 * 3
    with VideoFrameReader(dancer, cache_bytes=4 * frame_bytes) as reader:
        for index in range(30):
            reader.frame(index)
        assert len(reader._cache) == 4


def test_a_portrait_video_is_upright_and_shrunk(make_video: MakeVideo, dancer: Path) -> None:
    tall = make_video("tall.mp4", "-i", str(dancer), "-t", "0.5", "-vf", "scale=600:1200",
                      "-c:v", "libx264")  # fmt: skip
    with VideoFrameReader(tall, max_side=480) as reader:
        picture = reader.frame(3)
    assert picture is not None and picture.shape == (480, 240, 3) and reader.scale == 0.4


def test_a_missing_or_corrupt_video_says_so(tmp_path: Path) -> None:
    with pytest.raises(BadFileError, match="not there"):
        VideoFrameReader(tmp_path / "gone.mp4")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(np.random.default_rng(0).bytes(20_000))
    with pytest.raises(BadFileError, match=r"junk\.mp4"):
        VideoFrameReader(junk)
