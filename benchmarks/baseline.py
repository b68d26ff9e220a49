"""The same clicks as infonavit-fetch with bare Playwright and no checks: what the portal itself costs.

Usage: python benchmarks/baseline.py PORTAL_URL OUT_FILE BROWSER_PATH [EXTRA_CHROMIUM_ARG]
Like the tool it takes INFONAVIT_NSS and INFONAVIT_PASSWORD from the environment, shows the captcha
prompt on stderr and reads the code from stdin.
"""

from __future__ import annotations

import os
import sys

from playwright.sync_api import sync_playwright

PROMPT = "Escribe el código de la imagen y pulsa Enter: "


def main() -> None:
    url, out, browser_path, *extra = sys.argv[1:]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=browser_path, headless=True, args=extra)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Cerrar").click()
        page.get_by_label("Número de Seguridad Social (NSS)").fill(os.environ["INFONAVIT_NSS"])
        page.get_by_label("Contraseña").fill(os.environ["INFONAVIT_PASSWORD"])
        page.get_by_role("img", name="Código de verificación").wait_for()
        sys.stderr.write(PROMPT)
        sys.stderr.flush()
        page.get_by_label("Introduce el código").fill(sys.stdin.readline().strip())
        page.get_by_role("button", name="Iniciar sesión").click()
        page.get_by_role("button", name="Tramitar mi crédito").click()
        page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
        page.get_by_role("link", name="Mi Espacio Infonavit").click()
        page.get_by_role("button", name="Indicaciones").click()
        with context.expect_page() as popup:
            page.get_by_role("link", name="Imprime los documentos").click()
        pdf = context.request.get(popup.value.url).body()
        with open(out, "wb") as handle:
            handle.write(pdf)
        browser.close()
    print(out)


if __name__ == "__main__":
    main()
