"""Music analysis with no Qt: decoding, beats, meter, 8-count parts, sections, energy, exports.

The GUI and CLI use the names re-exported here; see each module for the details.
"""

from __future__ import annotations

from inference.audio.analysis import (
    MIN_PULSE_CLARITY,
    SongAnalysis,
    analysis_from_grid,
    analyze_song,
    analyze_song_job,
    quick_beats,
    with_grid,
)
from inference.audio.decode import ANALYSIS_SR, AudioClip, load_audio
from inference.audio.errors import NoBeatError, SilentAudioError, TooLongError
from inference.audio.export import (
    JSON_KEYS,
    analysis_to_json_dict,
    write_audacity_labels,
    write_count_sheet_html,
    write_csv,
    write_json,
)
from inference.audio.grid import (
    BeatGrid,
    Part,
    beats_per_part,
    delete_beat,
    derive_parts,
    empty_grid,
    grid_from_tap_tempo,
    insert_beat,
    make_grid,
    move_beat,
    part_counts,
    set_count_one,
    set_meter,
    shift_grid,
)
from inference.audio.sections import Section
from inference.audio.tempo_map import TempoSpan, local_tempo, tempo_map

__all__ = [
    "ANALYSIS_SR",
    "JSON_KEYS",
    "MIN_PULSE_CLARITY",
    "AudioClip",
    "BeatGrid",
    "NoBeatError",
    "Part",
    "Section",
    "SilentAudioError",
    "SongAnalysis",
    "TempoSpan",
    "TooLongError",
    "analysis_from_grid",
    "analysis_to_json_dict",
    "analyze_song",
    "analyze_song_job",
    "beats_per_part",
    "delete_beat",
    "derive_parts",
    "empty_grid",
    "grid_from_tap_tempo",
    "insert_beat",
    "load_audio",
    "local_tempo",
    "make_grid",
    "move_beat",
    "part_counts",
    "quick_beats",
    "set_count_one",
    "set_meter",
    "shift_grid",
    "tempo_map",
    "with_grid",
    "write_audacity_labels",
    "write_count_sheet_html",
    "write_csv",
    "write_json",
]
