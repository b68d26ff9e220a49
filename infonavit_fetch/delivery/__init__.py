"""The notice, however it arrives: one catcher for the whole run (catcher.py), one small reader per way
the bytes can reach the browser (ways.py), and the notice shown as a page, printed (printing.py)."""

from infonavit_fetch.delivery.catcher import (
    Answer,
    Candidate,
    Catcher,
    NothingDelivered,
    is_top_level,
    prepares_document,
)

__all__ = ["Answer", "Candidate", "Catcher", "NothingDelivered", "is_top_level", "prepares_document"]
