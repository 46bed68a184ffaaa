"""zfxxgk ingest: land raw government information disclosure reports in DuckDB."""

LOADER_VERSION = "1.1.0"
"""Bump when decoding, normalization or report identity changes: files loaded by another version are decoded again.
1.1.0: an HTML, PDF or Office file's report_id is the hash of its normalized text, never of its bytes."""
