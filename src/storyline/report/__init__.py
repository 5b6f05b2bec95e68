"""What people look at: the terminal report, the static HTML report and the page views the
web UI shares with it. Modules: ``queries`` (read-only SQL), ``views`` (page contents),
``svg`` (chart geometry), ``html`` (templates and the static site), ``terminal`` (rich),
``topic`` (topic timelines over inputs and over the archive)."""
