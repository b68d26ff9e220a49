"""The terminal, injectable for tests: the result on stdout, everything else on stderr."""

from __future__ import annotations

import queue
import sys
import threading
from dataclasses import dataclass, field
from typing import TextIO


class NoAnswer(Exception):
    """Standard input ended: nobody is there to answer."""


class AnswerTimeout(Exception):
    """Nobody answered in time."""


@dataclass
class Console:
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    verbose: bool = False
    _lines: queue.Queue[str | None] | None = None

    def result(self, line: str) -> None:
        print(line, file=self.stdout, flush=True)

    def say(self, message: str) -> None:
        print(message, file=self.stderr, flush=True)

    def step(self, message: str) -> None:
        self.say(f"→ {message}")

    def warn(self, message: str) -> None:
        self.say(f"Aviso: {message}")

    def detail(self, message: str) -> None:
        if self.verbose:
            self.say(f"  · {message}")

    @property
    def interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def read_line(self, prompt: str, timeout: float) -> str:
        """One line from stdin, waiting at most `timeout` seconds (Ctrl-C still interrupts)."""
        self.stderr.write(prompt)
        self.stderr.flush()
        if self._lines is None:
            self._lines = queue.Queue()
            threading.Thread(target=self._read_stdin, name="stdin-reader", daemon=True).start()
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.say("")
            raise AnswerTimeout from None
        if line is None:
            self._lines.put(None)  # stays ended for later questions
            raise NoAnswer
        if not self.interactive:
            self.say("")  # the typed line's Enter is not echoed when stdin is a pipe
        return line

    def _read_stdin(self) -> None:
        assert self._lines is not None
        try:
            for line in self.stdin:
                self._lines.put(line.rstrip("\r\n"))
        except (OSError, ValueError):
            pass
        self._lines.put(None)
