"""The REST API (FastAPI): routers parse, call the service layer, shape the answer."""
