"""Guards against known bugs of the Qt binding we ship with."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    toggled = Signal(bool)


def test_bool_signals_keep_the_refcount_of_true() -> None:
    # PySide6 6.12.0 drops one reference to True per emit on Python 3.11: after enough emits
    # the interpreter aborts with "deallocating True or False". Keep such a version out.
    emitter = _Emitter()
    received: list[bool] = []
    emitter.toggled.connect(received.append)
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.toggled.emit(True)
    gc.collect()
    assert len(received) == 200
    assert sys.getrefcount(True) - before >= 200 - 5  # `received` holds 200 references
