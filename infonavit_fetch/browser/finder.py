"""Which browser to drive: one already on the machine, so that nothing has to be downloaded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PureWindowsPath

from infonavit_fetch.errors import BadInput
from infonavit_fetch.i18n import t


@dataclass(frozen=True)
class BrowserChoice:
    path: str
    kind: str


def _windows_candidates(env: Mapping[str, str]) -> list[tuple[str, str]]:
    roots = {
        "pf": env.get("PROGRAMFILES", r"C:\Program Files"),
        "pf86": env.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"),
        "local": env.get("LOCALAPPDATA", ""),
    }

    def join(root: str, *parts: str) -> str:
        return str(PureWindowsPath(root, *parts))

    found = []
    for root in (roots["pf"], roots["pf86"], roots["local"]):
        if root:
            found.append((join(root, "Google", "Chrome", "Application", "chrome.exe"), "Google Chrome"))
    for root in (roots["pf86"], roots["pf"], roots["local"]):
        if root:
            found.append((join(root, "Microsoft", "Edge", "Application", "msedge.exe"), "Microsoft Edge"))
    if roots["local"]:
        found.append((join(roots["local"], "Chromium", "Application", "chrome.exe"), "Chromium"))
    return found


def _mac_candidates(env: Mapping[str, str]) -> list[tuple[str, str]]:
    home = env.get("HOME", "")
    apps = ["/Applications"] + ([f"{home}/Applications"] if home else [])
    found = []
    for name, binary, kind in (
        ("Google Chrome.app", "Google Chrome", "Google Chrome"),
        ("Microsoft Edge.app", "Microsoft Edge", "Microsoft Edge"),
        ("Chromium.app", "Chromium", "Chromium"),
    ):
        for folder in apps:
            found.append((f"{folder}/{name}/Contents/MacOS/{binary}", kind))
    return found


def _linux_candidates(which: Callable[[str], str | None]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [("/opt/google/chrome/chrome", "Google Chrome")]
    found += [(p, "Google Chrome") for p in filter(None, (which("google-chrome"), which("google-chrome-stable")))]
    found.append(("/opt/microsoft/msedge/msedge", "Microsoft Edge"))
    found += [(p, "Microsoft Edge") for p in filter(None, (which("microsoft-edge"), which("microsoft-edge-stable")))]
    # Debian's /usr/bin/chromium is a shell wrapper; the binary behind it is quieter.
    found += [("/usr/lib/chromium/chromium", "Chromium"), ("/usr/bin/chromium", "Chromium")]
    found += [(p, "Chromium") for p in filter(None, (which("chromium-browser"), which("chromium")))]
    found.append(("/snap/bin/chromium", "Chromium"))
    return found


def candidates(system: str, env: Mapping[str, str], which: Callable[[str], str | None]) -> list[tuple[str, str]]:
    """Chrome, then Edge, then Chromium, at the places each system installs them."""
    if system == "Windows":
        return _windows_candidates(env)
    if system == "Darwin":
        return _mac_candidates(env)
    return _linux_candidates(which)


def find_browser(
    *,
    explicit: str | None,
    system: str,
    env: Mapping[str, str],
    exists: Callable[[str], bool] = os.path.isfile,
    which: Callable[[str], str | None] = shutil.which,
    playwright_chromium: str | None = None,
) -> BrowserChoice:
    """The browser to use: the one named, Playwright's own Chromium, Chrome, Edge, then a system Chromium."""
    named = explicit or env.get("INFONAVIT_BROWSER_PATH")
    if named:
        if not exists(named):
            raise BadInput(
                t("No existe el navegador indicado: {named}", named=named),
                hint=t("Revisa la ruta de --browser-path (o INFONAVIT_BROWSER_PATH), o quítala para buscarlo solo."),
            )
        return BrowserChoice(named, "indicado")
    if playwright_chromium and exists(playwright_chromium):
        return BrowserChoice(playwright_chromium, "Chromium de Playwright")
    for path, kind in candidates(system, env, which):
        if exists(path):
            return BrowserChoice(path, kind)
    raise BadInput(
        t("No encontré Google Chrome, Microsoft Edge ni Chromium en esta computadora."), hint=install_hint(system)
    )


def install_hint(system: str) -> str:
    if system == "Windows":
        return t("Instala Google Chrome (https://www.google.com/chrome/) o Microsoft Edge y vuelve a intentarlo.")
    if system == "Darwin":
        return t("Instala Google Chrome (https://www.google.com/chrome/) y vuelve a intentarlo.")
    return t(
        "Instala Chromium con «sudo apt install chromium» (Debian/Ubuntu) o Google Chrome, "
        "o bien ejecuta «python -m playwright install chromium»."
    )
