"""The HTTP service: `create_app(settings)` builds the FastAPI app (see `main.py`)."""

from service.api.main import create_app

__all__ = ["create_app"]
