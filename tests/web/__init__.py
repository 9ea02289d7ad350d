"""Web source tests: fetcher, extraction and source use cases against a local server."""
