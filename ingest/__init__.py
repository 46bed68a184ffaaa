"""zfxxgk ingest: land raw government information disclosure reports in DuckDB.

The loaders, in the order a file meets them: discover (the files under the paths given), sniff (the format its first
bytes tell), read (one file, with the reader of its format in readers; decode turns bytes into text, tables and
sheets turn tables into cells), normalize (the text every model reads), chunk (a worker's share of files), pipeline
(the whole run, batch by batch) and land (one transaction per batch, its SQL in ingest/sql). The application around
them (the CLI, the dbt build, publication, serving) is the zfxxgk package, which imports this one, never the reverse.
"""

LOADER_VERSION = "1.1.0"
"""Bump when decoding, normalization or report identity changes: files loaded by another version are decoded again.
1.1.0: an HTML, PDF or Office file's report_id is the hash of its normalized text, never of its bytes."""
