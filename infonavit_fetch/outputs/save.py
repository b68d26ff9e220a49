"""What gets written: a checked PDF, under a name that says what it is, written atomically."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from infonavit_fetch.errors import SaveFailed, os_reason
from infonavit_fetch.i18n import t
from infonavit_fetch.outputs.files import create_new, unguessable
from infonavit_fetch.site.portal import NOTICE_TITLE
from infonavit_fetch.site.text import contains


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    text: str

    @property
    def reads_like_notice(self) -> bool:
        return contains(self.text, NOTICE_TITLE)


def check_pdf(data: bytes) -> CheckedPdf:
    """Raise SaveFailed unless `data` is a whole PDF that parses; return it with its text."""
    damaged = SaveFailed(
        t("El portal entregó un PDF incompleto o dañado, así que no se guardó."),
        hint=t("Vuelve a intentarlo en unos minutos; suele deberse a una conexión interrumpida."),
    )
    if not data.startswith(b"%PDF-"):
        raise SaveFailed(
            t("Lo que entregó el portal no es un PDF, así que no se guardó."),
            hint=t("Vuelve a intentarlo más tarde; si se repite, usa --debug-dir y comparte la carpeta."),
        )
    if b"%%EOF" not in data[-2048:]:
        raise damaged
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        if not reader.pages:
            raise damaged
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise damaged from exc
    return CheckedPdf(data, text)


def notice_filename(nss: str, day: dt.date, attempt: int = 1, stem: str = "aviso-retencion") -> str:
    suffix = "" if attempt == 1 else f"-{attempt}"
    return f"{stem}-{nss}-{day.isoformat()}{suffix}.pdf"


def save_notice(
    data: bytes, out_dir: Path, nss: str, day: dt.date | None = None, *, stem: str = "aviso-retencion"
) -> Path:
    """Write `data` into `out_dir` under a new name; never overwrite, never leave a partial file.

    The bytes first go to a `.part` file of a random name, created new and never through a link, so
    a leftover of an earlier run (or a name planted by someone else) is neither in the way nor removed.
    """
    day = day or dt.date.today()
    tmp = out_dir / unguessable(f".{notice_filename(nss, day, stem=stem)}.", ".part")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = create_new(tmp)
    except OSError as exc:
        raise _not_writable(out_dir, exc) from exc
    try:
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _not_writable(out_dir, exc) from exc
        return _publish(tmp, out_dir, nss, day, stem)
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, out_dir: Path, nss: str, day: dt.date, stem: str) -> Path:
    """Give the finished file its name: the first free one, claimed atomically."""
    for attempt in range(1, 1000):
        final = out_dir / notice_filename(nss, day, attempt, stem)
        try:
            if hasattr(os, "link"):
                os.link(tmp, final)  # fails if the name is taken: no overwrite, no race
            else:  # pragma: no cover - platforms without hard links
                os.rename(tmp, final)
            return final.resolve()
        except FileExistsError:
            continue
        except OSError as exc:
            if hasattr(os, "link") and not isinstance(exc, PermissionError):
                try:  # file systems without hard links (some USB drives, network shares)
                    if final.exists():
                        continue
                    os.rename(tmp, final)
                    return final.resolve()
                except OSError as exc2:
                    raise _not_writable(out_dir, exc2) from exc2
            raise _not_writable(out_dir, exc) from exc
    raise SaveFailed(
        t("Ya hay demasiados avisos con el mismo nombre en {out_dir}.", out_dir=out_dir),
        hint=t("Elige otra carpeta con --out."),
    )


def _not_writable(out_dir: Path, exc: OSError) -> SaveFailed:
    return SaveFailed(
        t("No se pudo guardar el PDF en {out_dir}: {reason}.", out_dir=out_dir, reason=os_reason(exc)),
        hint=t("Elige una carpeta en la que puedas escribir con --out, por ejemplo tu carpeta Documentos."),
    )
