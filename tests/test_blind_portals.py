"""The notice from portals written by someone who had not read the tool (fixtures/blind_portals/README.md):
the same wording as the manual, other markup, other widgets, other hosts, other ways of handing over the PDF.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader

from tests.cli import Cli, wait_browser_gone

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "blind_portals"
NSS, PASSWORD = "84966311213", "Prueba#2026"


PORTALS = [
    "primeng_spa",
    "liferay_frames",
    "mui_dialogs",
    "aspnet_webforms",
    "web_components",
    "vuetify_spa",
    "angular_material",
    "websphere_portal",
    "bootstrap5_offcanvas",
    "primefaces_legacy",
    "sapui5_fiori",
    # Second round (docs/portal-patterns.md): written from the manual alone, each combining patterns the
    # first eleven do not show.
    "gobmx_wizard",
    "jsp_print_page",
    "react_json_base64",
    "captcha_own_page",
    "ionic_mobile",
    "credit_active_viewer",
]
# Portals whose login also asks for a code sent by SMS or e-mail (GET /__test__/otp answers it).
ONE_TIME_CODE = {"gobmx_wizard", "ionic_mobile"}


@pytest.fixture(params=PORTALS)
def blind_portal(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / request.param / "serve.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        yield request.param, server.stdout.readline().split()[1]
    finally:
        server.kill()
        server.wait()


def test_the_notice_from_a_portal_written_without_the_tool(blind_portal: tuple[str, str], tmp_path: Path) -> None:
    name, url = blind_portal

    def answer_from(door: str) -> Callable[[subprocess.Popen[str], str], None]:
        def type_it(proc: subprocess.Popen[str], marker: str) -> None:
            assert proc.stdin is not None
            with urllib.request.urlopen(url + door) as answer:
                proc.stdin.write(answer.read().decode().strip() + "\n")
            proc.stdin.flush()

        return type_it

    type_the_code = answer_from("__test__/captcha")
    answers = [type_the_code, answer_from("__test__/otp")] if name in ONE_TIME_CODE else [type_the_code]
    blind_portal_url = url

    out = tmp_path / "avisos"
    cli = Cli(None, tmp_path, nss=NSS, password=PASSWORD)
    args = ["download", "--headless", "--captcha", "terminal", "--portal-url", blind_portal_url, "--out", str(out)]
    result = cli.run([*args, "--timeout", "20", "-v"], answers=answers)
    assert result.returncode == 0, result.stderr
    assert result.prompts == len(answers)  # one code (and one sent by SMS), one password attempt
    text = "".join(page.extract_text() for page in PdfReader(result.saved).pages)
    assert "AVISO PARA RETENCIÓN DE DESCUENTOS" in text and NSS in text
    # Nothing stood in the way for long: at most one click that something covered at that very moment
    # (a chat bubble that grows a few seconds after each load), taken away before the next.
    assert result.stderr.count("no se pudo hacer clic") <= 1, result.stderr
    assert wait_browser_gone(result.marker) == []


# The person's last step in the visible browser: the words of that step are made unreadable for the tool (the
# person's own script renames them in every page, as a portal in other words would), so only the person can
# make it; the notice their click brings is caught. (name -> the step's words, the words of its row or card)
LAST_STEP = {
    "gobmx_wizard": ("Descargar", "Aviso para retención de descuentos"),
    "jsp_print_page": ("Imprime los documentos", ""),
    "react_json_base64": ("Imprime tus documentos", ""),
    "captcha_own_page": ("Descargar PDF", "Aviso de retención de descuentos"),
    "ionic_mobile": ("Imprime los documentos", ""),
    "credit_active_viewer": ("Consultar aviso", ""),
}
HIDDEN = "Paso final"
RENAME_JS = """([words, hidden]) => {
  const swap = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim() === words) n.data = hidden;
  };
  const start = () => {
    swap(document.body);
    const options = {subtree: true, childList: true, characterData: true};
    new MutationObserver(() => swap(document.body)).observe(document.body, options);
  };
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
}"""
# The control that reads `hidden` inside the smallest box that also holds the row's words.
MARK_IN_ROW_JS = """([hidden, row]) => {
  const controls = [...document.querySelectorAll('a, button, input[type=submit], [role=button]')]
    .filter((c) => (c.textContent || c.value || '').includes(hidden) && c.getBoundingClientRect().width > 0);
  for (const c of controls) {
    let box = c.parentElement;
    while (box && !(box.textContent || '').includes(row)) box = box.parentElement;
    if (box && controls.filter((o) => box.contains(o)).length === 1) {
      c.setAttribute('data-person', '1');
      return true;
    }
  }
  return false;
}"""


@pytest.mark.headed
@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs Xvfb")
@pytest.mark.parametrize("name", list(LAST_STEP))
def test_the_person_makes_the_last_step_on_a_portal_written_without_the_tool(name: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_browser_captcha import free_port

    words, row = LAST_STEP[name]
    server = subprocess.Popen([sys.executable, str(ROOT / name / "serve.py")], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().split()[1]
    port = free_port()

    def person() -> None:
        with sync_playwright() as pw:
            deadline = time.monotonic() + 60
            while True:
                try:
                    browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{port}", timeout=5000)
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            context = browser.contexts[0]
            context.add_init_script(script=f"({RENAME_JS})({json.dumps([words, HIDDEN])})")
            for page in context.pages:
                with contextlib.suppress(Exception):  # a page on its way gets the script as it loads
                    page.evaluate(RENAME_JS, [words, HIDDEN])
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                for page in list(context.pages):
                    with contextlib.suppress(Exception):
                        target = page.get_by_text(HIDDEN).filter(visible=True)
                        if row and target.count() and page.evaluate(MARK_IN_ROW_JS, [HIDDEN, row]):
                            page.locator("[data-person]").first.click(timeout=5000)
                            return
                        if not row and target.count():
                            target.first.click(timeout=5000)
                            return
                try:
                    context.pages[0].wait_for_timeout(250)  # the sync API sees new pages only inside its calls
                except (PlaywrightError, IndexError):
                    # The browser is gone: the run ended first (on some portals the row's own title is a link the
                    # tool may follow before the person clicks); the test's end says whether the notice came.
                    return
            raise AssertionError(f"«{HIDDEN}» never showed")

    def answer_from(door: str) -> Callable[[subprocess.Popen[str], str], None]:
        def type_it(proc: subprocess.Popen[str], marker: str) -> None:
            assert proc.stdin is not None
            with urllib.request.urlopen(url + door) as answer:
                proc.stdin.write(answer.read().decode().strip() + "\n")
            proc.stdin.flush()

        return type_it

    answers = [answer_from("__test__/captcha")]
    if name in ONE_TIME_CODE:
        answers.append(answer_from("__test__/otp"))
    wrapper = ("xvfb-run", "-a", "-s", "-screen 0 1280x960x24")
    cli = Cli(
        None, tmp_path, nss=NSS, password=PASSWORD, browser_args=(f"--remote-debugging-port={port}",), wrapper=wrapper
    )
    out = tmp_path / "avisos"
    try:
        args = ["download", "--captcha", "terminal", "--portal-url", url, "--out", str(out), "--timeout", "20", "-v"]
        # The person's click comes within seconds of the hand-over: a notice lost ends the run in half a minute.
        args += ["--captcha-timeout", "30"]
        result = cli.run(args, answers=answers, human=person, timeout=180)
    finally:
        server.kill()
        server.wait()
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(result.saved).pages)
    assert "AVISO PARA RETENCIÓN DE DESCUENTOS" in text and NSS in text
    assert wait_browser_gone(result.marker) == []
