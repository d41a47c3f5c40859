"""The web edge: FastAPI app factory, HTML pages and the JSON API under ``/api/v1``."""
