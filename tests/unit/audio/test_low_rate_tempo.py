"""Tempo and meter do not depend on the sample rate or bit depth the song was recorded at.

Phone and voice-memo recordings are often 8-16 kHz; they hold nothing above 4-8 kHz (no
hi-hats), which once tipped Vibe Ace (130 BPM, 4/4) to 65, 99 (3/4) or 104 BPM.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from audio_synth import DATA, require

from inference.audio.analysis import analyze_song

VIBE_ACE = DATA / "audio" / "Kevin_MacLeod_-_Vibe_Ace.ogg"
EXCERPT = ("10", "35")  # start and length (s): a stretch the old estimator heard at half tempo

CASES = [(rate, "pcm_s16le") for rate in (8000, 11025, 16000, 22050, 44100, 48000)] + [
    (rate, "pcm_u8") for rate in (8000, 11025, 16000)
]


@pytest.fixture(scope="module")
def low_rate_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg not installed")
    song = require(VIBE_ACE)
    folder = tmp_path_factory.mktemp("low_rate")
    for rate, codec in CASES:
        subprocess.run(
            [ffmpeg, "-nostdin", "-v", "error", "-ss", EXCERPT[0], "-t", EXCERPT[1], "-i",
             str(song), "-ac", "1", "-ar", str(rate), "-c:a", codec,
             str(folder / f"{codec}_{rate}.wav")],
            check=True,
        )  # fmt: skip
    return folder


@pytest.mark.parametrize(("rate", "codec"), CASES, ids=[f"{c[4:]}-{r}Hz" for r, c in CASES])
def test_vibe_ace_is_130_bpm_in_four_at_every_rate(
    low_rate_dir: Path, rate: int, codec: str
) -> None:
    analysis = analyze_song(low_rate_dir / f"{codec}_{rate}.wav")
    assert analysis.tempo_bpm == pytest.approx(130.0, abs=2.0)
    assert analysis.meter == 4
