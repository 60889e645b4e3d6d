"""Choreography generation: a move library, a planner, beat-aligned assembly, editing.

Graph synthesis in the manner of ChoreoMaster: real mocap units (CMU salsa) and authored
K-pop basics are chosen count by count by a beam-search planner with choreographic rules,
time-warped onto the song's beats, joined with seamless transitions and post-processed by
the energy, smoothness and bounce sliders.

>>> from inference.generate import GenerationParams, generate_routine_job
>>> from inference.jobs import run_job
>>> routine = run_job(generate_routine_job(analysis, GenerationParams(energy=0.8, seed=1)))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names below are loaded on first use (PEP 562), so importing a light submodule such as
# ``inference.generate.params`` (the studio does at start-up) does not pull in the planner,
# the library and scipy.
_EXPORTS = {
    "PartSummary": "routine_job",
    "RoutineResult": "routine_job",
    "generate_routine_job": "routine_job",
    "MotionUnit": "library",
    "MoveLibrary": "library",
    "add_user_unit": "library",
    "load_library": "library",
    "JOINT_LIMITS_DEG": "limits",
    "clamp_to_limits": "limits",
    "limit_violations": "limits",
    "STYLES": "params",
    "GenerationParams": "params",
    "Placement": "planner",
    "PromptBias": "prompt",
    "prompt_tags": "prompt",
}

if TYPE_CHECKING:
    from inference.generate.library import MotionUnit, MoveLibrary, add_user_unit, load_library
    from inference.generate.limits import JOINT_LIMITS_DEG, clamp_to_limits, limit_violations
    from inference.generate.params import STYLES, GenerationParams
    from inference.generate.planner import Placement
    from inference.generate.prompt import PromptBias, prompt_tags
    from inference.generate.routine_job import PartSummary, RoutineResult, generate_routine_job

__all__ = [
    "JOINT_LIMITS_DEG",
    "STYLES",
    "GenerationParams",
    "MotionUnit",
    "MoveLibrary",
    "PartSummary",
    "Placement",
    "PromptBias",
    "RoutineResult",
    "add_user_unit",
    "clamp_to_limits",
    "generate_routine_job",
    "limit_violations",
    "load_library",
    "prompt_tags",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'inference.generate' has no attribute {name!r}")
    return getattr(importlib.import_module(f"inference.generate.{module}"), name)
