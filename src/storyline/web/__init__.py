"""The local web UI (``storyline serve``): a read-only FastAPI app in ``web.app`` rendering
the same Jinja2 templates as the static report (``templates/``, ``static/``)."""
