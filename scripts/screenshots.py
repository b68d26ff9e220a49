"""Screenshots for the README: the mock portal in the browser, and the terminal at the end of the demo.

.venv/bin/python scripts/screenshots.py      (needs tmux for the terminal picture)
"""

from __future__ import annotations

import html
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from fixtures.mock_portal import ACCOUNTS, MockPortal  # noqa: E402
from infonavit_fetch.browser import find_browser  # noqa: E402

OUT = ROOT / "docs" / "img"
BROWSER = find_browser(explicit=None, system=platform.system(), env=os.environ).path


def browser_pictures() -> None:
    account = ACCOUNTS[0]
    with MockPortal() as portal, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=BROWSER)
        page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="es-MX")
        page.goto(portal.url)
        page.get_by_role("dialog").wait_for()
        page.screenshot(path=str(OUT / "portal-aviso-inicial.png"))
        page.get_by_role("button", name="Cerrar").click()
        page.get_by_label("Número de Seguridad Social (NSS)").fill(account.nss)
        page.get_by_label("Contraseña").fill(account.password)
        page.get_by_label("Introduce el código").focus()
        page.screenshot(path=str(OUT / "portal-inicio-sesion.png"))
        with urllib.request.urlopen(portal.url + "__mock__/captcha") as answer:
            page.get_by_label("Introduce el código").fill(answer.read().decode())
        page.get_by_role("button", name="Iniciar sesión").click()
        page.get_by_role("button", name="Tramitar mi crédito").click()
        page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
        page.get_by_role("link", name="Mi Espacio Infonavit").click()
        page.get_by_role("button", name="Indicaciones").click()
        page.get_by_text("Imprime los documentos").wait_for()
        page.screenshot(path=str(OUT / "demo-navegador.png"), full_page=True)
        browser.close()


def terminal_picture() -> None:
    if not shutil.which("tmux"):
        print("tmux missing: no terminal picture", file=sys.stderr)
        return
    out = Path("/tmp/infonavit-fetch-screenshot")
    shutil.rmtree(out, ignore_errors=True)
    session = "infonavit-fetch-shot"
    subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL, check=False)
    command = f"cd {out.parent} && {sys.executable} -m infonavit_fetch demo --auto --headless --out {out}; sleep 30"
    env = {**os.environ, "INFONAVIT_BROWSER_PATH": BROWSER, "PYTHONPATH": str(ROOT)}
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "104", "-y", "24", command], env=env, check=True)
    deadline = time.monotonic() + 60
    screen = ""
    while time.monotonic() < deadline and "Fecha de inicio" not in screen:
        time.sleep(0.5)
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
        ).stdout
    subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    text = "$ infonavit-fetch demo --auto\n" + screen.rstrip() + "\n"
    # The captured screen, drawn as a terminal window by the same browser.
    page_html = (
        "<html><body style='margin:0;background:#1e1e1e'><pre style='margin:0;padding:18px;color:#e6e6e6;"
        "font:15px/1.35 DejaVu Sans Mono,monospace;display:inline-block'>" + html.escape(text) + "</pre></body></html>"
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=BROWSER)
        page = browser.new_page(viewport={"width": 1000, "height": 200})
        page.set_content(page_html)
        page.locator("pre").screenshot(path=str(OUT / "demo-terminal.png"))
        browser.close()


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    browser_pictures()
    terminal_picture()
    print("\n".join(str(p) for p in sorted(OUT.glob("*.png"))))
