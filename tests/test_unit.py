"""Pure logic: the NSS, text matching, message classification, naming, saving, browser search, .env."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, notice_pdf
from fixtures.mock_portal.documents import truncated_pdf
from infonavit_fetch.browser.finder import find_browser
from infonavit_fetch.cli.console import AnswerTimeout, Console, NoAnswer
from infonavit_fetch.errors import EXIT_CODES, BadInput, Cancelled, FetchError, SaveFailed
from infonavit_fetch.login.credentials import read_env_file, resolve
from infonavit_fetch.outputs.diagnostics import Redactor, strip_form_values
from infonavit_fetch.outputs.save import check_pdf, notice_filename, save_notice
from infonavit_fetch.site.nss import luhn_check_digit, mask_nss, validate_nss
from infonavit_fetch.site.portal import (
    Outcome,
    browser_target,
    classify_message,
    classify_status,
    is_loopback,
    is_portal_address,
    odd_address,
    portal_host_allowed,
    without_trailing_dot,
)
from infonavit_fetch.site.text import fold, label_pattern

# --- NSS ------------------------------------------------------------------------------------------


def test_known_nss_check_digits() -> None:
    assert validate_nss("84966311213") == "84966311213"
    assert luhn_check_digit("8496631121") == 3
    for account in ACCOUNTS:
        assert validate_nss(account.nss) == account.nss


def test_nss_is_accepted_with_spaces_and_dashes() -> None:
    assert validate_nss(" 8496-631-1213 ") == "84966311213"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("84966311215", "dígito verificador"),
        ("8496631121", "tiene 10"),
        ("849663112130", "tiene 12"),
        ("8496631121A", "solo debe tener números"),
        ("８４９６６３１１２１３", "solo debe tener números"),  # full-width digits are not ASCII
        ("", "No se indicó"),
    ],
)
def test_bad_nss_says_what_is_wrong(raw: str, says: str) -> None:
    with pytest.raises(BadInput, match=says) as error:
        validate_nss(raw)
    assert error.value.exit_code == 2
    assert error.value.hint


def test_nss_mask_keeps_the_last_four() -> None:
    assert mask_nss("84966311213") == "*******1213"


# --- text matching --------------------------------------------------------------------------------


def test_fold_ignores_accents_case_punctuation_and_spaces() -> None:
    assert fold("  ¿En  qué va mi solicitud de CRÉDITO? ") == "en que va mi solicitud de credito"


@pytest.mark.parametrize(
    "shown",
    [
        "¿En qué va mi solicitud de crédito?",
        "En que va mi solicitud de credito",
        "EN QUÉ VA MI SOLICITUD DE CRÉDITO",
        "¿En   qué va mi\nsolicitud de crédito ?",
    ],
)
def test_label_pattern_matches_what_a_person_reads_as_the_same(shown: str) -> None:
    assert label_pattern("¿En qué va mi solicitud de crédito?").search(shown)


def test_label_pattern_exact_does_not_match_a_longer_entry() -> None:
    exact = label_pattern("Tramitar mi crédito")
    assert exact.search("Tramitar mi crédito")
    assert not exact.search("Tramitar mi crédito en pareja")
    assert label_pattern("Tramitar mi crédito", exact=False).search("Tramitar mi crédito en pareja")


def test_label_pattern_is_plain_javascript_syntax() -> None:
    # Playwright runs the pattern as a JavaScript RegExp: no Python-only constructs.
    pattern = label_pattern("Número de Seguridad Social (NSS)").pattern
    assert "(?P" not in pattern and "\\A" not in pattern and "\\Z" not in pattern


# --- what the portal says ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "outcome"),
    [
        ("El código de verificación es incorrecto. Intenta de nuevo.", Outcome.WRONG_CAPTCHA),
        ("El NSS o la contraseña son incorrectos. Verifica tus datos.", Outcome.BAD_CREDENTIALS),
        ("Tu cuenta está bloqueada por seguridad.", Outcome.BLOCKED),
        ("Por seguridad, es necesario que cambies tu contraseña antes de continuar.", Outcome.PASSWORD_CHANGE),
        ("Tu sesión ha expirado. Inicia sesión nuevamente.", Outcome.SESSION_EXPIRED),
        ("Ingresa tu NSS, tu contraseña y el código de la imagen.", Outcome.MISSING_INPUT),
        ("Lo sentimos, no pudimos validar tu información.", Outcome.UNKNOWN),
        ("SITIO EN MANTENIMIENTO", Outcome.MAINTENANCE),
        ("Access Denied\nYou don't have permission", Outcome.ACCESS_DENIED),
        ("Error inesperado", Outcome.SERVER_ERROR),
        ("infonavit-fetch detuvo la navegación", Outcome.FOREIGN_HOST),
        ("Bienvenido", Outcome.UNKNOWN),
    ],
)
def test_classify_message(message: str, outcome: Outcome) -> None:
    assert classify_message(message) is outcome


def test_classify_status() -> None:
    assert classify_status(403) is Outcome.ACCESS_DENIED
    assert classify_status(503) is Outcome.MAINTENANCE
    assert classify_status(500) is Outcome.SERVER_ERROR
    assert classify_status(200) is None


@pytest.mark.parametrize(
    ("location", "target", "odd"),
    [
        ("/inicio", "https://micuenta.infonavit.org.mx/inicio", False),
        ("https://servicios.infonavit.org.mx/a", "https://servicios.infonavit.org.mx/a", False),
        ("//evil.example/x", "https://evil.example/x", False),
        ("/\\evil.example/steal", "https://evil.example/steal", True),
        ("\\\\evil.example/steal", "https://evil.example/steal", True),
        ("https:\\\\evil.example/steal", "https://evil.example/steal", True),
        ("/\t/evil.example/steal", "https://evil.example/steal", True),
        ("/\n/evil.example/", "https://evil.example/", True),
        (" /inicio", "https://micuenta.infonavit.org.mx/inicio", False),
    ],
)
def test_a_redirect_is_read_where_the_browser_goes(location: str, target: str, odd: bool) -> None:
    assert browser_target("https://micuenta.infonavit.org.mx/login", location) == target
    assert odd_address(location) is odd


def test_a_trailing_dot_is_the_same_host() -> None:
    assert is_portal_address("https://micuenta.infonavit.org.mx./")
    assert (
        without_trailing_dot("https://micuenta.infonavit.org.mx./inicio") == "https://micuenta.infonavit.org.mx/inicio"
    )
    assert portal_host_allowed("https://micuenta.infonavit.org.mx./inicio", "https://micuenta.infonavit.org.mx/")


def test_hosts_the_browser_may_visit() -> None:
    real = "https://micuenta.infonavit.org.mx/"
    assert portal_host_allowed("https://micuenta.infonavit.org.mx/inicio", real)
    assert portal_host_allowed("https://servicios.infonavit.org.mx/doc.pdf", real)
    assert not portal_host_allowed("https://infonavit.org.mx.example.com/", real)
    assert not portal_host_allowed("https://evil-infonavit.org.mx/", real)
    assert not portal_host_allowed("http://micuenta.infonavit.org.mx/inicio", real)  # only over https
    assert portal_host_allowed("chrome-extension://abc/index.html", real)
    mock = "http://127.0.0.1:8765/"
    assert portal_host_allowed("http://127.0.0.1:8765/mi-espacio", mock)
    assert portal_host_allowed("http://127.0.0.1:9999/", mock)  # another host of the same local portal
    assert not portal_host_allowed("http://127.0.0.2:8765/", mock)  # another address is another site
    assert not portal_host_allowed("http://localhost:8765/", mock)
    assert not portal_host_allowed("http://portal-falso.example.test/inicio", mock)
    assert is_loopback("localhost") and is_loopback("127.0.0.2") and is_loopback("[::1]")
    assert not is_loopback("10.0.0.1")


# --- naming and saving ----------------------------------------------------------------------------


def test_notice_filename() -> None:
    day = dt.date(2026, 11, 25)
    assert notice_filename("84966311213", day) == "aviso-retencion-84966311213-2026-11-25.pdf"
    assert notice_filename("84966311213", day, 3) == "aviso-retencion-84966311213-2026-11-25-3.pdf"


def test_save_never_overwrites_and_is_private(tmp_path: Path) -> None:
    day = dt.date(2026, 11, 25)
    first = save_notice(b"%PDF-1 one", tmp_path, "84966311213", day)
    second = save_notice(b"%PDF-1 two", tmp_path, "84966311213", day)
    assert first.name == "aviso-retencion-84966311213-2026-11-25.pdf"
    assert second.name == "aviso-retencion-84966311213-2026-11-25-2.pdf"
    assert first.read_bytes() == b"%PDF-1 one" and second.read_bytes() == b"%PDF-1 two"
    assert {p.name for p in tmp_path.iterdir()} == {first.name, second.name}  # no .part left
    if os.name == "posix":
        assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_save_into_a_path_with_spaces_and_accents(tmp_path: Path) -> None:
    folder = tmp_path / "Usuarios" / "José" / "Mis documentos"
    saved = save_notice(b"%PDF-1 x", folder, "84966311213")
    assert saved.parent == folder and saved.read_bytes() == b"%PDF-1 x"


def test_save_into_something_that_is_not_a_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "archivo"
    blocker.write_text("x")
    with pytest.raises(SaveFailed, match="No se pudo guardar"):
        save_notice(b"%PDF-1 x", blocker / "sub", "84966311213")
    assert [p.name for p in tmp_path.iterdir()] == ["archivo"]


def test_check_pdf_reads_the_notice() -> None:
    checked = check_pdf(notice_pdf(ACCOUNTS[0]))
    assert checked.reads_like_notice
    assert "84966311213" in checked.text


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (truncated_pdf(ACCOUNTS[0]), "incompleto o dañado"),
        (b"<html><body>Error</body></html>", "no es un PDF"),
        (b"%PDF-1.4\ngarbage\n%%EOF\n", "incompleto o dañado"),
    ],
)
def test_check_pdf_refuses_what_is_not_a_whole_pdf(data: bytes, says: str) -> None:
    with pytest.raises(SaveFailed, match=says) as error:
        check_pdf(data)
    assert error.value.exit_code == 9


# --- finding a browser without touching the disk --------------------------------------------------


def fake_disk(*present: str):
    return lambda path: path in present


WIN_ENV = {
    "PROGRAMFILES": r"C:\Program Files",
    "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
    "LOCALAPPDATA": r"C:\Users\José\AppData\Local",
}
CHROME_WIN = r"C:\Program Files\Google\Chrome\Application\chrome.exe"
EDGE_WIN = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
CHROME_MAC = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
EDGE_MAC = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"


@pytest.mark.parametrize(
    ("system", "env", "present", "expected"),
    [
        ("Windows", WIN_ENV, (CHROME_WIN, EDGE_WIN), (CHROME_WIN, "Google Chrome")),
        ("Windows", WIN_ENV, (EDGE_WIN,), (EDGE_WIN, "Microsoft Edge")),
        (
            "Windows",
            WIN_ENV,
            (r"C:\Users\José\AppData\Local\Google\Chrome\Application\chrome.exe",),
            (r"C:\Users\José\AppData\Local\Google\Chrome\Application\chrome.exe", "Google Chrome"),
        ),
        ("Darwin", {"HOME": "/Users/ana"}, (CHROME_MAC, EDGE_MAC), (CHROME_MAC, "Google Chrome")),
        ("Darwin", {"HOME": "/Users/ana"}, (EDGE_MAC,), (EDGE_MAC, "Microsoft Edge")),
        (
            "Darwin",
            {"HOME": "/Users/ana"},
            ("/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium",),
            ("/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium", "Chromium"),
        ),
        (
            "Linux",
            {},
            ("/opt/google/chrome/chrome", "/usr/bin/chromium"),
            ("/opt/google/chrome/chrome", "Google Chrome"),
        ),
        (
            "Linux",
            {},
            ("/opt/microsoft/msedge/msedge", "/usr/bin/chromium"),
            ("/opt/microsoft/msedge/msedge", "Microsoft Edge"),
        ),
        ("Linux", {}, ("/usr/bin/chromium", "/usr/lib/chromium/chromium"), ("/usr/lib/chromium/chromium", "Chromium")),
        ("Linux", {}, ("/snap/bin/chromium",), ("/snap/bin/chromium", "Chromium")),
    ],
)
def test_browser_search_order(
    system: str, env: dict[str, str], present: tuple[str, ...], expected: tuple[str, str]
) -> None:
    choice = find_browser(explicit=None, system=system, env=env, exists=fake_disk(*present), which=lambda _: None)
    assert (choice.path, choice.kind) == expected


def test_named_browser_and_playwrights_own_come_first() -> None:
    present = fake_disk("/custom/chrome", "/pw/chrome", "/opt/google/chrome/chrome")
    no_which = lambda _: None  # noqa: E731
    named = find_browser(explicit="/custom/chrome", system="Linux", env={}, exists=present, which=no_which)
    assert named.path == "/custom/chrome"
    from_env = find_browser(
        explicit=None, system="Linux", env={"INFONAVIT_BROWSER_PATH": "/custom/chrome"}, exists=present, which=no_which
    )
    assert from_env.path == "/custom/chrome"
    own = find_browser(
        explicit=None, system="Linux", env={}, exists=present, which=no_which, playwright_chromium="/pw/chrome"
    )
    assert own.kind == "Chromium de Playwright"
    which = find_browser(
        explicit=None,
        system="Linux",
        env={},
        exists=fake_disk("/usr/local/bin/chromium-browser"),
        which=lambda name: "/usr/local/bin/chromium-browser" if name == "chromium-browser" else None,
    )
    assert which.path == "/usr/local/bin/chromium-browser"


@pytest.mark.parametrize(
    ("system", "says"), [("Windows", "Google Chrome"), ("Darwin", "Google Chrome"), ("Linux", "apt install chromium")]
)
def test_no_browser_says_what_to_install(system: str, says: str) -> None:
    with pytest.raises(BadInput) as error:
        find_browser(explicit=None, system=system, env={}, exists=fake_disk(), which=lambda _: None)
    assert says in error.value.hint


def test_named_browser_that_does_not_exist() -> None:
    with pytest.raises(BadInput, match="No existe el navegador"):
        find_browser(explicit="/nope", system="Linux", env={}, exists=fake_disk())


# --- credentials, .env ----------------------------------------------------------------------------


def test_env_file_values_and_quotes(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('# mis datos\nINFONAVIT_NSS=84966311213\nINFONAVIT_PASSWORD="con espacio #y gato"\n')
    assert read_env_file(env, required=True) == {
        "INFONAVIT_NSS": "84966311213",
        "INFONAVIT_PASSWORD": "con espacio #y gato",
    }


def test_malformed_env_file_names_the_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("INFONAVIT_NSS=84966311213\n\nesto no es nada\n")
    with pytest.raises(BadInput, match="línea 3"):
        read_env_file(env, required=False)


def test_missing_named_env_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="No existe"):
        read_env_file(tmp_path / "nada.env", required=True)
    assert read_env_file(tmp_path / "nada.env", required=False) == {}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_an_env_file_saved_as_unicode_by_notepad_is_read(tmp_path: Path, encoding: str) -> None:
    env = tmp_path / ".env"
    text = "INFONAVIT_NSS=84966311213\r\nINFONAVIT_PASSWORD=Ñandú-Seguro 9\r\n"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    env.write_bytes((bom + text).encode(encoding))
    assert read_env_file(env, required=True) == {"INFONAVIT_NSS": "84966311213", "INFONAVIT_PASSWORD": "Ñandú-Seguro 9"}


@pytest.mark.parametrize("password", ["abc\x00def", "abc\x1bdef", "abc\rdef", "clave\x7f"])
def test_a_password_with_an_invisible_control_character_is_refused(password: str) -> None:
    console = Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    env = {"INFONAVIT_NSS": "84966311213", "INFONAVIT_PASSWORD": password}
    with pytest.raises(BadInput, match="carácter invisible") as raised:
        resolve(nss_option=None, env=env, env_file=None, console=console)
    assert password not in str(raised.value) + str(raised.value.hint)


def test_an_env_file_with_other_names_says_which_names_it_has(tmp_path: Path) -> None:
    env_file = tmp_path / "x.env"
    env_file.write_text("NSS=84966311213\nPASSWORD=secreta\n")
    console = Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(BadInput, match="Falta el NSS") as raised:
        resolve(nss_option=None, env={}, env_file=env_file, console=console)
    assert "define NSS, PASSWORD" in str(raised.value.hint) and "INFONAVIT_NSS" in str(raised.value.hint)
    assert "secreta" not in str(raised.value.hint)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prompts_for_what_is_missing_when_a_person_is_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    console = Console(stdin=FakeTty("84966311213\n"), stdout=io.StringIO(), stderr=io.StringIO())
    nss, password = resolve(nss_option=None, env={}, env_file=None, console=console, ask_password=lambda _: "secreta")
    assert (nss, password) == ("84966311213", "secreta")
    assert "Número de Seguridad Social (NSS)" in console.stderr.getvalue()  # type: ignore[attr-defined]


def test_option_beats_environment_beats_file(tmp_path: Path) -> None:
    env_file = tmp_path / "x.env"
    env_file.write_text("INFONAVIT_NSS=31927465000\nINFONAVIT_PASSWORD=del-archivo\n")
    console = Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    env = {"INFONAVIT_NSS": "12345678903"}
    assert resolve(nss_option=None, env=env, env_file=env_file, console=console) == ("12345678903", "del-archivo")
    assert resolve(nss_option="84966311213", env=env, env_file=env_file, console=console)[0] == "84966311213"


# --- diagnostics ----------------------------------------------------------------------------------


def test_strip_form_values() -> None:
    html = '<input type="text" value="84966311213" id=a><input type=password value=secreta><textarea>x y</textarea>'
    cleaned = strip_form_values(html)
    assert "84966311213" not in cleaned and "secreta" not in cleaned and "x y" not in cleaned
    assert '<input type="text" id=a>' in cleaned


def test_redactor() -> None:
    redactor = Redactor("84966311213", "Prueba#2026")
    assert redactor.text("NSS 84966311213 clave Prueba#2026") == "NSS *******1213 clave ********"
    assert redactor.data(b"x84966311213y") == b"x*******1213y"


# --- console --------------------------------------------------------------------------------------


def test_read_line_times_out_and_ends() -> None:
    class Blocking(io.StringIO):
        def __iter__(self):
            import threading

            threading.Event().wait(5)
            return iter(())

    console = Console(stdin=Blocking(), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(AnswerTimeout):
        console.read_line("? ", timeout=0.2)
    ended = Console(stdin=io.StringIO("abc\n"), stdout=io.StringIO(), stderr=io.StringIO())
    assert ended.read_line("? ", timeout=5) == "abc"
    with pytest.raises(NoAnswer):
        ended.read_line("? ", timeout=5)
    with pytest.raises(NoAnswer):  # and stays ended
        ended.read_line("? ", timeout=5)


# --- the exit codes are a contract ----------------------------------------------------------------


def test_exit_codes_are_fixed() -> None:
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 129, 130, 143]
    codes = {cls.__name__: cls.exit_code for cls in FetchError.__subclasses__()}
    assert codes == {
        "UnexpectedError": 1,
        "BadInput": 2,
        "CredentialsRejected": 3,
        "CaptchaNotSolved": 4,
        "AccountNeedsAttention": 5,
        "PortalUnavailable": 6,
        "NoticeNotReady": 7,
        "PortalChanged": 8,
        "SaveFailed": 9,
        "NotTheNotice": 10,
        "Cancelled": 130,
    }
    assert {cls.__name__: cls.exit_code for cls in Cancelled.__subclasses__()} == {"HungUp": 129, "Terminated": 143}


def test_readme_lists_every_exit_code() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert re.search(rf"^\| {code} \|", readme, re.MULTILINE), code


# --- the notice read back -------------------------------------------------------------------------


@pytest.mark.parametrize("account", ACCOUNTS, ids=[a.nss for a in ACCOUNTS])
def test_read_notice_from_the_mock_pdfs(account) -> None:
    from infonavit_fetch.site.notice import read_notice

    summary = read_notice(check_pdf(notice_pdf(account)).text)
    assert summary.as_dict() == {
        "nombre": account.name,
        "nss": mask_nss(account.nss),
        "credito": account.credit_number,
        "patron": account.employer_name,
        "nrp": account.employer_nrp,
        "tipo_descuento": account.discount_type,
        "valor_descuento": account.discount_value,
        "fecha_inicio": account.start_date,
    }
    assert summary.missing == []


def test_labels_and_values_worded_otherwise_are_read() -> None:
    """As written by a portal this project did not write: a plural label, a period after the amount."""
    from infonavit_fetch.site.notice import read_notice

    summary = read_notice(
        "AVISO PARA RETENCIÓN DE DESCUENTOS\n"
        "Valor del descuento: $ 2,845.60 mensuales\n"
        "Fecha de inicio de descuentos: 01/12/2026\n"
    )
    assert (summary.valor_descuento, summary.fecha_inicio) == ("$ 2,845.60 mensuales", "01/12/2026")
    spelled_out = read_notice("Fecha de inicio de los descuentos 1 de diciembre de 2026")
    assert spelled_out.fecha_inicio == "1 de diciembre de 2026"
    assert read_notice("Monto del descuento: 1,200.00 MXN quincenales").valor_descuento == "1,200.00 MXN quincenales"
    assert read_notice("Valor del descuento: 2,845.60 mensuales más intereses").valor_descuento is None
    # the period after the kind, the period inside the label, the amount in words after it
    worded = read_notice(
        "Tipo de descuento: Cuota fija mensual\n"
        "Monto del descuento mensual: $4,812.37 (cuatro mil ochocientos doce pesos 37/100 M.N.)\n"
    )
    assert (worded.tipo_descuento, worded.valor_descuento) == ("Cuota fija mensual", "$4,812.37")
    assert read_notice("Tipo de descuento: Cuota fija o ver reverso").tipo_descuento is None
    imss = read_notice("Número de Registro Patronal: Y54-12345-10-8\nTipo de descuento: Factor de descuento\n")
    assert (imss.nrp, imss.tipo_descuento) == ("Y54-12345-10-8", "Factor de descuento")
    assert read_notice("Registro patronal: Y54-12345-10\n").nrp is None  # a digit short
    factor = read_notice("Factor de descuento: 20.00 % del salario base de cotización\n").valor_descuento
    assert factor == "20.00 % del salario base de cotización"


def test_fields_not_found_are_reported_missing() -> None:
    from infonavit_fetch.site.notice import read_notice, summary_lines

    summary = read_notice("AVISO PARA RETENCIÓN DE DESCUENTOS\nNúmero de crédito: 1526093847\n")
    assert summary.credito == "1526093847"
    assert set(summary.missing) == {
        "nombre",
        "nss",
        "patron",
        "nrp",
        "tipo_descuento",
        "valor_descuento",
        "fecha_inicio",
    }
    assert any("no se encontró" in line for line in summary_lines(summary))


# --- opening files with the system's programs (--open, the captcha image) -------------------------


@pytest.mark.parametrize(
    ("system", "display", "expected"),
    [("Darwin", "", ["open"]), ("Linux", ":0", ["xdg-open"]), ("Linux", "", None)],
)
def test_open_with_system(
    system: str, display: str, expected: list[str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infonavit_fetch.login import captcha

    started: list[list[str]] = []
    monkeypatch.setattr("platform.system", lambda: system)
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("subprocess.Popen", lambda args, **_: started.append(args))
    captcha.open_with_system(Path("/tmp/aviso.pdf"))
    assert started == ([[*expected, "/tmp/aviso.pdf"]] if expected else [])


def test_open_with_system_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from infonavit_fetch.login import captcha

    opened: list[str] = []
    monkeypatch.setattr("platform.system", lambda: "Windows")
    monkeypatch.setattr("os.startfile", opened.append, raising=False)
    captcha.open_with_system(Path("C:/Users/José/Mis documentos/aviso.pdf"))
    assert opened == [str(Path("C:/Users/José/Mis documentos/aviso.pdf"))]


def test_classify_answer_is_safety_first() -> None:
    from infonavit_fetch.site.portal import classify_answer

    wrong_code = "El código de verificación es incorrecto."
    assert classify_answer([wrong_code]) is Outcome.WRONG_CAPTCHA
    assert classify_answer([wrong_code, "El NSS o la contraseña son incorrectos."]) is Outcome.BAD_CREDENTIALS
    assert classify_answer([wrong_code, "Algo que no conozco"]) is Outcome.UNKNOWN  # never resend on doubt
    assert classify_answer([]) is Outcome.UNKNOWN


def test_the_command_ends_without_searching_its_objects_for_cycles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a command is over, what is alive is frozen out of the collector: the interpreter's teardown
    then takes milliseconds instead of a tenth of a second after the result is on the screen."""
    import gc

    from infonavit_fetch import start

    monkeypatch.setattr(sys, "argv", ["infonavit-fetch", "--version"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as ended:
            start.run()
        assert ended.value.code in (0, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_step_log_names_every_answer_in_spanish() -> None:
    from infonavit_fetch.site.portal import OUTCOME_WORDS

    assert set(OUTCOME_WORDS) == set(Outcome)
    assert all(words and "-" not in words for words in OUTCOME_WORDS.values())  # no code names such as "logged-in"


@pytest.mark.parametrize(
    ("option", "bounds", "inside", "outside"),
    [
        ("--timeout", (1, 600), (1.0, 600.0), (0.99, 600.01)),
        ("--captcha-timeout", (5, 3600), (5.0, 3600.0), (4.99, 3600.01)),
    ],
)
def test_both_ends_of_each_time_limit(
    option: str, bounds: tuple[int, int], inside: tuple[float, float], outside: tuple[float, float]
) -> None:
    from infonavit_fetch.cli.app import _check_seconds
    from infonavit_fetch.cli.settings import DEFAULT_CAPTCHA_TIMEOUT, DEFAULT_TIMEOUT

    usual = DEFAULT_TIMEOUT if option == "--timeout" else DEFAULT_CAPTCHA_TIMEOUT
    for value in inside:
        _check_seconds(option, value, bounds, usual)
    for value in outside:
        with pytest.raises(BadInput, match=f"{option} debe ser un número de segundos entre"):
            _check_seconds(option, value, bounds, usual)


# --- the terminal's width (issue 22, item 3) -----------------------------------------------------------


def test_fit_breaks_at_spaces_under_a_hanging_indent() -> None:
    from infonavit_fetch.cli.console import fit

    text = "✗ Revisa tu NSS: son 11 dígitos, sin letras. Lo encuentras en tu recibo de nómina (o usa --nss)."
    lines = fit(text, 40).splitlines()
    assert all(len(line) < 40 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])  # under the first word, after the mark
    assert " ".join(line.strip() for line in lines) == text  # no word cut, nothing lost
    assert lines[-1].endswith("--nss).") and lines[-1].strip() != ")."
    path = "/home/usuario/" + "carpeta-muy-larga/" * 5
    assert path in fit(f"  Informe en: {path}", 40).splitlines()[-1]  # a long token stays whole
    assert fit(text, None) == text  # a pipe or a file: one line per message


def test_credentials_problems_are_all_found_without_asking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from infonavit_fetch.login.credentials import problems

    monkeypatch.chdir(tmp_path)  # no ./.env

    nobody = Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    found = problems(nss_option="12345678901", env={}, env_file=None, console=nobody)
    assert [p.message.split(":")[0] for p in found] == [
        "El NSS no es válido",
        "Falta la contraseña y no hay una terminal donde preguntarla.",
    ]
    (tmp_path / "x.env").write_text("esto no sirve\n")
    found = problems(nss_option=None, env={}, env_file=tmp_path / "x.env", console=nobody)
    assert len(found) == 1 and "línea 1" in found[0].message  # not also «falta el NSS»
    person = Console(stdin=FakeTty(""), stdout=io.StringIO(), stderr=io.StringIO())
    assert problems(nss_option=None, env={}, env_file=tmp_path / "nada.env", console=person)[0].message.startswith(
        "No existe el archivo"
    )
    assert problems(nss_option=None, env={}, env_file=None, console=person) == []  # asked later, at the terminal
