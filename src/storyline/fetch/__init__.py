"""Live sources: an HTTP client that polls feeds, sitemaps and pages politely, and ``watch``.

``client`` (httpx with storyline's limits: User-Agent, timeouts, a size cap, gzip, checked
redirects, conditional GET), ``politeness`` (one request at a time per host, a minimum delay,
Retry-After, back-off), ``robots`` (robots.txt for article pages), ``safety`` (only http(s);
no private addresses for links found inside feeds), ``sources`` (what a SOURCE argument is;
OPML), ``documents`` (feeds, sitemaps and pages from bytes, with the ingest readers),
``pages`` (teaser and sitemap pages), ``poll`` (one poll of the URL sources) and ``watch``
(the loop). Source state lives in the store (``store.sources``).
"""
