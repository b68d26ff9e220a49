"""The command's entry point. For a download (or the demo), Playwright's driver boots while the command
line is read: the driver's start is a quarter of a second of waiting for another process, reading the
options a tenth of a second of work, so they go side by side instead of one after the other.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from collections.abc import Callable

BROWSER_COMMANDS = ("download", "demo", "descargar", "prueba")  # and their Spanish names (cli/texts.py ALIASES)


def run() -> None:
    try:
        args = sys.argv[1:]
        if args[:1] and args[0] in BROWSER_COMMANDS and "--help" not in args:
            from infonavit_fetch.browser import driver

            driver.silence_playwright(os.environ)
            sys.exit(_read_while_the_driver_boots())
        from infonavit_fetch.cli.app import run as run_cli

        run_cli()
    finally:
        # The command is over (files written and closed, browser and driver ended, temporary folders
        # removed). Everything still alive lives until the process ends, so the interpreter's teardown
        # need not search it for reference cycles: with typer's pydantic, Playwright and pypdf loaded,
        # that search alone takes a tenth of a second after the result is already on the screen.
        gc.freeze()


def _read_while_the_driver_boots() -> int:
    from infonavit_fetch.browser import driver

    read: list[Callable[[], int]] = []
    failed: list[BaseException] = []

    def read_options() -> None:
        try:
            from infonavit_fetch.cli.app import read_command_line

            read.append(read_command_line())
        except BaseException as exc:  # handed to the main thread, which says it
            failed.append(exc)

    reader = threading.Thread(target=read_options, name="options", daemon=True)
    try:
        with contextlib.suppress(Exception):  # tried again, and its failure said, when the job opens the browser
            driver.boot(meanwhile=reader.start)
        if reader.ident is None:
            reader.start()
        reader.join()
        if failed:
            raise failed[0]
        return read[0]()  # the job, on this thread, with the driver already up
    except KeyboardInterrupt:
        from infonavit_fetch.cli.app import cancelled_before_start

        return cancelled_before_start()
    finally:
        driver.stop_unused()
