"""infonavit-fetch: download the Infonavit "aviso de retención de descuentos" in one command."""

__version__ = "0.1.0"
