"""One frozen record of how a run is set up, built by the CLI from options and the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infonavit_fetch.site.portal import DEFAULT_PORTAL_URL

DEFAULT_TIMEOUT = 45.0
DEFAULT_CAPTCHA_TIMEOUT = 300.0
# The accepted seconds (both ends included): a portal step slower than 10 min means the portal is down.
TIMEOUT_RANGE = (1, 600)
CAPTCHA_TIMEOUT_RANGE = (5, 3600)
CAPTCHA_ATTEMPTS = 3
# Where the manual says the notice goes (the default addressee of --email-draft).
CARE_ADDRESS = "care@manpowergroup.com.mx"


@dataclass(frozen=True)
class Settings:
    portal_url: str = DEFAULT_PORTAL_URL
    out_dir: Path = field(default_factory=Path.cwd)
    browser_path: str | None = None
    headless: bool = False
    captcha_mode: str = "browser"  # "browser": the human types in the page; "terminal": on stdin
    timeout: float = DEFAULT_TIMEOUT  # seconds, for each portal step
    captcha_timeout: float = DEFAULT_CAPTCHA_TIMEOUT  # seconds the human has for each code
    debug_dir: Path | None = None
    trace: bool = False
    extra_browser_args: tuple[str, ...] = ()
    email_to: str | None = None  # write an e-mail draft for this address beside the PDF
    open_files: bool = False  # open the PDF (and the draft) with the system's programs
    compose_to: str | None = None  # open a new message to this address, to attach the PDF by hand
    compose_with: str = "mailto"  # "mailto": the system's mail program; "gmail"/"outlook": that webmail
    show_folder: bool = False  # a person watches on a desktop (not --open, not a script): open the PDF's folder
    route: str = "auto"  # "auto": by the credit's stage; "formaliza" or "mi-credito" (see portal.ROUTES)

    @property
    def timeout_ms(self) -> float:
        return self.timeout * 1000
