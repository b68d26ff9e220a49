"""The notice from portals written by someone who had not read the tool (fixtures/blind_portals/README.md):
the same wording as the manual, other markup, other widgets, other hosts, other ways of handing over the PDF.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
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
]


@pytest.fixture(params=PORTALS)
def blind_portal(request: pytest.FixtureRequest) -> Iterator[str]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / request.param / "serve.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().split()[1]
    finally:
        server.kill()
        server.wait()


def test_the_notice_from_a_portal_written_without_the_tool(blind_portal: str, tmp_path: Path) -> None:
    def type_the_code(proc: subprocess.Popen[str], marker: str) -> None:
        assert proc.stdin is not None
        with urllib.request.urlopen(blind_portal + "__test__/captcha") as answer:
            proc.stdin.write(answer.read().decode().strip() + "\n")
        proc.stdin.flush()

    out = tmp_path / "avisos"
    cli = Cli(None, tmp_path, nss=NSS, password=PASSWORD)
    args = ["download", "--headless", "--captcha", "terminal", "--portal-url", blind_portal, "--out", str(out)]
    result = cli.run([*args, "--timeout", "20", "-v"], answers=[type_the_code])
    assert result.returncode == 0, result.stderr
    assert result.prompts == 1  # one code, one password attempt
    text = "".join(page.extract_text() for page in PdfReader(result.saved).pages)
    assert "AVISO PARA RETENCIÓN DE DESCUENTOS" in text and NSS in text
    # Nothing stood in the way for long: at most one click that something covered at that very moment
    # (a chat bubble that grows a few seconds after each load), taken away before the next.
    assert result.stderr.count("no se pudo hacer clic") <= 1, result.stderr
    assert wait_browser_gone(result.marker) == []
