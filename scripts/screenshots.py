"""Screenshots for the README: the mock portal in the browser, the tool's own window on a whole (virtual)
screen, and the terminal at the end of the demo.

.venv/bin/python scripts/screenshots.py      (needs Xvfb and imagemagick for the window, tmux for the terminal)
"""

from __future__ import annotations

import html
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from fixtures.mock_portal import ACCOUNTS, MockPortal  # noqa: E402
from infonavit_fetch.browser.finder import find_browser  # noqa: E402
from tests.test_browser_captcha import as_the_person  # noqa: E402

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


def window_picture() -> None:
    """The whole screen while the tool waits for the code: the window the employee sees, as they see it."""
    if not (shutil.which("Xvfb") and shutil.which("import")):
        print("Xvfb or imagemagick missing: no window picture", file=sys.stderr)
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"], pass_fds=(write,)
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = ":" + pipe.readline().strip()
    port = 9333
    account = ACCOUNTS[0]
    env = {
        **os.environ,
        "DISPLAY": display,
        "PYTHONPATH": str(ROOT),
        "INFONAVIT_BROWSER_PATH": BROWSER,
        "INFONAVIT_BROWSER_ARGS": f"--remote-debugging-port={port} --window-position=0,0 --window-size=1280,900",
        "INFONAVIT_NSS": account.nss,
        "INFONAVIT_PASSWORD": account.password,
    }
    with MockPortal() as portal:
        tool = subprocess.Popen(
            [sys.executable, "-m", "infonavit_fetch", "download", "--portal-url", portal.url, "--out", "/tmp"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def act(page: Page) -> None:
            page.wait_for_function("() => document.activeElement && document.activeElement.name === 'f3'")
            page.wait_for_timeout(500)
            shot = f"PNG24:{OUT / 'navegador-visible.png'}"
            subprocess.run(["import", "-display", display, "-window", "root", shot], check=True)
            page.get_by_label("Introduce el código").fill(portal.state.last_captcha)
            page.get_by_role("button", name="Iniciar sesión").click()

        try:
            as_the_person(port, portal, act)()  # the person at the window, as in the tests
            tool.wait(timeout=60)
        finally:
            if tool.poll() is None:
                tool.kill()
            server.terminate()
            server.wait()


def terminal_picture() -> None:
    if not shutil.which("tmux"):
        print("tmux missing: no terminal picture", file=sys.stderr)
        return
    out = Path("/tmp/infonavit-fetch-screenshot")
    shutil.rmtree(out, ignore_errors=True)
    session = "infonavit-fetch-shot"
    subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL, check=False)
    command = f"cd {out.parent} && {sys.executable} -m infonavit_fetch demo --auto --headless --out {out}; sleep 30"
    # The tool on PATH, as it is once installed: the next step then names the bare command.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "INFONAVIT_BROWSER_PATH": BROWSER, "PYTHONPATH": str(ROOT), "PATH": path}
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "104", "-y", "28", command], env=env, check=True)
    deadline = time.monotonic() + 60
    screen = ""
    # The last lines: the next step, then the notice's whole path on a line of its own.
    while time.monotonic() < deadline and not re.search(r"El aviso quedó en:\s+\S+\.pdf", screen):
        time.sleep(0.5)
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
        ).stdout
    subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    text = "$ infonavit-fetch demo --auto\n" + screen.rstrip() + "\n"
    draw_terminal(html.escape(text), "demo-terminal.png", line_height=1.35)


def draw_terminal(body: str, name: str, *, line_height: float) -> None:
    """The captured screen (as HTML), drawn as a terminal window by the same browser."""
    page_html = (
        "<html><body style='margin:0;background:#1e1e1e'><pre style='margin:0;padding:18px;color:#e6e6e6;"
        f"font:15px/{line_height} DejaVu Sans Mono,monospace;display:inline-block'>" + body + "</pre></body></html>"
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=BROWSER)
        page = browser.new_page(viewport={"width": 1000, "height": 200})
        page.set_content(page_html)
        page.locator("pre").screenshot(path=str(OUT / name))
        browser.close()


def ansi_html(text: str) -> str:
    """tmux's capture (-e) as HTML: the 24-bit colours the captcha drawing uses, the rest as plain text."""
    out, style = [], ""
    for piece in re.split(r"(\x1b\[[0-9;]*m)", text):
        if not piece.startswith("\x1b["):
            out.append(f"<span style='{style}'>{html.escape(piece)}</span>" if style else html.escape(piece))
            continue
        codes = piece[2:-1].split(";")
        while codes:
            code = codes.pop(0)
            if code in ("38", "48") and len(codes) >= 4 and codes[0] == "2":
                r, g, b = codes[1:4]
                codes = codes[4:]
                part = ("color" if code == "38" else "background") + f":rgb({r},{g},{b});"
                style = ";".join(p for p in style.split(";") if p and not p.startswith(part.split(":")[0])) + ";" + part
            elif code in ("0", "", "39", "49"):
                style = ""
    return "".join(out)


def captcha_terminal_picture() -> None:
    """The terminal where there is no display: the code's picture drawn with coloured half-blocks."""
    if not shutil.which("tmux"):
        return
    session = "infonavit-fetch-captcha-shot"
    account = ACCOUNTS[0]
    with MockPortal() as portal:
        env = {
            **os.environ,
            "INFONAVIT_BROWSER_PATH": BROWSER,
            "PYTHONPATH": str(ROOT),
            "INFONAVIT_NSS": account.nss,
            "INFONAVIT_PASSWORD": account.password,
        }
        env.pop("DISPLAY", None)
        command = f"{sys.executable} -m infonavit_fetch download --portal-url {portal.url} --out /tmp; sleep 30"
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL, check=False)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "90", "-y", "24", command], env=env, check=True
        )
        deadline = time.monotonic() + 60
        screen = ""
        while time.monotonic() < deadline and "pulsa Enter:" not in screen:
            time.sleep(0.5)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-e", "-p", "-t", session], capture_output=True, text=True, check=True
            ).stdout
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    text = "$ infonavit-fetch download --out ~/Documentos\n" + screen.rstrip() + "\n"
    draw_terminal(ansi_html(text), "terminal-codigo.png", line_height=1.0)  # half-blocks touch


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    browser_pictures()
    window_picture()
    terminal_picture()
    captcha_terminal_picture()
    print("\n".join(str(p) for p in sorted(OUT.glob("*.png"))))
