"""zfxxgk ingest: land raw government information disclosure reports in DuckDB."""

LOADER_VERSION = "1.0.0"
"""Bump when decoding or normalization changes: files loaded by another version are decoded again."""
