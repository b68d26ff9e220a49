"""How a walk that cannot go on says so: the step it missed, the last it found, what kept a click away."""

from __future__ import annotations

from infonavit_fetch.errors import PortalChanged
from infonavit_fetch.i18n import t
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.policy import Memory


def missing(memory: Memory) -> str:
    """The step the walk is looking for: the one after the furthest reached."""
    waypoints = memory.route.waypoints
    step = waypoints[min(memory.reached + 1, len(waypoints) - 1)]
    return t("el aviso de retención") if memory.route.row and step == waypoints[-1] else step


def lost(memory: Memory, *, page_came: str = "", page_said: str = "") -> PortalChanged:
    """Nothing led on: the missing step and the last one found, or the page that came instead of the PDF."""
    if memory.last_blocked is not None:  # the way was in sight, but something kept the click from it
        return blocked(*memory.last_blocked)
    if page_came:
        return _page_instead(page_came, page_said)
    after = t(" después de «{after}»", after=memory.route.waypoints[memory.reached]) if memory.reached >= 0 else ""
    return PortalChanged(
        t("No se encontró «{label}» en el portal{where}.", label=missing(memory), where=after),
        hint=t(
            "Puede que el portal haya cambiado o esté muy lento. Intenta con un --timeout mayor o sin --headless "
            "(así puedes hacer tú ese clic); si se repite, usa --debug-dir y comparte la carpeta."
        ),
    )


def _page_instead(title: str, said: str) -> PortalChanged:
    # Advice that fits what happened: a page that says the portal failed, or one not understood.
    failed = portal.classify_message(said) is not portal.Outcome.UNKNOWN or portal.PORTAL_FAILED.search(fold(said))
    return PortalChanged(
        t(
            "Al pulsar «{button}» el portal mostró una página («{title}») en lugar del PDF.",
            button=Label.PRINT,
            title=title,
        ),
        hint=t(
            "Puede ser una falla momentánea del portal: intenta más tarde. Si se repite, usa --debug-dir y "
            "comparte la carpeta."
        )
        if failed
        else t(
            "Ejecuta el comando sin --headless: cuando no sepa qué hacer te pedirá ese clic y guardará el PDF. "
            "Si se repite, usa --debug-dir y comparte la carpeta."
        ),
    )


def blocked(label: str, cover: str) -> PortalChanged:
    if cover:
        return PortalChanged(
            t("No se pudo hacer clic en «{label}»: lo tapa «{cover}».", label=label, cover=cover[:80]),
            hint=t("Cierra eso tú en el portal si puedes; si se repite, usa --debug-dir y comparte la carpeta."),
        )
    return PortalChanged(
        t("No se pudo hacer clic en «{label}».", label=label),
        hint=t("Puede que el portal haya cambiado. Usa --debug-dir y comparte la carpeta."),
    )


def nobody_clicked(memory: Memory) -> PortalChanged:
    return PortalChanged(
        t("No se encontró «{missing}» y nadie hizo clic en el aviso a tiempo.", missing=missing(memory)),
        hint=t("Vuelve a ejecutar el comando; si el portal cambió, usa --debug-dir y comparte la carpeta."),
    )
