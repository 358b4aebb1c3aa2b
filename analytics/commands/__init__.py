"""One module per CLI command (see analytics.cli)."""
