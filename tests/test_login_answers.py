"""The portal's answers to a login, read by meaning: most of these phrasings are written nowhere in
portal.py. Only an answer about the code alone may send the form again (the password with it)."""

from __future__ import annotations

import pytest

from infonavit_fetch.site.portal import RETRYABLE, Outcome, classify_answer, classify_message

WRONG_CODE = [
    "El código de verificación es incorrecto. Intenta de nuevo.",
    "Los caracteres de la imagen no coinciden.",
    "La verificación de seguridad no es válida, intenta de nuevo",
    "Código captcha erróneo",
    "El texto ingresado no corresponde a la imagen.",
    "Captcha inválido. Vuelve a intentarlo.",
    "El código de seguridad que escribiste es incorrecto",
    "Error en el código de la imagen",
    "Las letras no coinciden con la imagen mostrada",
    "¡Ups! El código no es correcto.",
    "CÓDIGO DE VERIFICACIÓN INVÁLIDO",
    "Código incorrecto. Si fallas 3 veces más tu cuenta podría ser bloqueada.",  # a warning, not a lock-out
]
BAD_CREDENTIALS = [
    "El NSS o la contraseña son incorrectos. Verifica tus datos.",
    "Usuario o contraseña inválidos.",
    "Tu contraseña es incorrecta.",
    "El Número de Seguridad Social no está registrado.",
    "Las credenciales proporcionadas no son válidas",
    "Datos de acceso incorrectos",
    "La contraseña no coincide con el NSS capturado",
]
BLOCKED = [
    "Tu cuenta está bloqueada por seguridad.",
    "Excediste el número de intentos permitidos; tu cuenta fue bloqueada temporalmente.",
    "Por seguridad tu cuenta ha sido suspendida. Comunícate a Infonavitel.",
    "Cuenta inhabilitada.",
    "Tu cuenta ha sido bloqueada; para evitar que vuelva a ocurrir, cambia tu contraseña.",
]
PASSWORD_CHANGE = [
    "Por seguridad, es necesario que cambies tu contraseña antes de continuar.",
    "Tu contraseña ha expirado.",
    "Tu contraseña venció, establece una nueva contraseña.",
]
SESSION_EXPIRED = [
    "Tu sesión ha expirado. Inicia sesión nuevamente.",
    "La sesión finalizó por inactividad.",
]
MISSING = [
    "Ingresa tu NSS, tu contraseña y el código de la imagen.",
    "Captura el código de verificación.",
    "El código es obligatorio",
]
AMBIGUOUS = [
    "El NSS, la contraseña o el código de verificación son incorrectos.",
    "Datos incorrectos: revisa tu contraseña y el captcha",
]
UNKNOWN = [
    "Lo sentimos, no pudimos validar tu información.",
    "Bienvenido",
    "Intenta más tarde.",
    "Consulta tu Número de Seguridad Social",  # a link on the login page, not an answer
    # What could happen, not what did:
    "Tu contraseña vence en 5 días. Te recomendamos cambiarla ahora para evitar que tu acceso sea bloqueado.",
    "Si excedes 5 intentos, tu cuenta será bloqueada.",
]


def table() -> list[tuple[str, Outcome]]:
    groups = [
        (WRONG_CODE, Outcome.WRONG_CAPTCHA),
        (BAD_CREDENTIALS, Outcome.BAD_CREDENTIALS),
        (BLOCKED, Outcome.BLOCKED),
        (PASSWORD_CHANGE, Outcome.PASSWORD_CHANGE),
        (SESSION_EXPIRED, Outcome.SESSION_EXPIRED),
        (MISSING, Outcome.MISSING_INPUT),
        (AMBIGUOUS, Outcome.AMBIGUOUS),
        (UNKNOWN, Outcome.UNKNOWN),
    ]
    return [(message, outcome) for messages, outcome in groups for message in messages]


def test_the_table_is_large() -> None:
    assert len(table()) >= 30


@pytest.mark.parametrize(("message", "outcome"), table())
def test_login_answer_read_by_meaning(message: str, outcome: Outcome) -> None:
    assert classify_message(message) is outcome


@pytest.mark.parametrize("message", [m for m, o in table() if o not in RETRYABLE])
def test_only_answers_about_the_code_alone_are_retried(message: str) -> None:
    assert classify_answer([message]) not in RETRYABLE
    assert classify_answer([WRONG_CODE[0], message]) not in RETRYABLE  # a second message wins


def test_a_press_is_made_again_only_when_nothing_left_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressing «Iniciar sesión» once more is safe only while not one request has left the browser since
    the code was sent (then the password was never sent); once per code, and not before NOTHING_SENT_S."""
    import time
    from types import SimpleNamespace
    from typing import cast

    from infonavit_fetch.browser.session import Run
    from infonavit_fetch.login import press as press_module

    presses: list[float] = []
    button = SimpleNamespace(click=lambda timeout: presses.append(timeout))
    monkeypatch.setattr(press_module, "LoginPage", lambda page: SimpleNamespace(submit=button))
    run = SimpleNamespace(solver=SimpleNamespace(submits=True), sends=5, log=lambda line: None, page=None)
    press = press_module.LastPress(cast(Run, run))
    long_ago = time.monotonic() - 10
    press.sends_before, press.pressed_again = 5, False
    press.press_again_if_nothing_left(time.monotonic())  # too soon to tell
    assert presses == []
    press.press_again_if_nothing_left(long_ago)  # nothing left the browser: pressed again
    press.press_again_if_nothing_left(long_ago)  # once per code
    assert len(presses) == 1
    press.sends_before, press.pressed_again, run.sends = 5, False, 6  # the form went out
    press.press_again_if_nothing_left(long_ago)
    assert len(presses) == 1
    run.solver.submits = False  # the person presses it in the browser: never the tool
    press.sends_before = 6
    press.press_again_if_nothing_left(long_ago)
    assert len(presses) == 1
