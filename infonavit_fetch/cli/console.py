"""The terminal, injectable for tests: the result on stdout, everything else on stderr.

On a terminal, stderr shows a live guide: the current step with a spinner (and a countdown while the
person has the captcha), finished steps ticked. Elsewhere (a pipe, a log file) it prints plain lines.
"""

from __future__ import annotations

import os
import queue
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from infonavit_fetch.i18n import t

if TYPE_CHECKING:
    from rich.console import Console as RichConsole
    from rich.live import Live


IDLE_SLICE = 0.02  # seconds: how soon a typed line is seen while the browser is being watched

# What starts a line and gets a hanging indent when the line is wrapped: "✗ No se puede…" goes on under "No".
MARKS = ("✗ ", "✓ ", "→ ", "· ", "… ")


def terminal_width(stream: object) -> int | None:
    """The columns of the terminal `stream` writes to (COLUMNS first, as a shell sets it); None elsewhere.

    A pipe or a file is not wrapped: the programs and logs reading it get each message on one line.
    """
    try:
        if not stream.isatty():  # type: ignore[attr-defined]
            return None
        fileno = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(fileno).columns or None
    except OSError:
        return None


def fit(text: str, width: int | None) -> str:
    """`text` broken at spaces so that each line fits in `width` columns, never inside a word.

    The terminal would cut a long line at its last column, in the middle of a word («contras|eña») or
    before a closing «).». Here each line breaks at a space, one column short of the edge (some terminals
    add an empty line after a line that fills the row); what follows a mark (✗, →, ·) or an indent hangs
    under the first word. A word wider than the line (a path, an address) stays whole on a line of its own.
    """
    if width is None:
        return text
    room = max(20, width - 1)
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= room:
            lines.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        mark = next((m for m in MARKS if body.startswith(m)), "")
        lines.extend(
            textwrap.wrap(
                line,
                room,
                subsequent_indent=indent + " " * len(mark),
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(lines)


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
    prompt_open: bool = False  # a question is on the screen and its line not ended (Ctrl-C would land on it)
    _live: Live | None = None
    _status: _Status | None = None

    @property
    def fancy(self) -> bool:
        """A live guide only on a real terminal that can draw one."""
        try:
            return self.stderr.isatty() and os.environ.get("TERM") != "dumb"
        except (AttributeError, ValueError):
            return False

    def result(self, line: str) -> None:
        self.close()
        print(line, file=self.stdout, flush=True)

    def fit(self, message: str) -> str:
        """The message wrapped at spaces to the terminal's width (unchanged on a pipe or in a file)."""
        return fit(message, terminal_width(self.stderr))

    def say(self, message: str) -> None:
        message = self.fit(message)
        if self._live is not None:  # already wrapped: the live console must not cut it again
            self._live.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            print(message, file=self.stderr, flush=True)

    def draw(self, lines: list[str]) -> None:
        """Lines that carry their own colour codes (a picture), written as they are: the live guide would
        wrap them by their length in bytes."""
        self._finish_status(mark="[yellow]…[/]")
        self.close()
        self.stderr.write("".join(line + "\n" for line in lines))
        self.stderr.flush()

    def step(self, message: str) -> None:
        """A new step starts (the one before is done)."""
        if not self.fancy:
            self.say(f"→ {message}")
            return
        # The same step again (another captcha attempt) means the earlier try did not succeed: no ✓ for it.
        again = self._status is not None and self._status.text == message
        self._finish_status(mark="[red]✗[/]" if again else "[green]✓[/]")
        self._status = _Status(message)
        if self._live is None:
            from rich.live import Live

            self._live = Live(self._status, console=self._rich(), refresh_per_second=8, transient=True)
            self._live.start()
        else:
            self._live.update(self._status)

    def done(self, message: str) -> None:
        """The last step, finished."""
        if not self.fancy:
            self.say(f"→ {message}")
            return
        self._finish_status()
        self.say(f"✓ {message}")
        self.close()

    def countdown(self, seconds: float) -> None:
        """Show how long the person has left for the current step."""
        if self._status is not None:
            self._status.deadline = time.monotonic() + seconds

    def close(self) -> None:
        """Stop the live guide (before a prompt, an error or the result)."""
        if self._live is not None:
            self._live.stop()
            self._live = None
            self._status = None

    def _finish_status(self, mark: str = "[green]✓[/]") -> None:
        if self._status is not None and self._live is not None:
            text = self.fit(f"✓ {self._status.text}")[len("✓ ") :]  # wrapped as a line under its mark
            self._live.console.print(f"{mark} {_escape(text)}", highlight=False, soft_wrap=True)

    def _rich(self) -> RichConsole:
        from rich.console import Console as RichConsole

        return RichConsole(file=self.stderr, highlight=False)

    def warn(self, message: str) -> None:
        self.say(t("Aviso: {message}", message=message))

    def detail(self, message: str) -> None:
        if self.verbose:
            self.say(f"  · {message}")

    @property
    def interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def can_answer(self) -> bool:
        """Someone can answer on standard input: a terminal, or a pipe or socket another program writes to.

        Not a closed stdin, /dev/null or a file: none of them can know a code shown later.
        """
        import stat

        try:
            if self.stdin.isatty():
                return True
            mode = os.fstat(self.stdin.fileno()).st_mode
        except (AttributeError, ValueError, OSError):
            return False
        return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)

    def read_line(self, prompt: str, timeout: float, idle: Callable[[float], None] | None = None) -> str:
        """One line from stdin, waiting at most `timeout` seconds (Ctrl-C still interrupts).

        With `idle`, the wait is made of calls `idle(seconds)` that wait at most that long (a Playwright
        wait, so that the browser's events are handled meanwhile) and may raise to end the question.
        """
        self._finish_status(mark="[yellow]…[/]")
        self.close()
        self.prompt_open = True  # before the question shows: a Ctrl-C the moment it shows must know of it
        self.stderr.write(self.fit_prompt(prompt))
        self.stderr.flush()
        if self._lines is None:
            self._lines = queue.Queue()
            threading.Thread(target=self._read_stdin, name="stdin-reader", daemon=True).start()
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(0.0, left)) if idle is None else self._lines.get_nowait()
                break
            except queue.Empty:
                if idle is None or left <= 0:
                    self.say("")
                    self.prompt_open = False
                    raise AnswerTimeout from None
                idle(min(left, IDLE_SLICE))
        self.prompt_open = False
        if line is None:
            self._lines.put(None)  # stays ended for later questions
            raise NoAnswer
        if not self.interactive:
            self.say("")  # the typed line's Enter is not echoed when stdin is a pipe
        return line

    def fit_prompt(self, prompt: str) -> str:
        """A question wrapped like a message, its closing space kept for the answer."""
        body = prompt.rstrip(" ")
        return self.fit(body) + prompt[len(body) :]

    def _read_stdin(self) -> None:
        assert self._lines is not None
        try:
            for line in self.stdin:
                self._lines.put(line.rstrip("\r\n"))
        except (OSError, ValueError):
            pass
        self._lines.put(None)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


class _Status:
    """The current step: a spinner, its text, and the time left when someone is waited for."""

    def __init__(self, text: str) -> None:
        from rich.spinner import Spinner

        self.text = text
        self.deadline: float | None = None
        self.spinner = Spinner("dots", style="cyan")

    def __rich__(self) -> Any:
        from rich.text import Text

        line = Text(self.text)
        if self.deadline is not None:
            left = max(0, int(self.deadline - time.monotonic()))
            line.append(f"   ⏳ {left // 60}:{left % 60:02d}", style="yellow")
        self.spinner.update(text=line)
        return self.spinner
