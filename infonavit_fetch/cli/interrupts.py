"""Ctrl-C, SIGTERM and SIGHUP (a closed terminal) all end a run the same way: cleanly and quietly.

Each signal raises `Interrupted` in the main thread, a KeyboardInterrupt, so every `with` and `finally`
on the way out runs as for Ctrl-C: the browser is ended, its temporary profile and the captcha image are
removed, no file is left in the output folder. From that moment Playwright's own shutdown noise (a
driver that got the terminal's signal too, a route still in flight) is kept off the screen: the person
sees only the tool's lines.

Windows has no SIGHUP; whatever signal the platform lacks is simply not handled.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = ("SIGINT", "SIGTERM", "SIGHUP")
NOISY_LOGGERS = ("asyncio", "playwright")


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP); `name` says which."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def quiet_shutdown() -> None:
    """Keep Playwright's complaints about a connection torn down mid-call off the terminal."""
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    sys.unraisablehook = lambda _unraisable: None


def _raise(signum: int, _frame: FrameType | None) -> None:
    if _stopping:  # the first signal's cleanup is under way: a second one must not cut it short
        return
    _stopping.append(signum)
    quiet_shutdown()
    raise Interrupted(signal.Signals(signum).name)


_stopping: list[int] = []


@contextmanager
def handled() -> Iterator[None]:
    """While the block runs, each signal in HANDLED that this platform has raises `Interrupted`."""
    previous = {}
    _stopping.clear()
    for name in HANDLED:
        number = getattr(signal, name, None)
        if number is None:  # e.g. SIGHUP on Windows
            continue
        previous[number] = signal.signal(number, _raise)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
