"""The local web page (`formkit serve`)."""

from formkit.web.app import create_app

__all__ = ["create_app"]
