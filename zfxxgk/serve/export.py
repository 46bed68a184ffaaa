"""`zfxxgk export`: the marts as Parquet or CSV files beside a data dictionary, written set-based by DuckDB."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
FORMATS = ("parquet", "csv")
PARTITION_COLUMN = "report_year"
PARTITION_MIN_ROWS = 1_000_000
"""A Parquet table with a report_year column and at least this many rows is a folder partitioned by it. Below that a
table is one file: a reader of a million rows gains nothing from skipping years (a Parquet file is read by row groups
of 122,880 rows and their statistics already), and a small table split by year is a folder of tiny files (8 rows gave
7 folders). Every file of a partitioned table still holds the report_year column, so each reads on its own."""
DICTIONARY_CSV = "data_dictionary.csv"
DICTIONARY_MD = "DATA_DICTIONARY.md"
MANIFEST = "export_manifest.json"
"""Written last into every export: the files it wrote and their sizes. Only a folder holding exactly the files of its
manifest is an earlier export, which a new export may replace."""
MANIFEST_FORMAT = "zfxxgk-export"
MANIFEST_VERSION = 1
NESTED_TYPE_PREFIXES = ("STRUCT", "MAP", "UNION")


class ExportError(Exception):
    """An export that cannot start or finish; the message says what to do next."""


@dataclass(frozen=True)
class Column:
    name: str
    position: int
    data_type: str
    description: str

    @property
    def is_nested(self) -> bool:
        """Lists, arrays, structs, maps and unions: Parquet keeps them, CSV gets their JSON text."""
        return self.data_type.endswith("]") or self.data_type.startswith(NESTED_TYPE_PREFIXES)


@dataclass(frozen=True)
class TableExport:
    name: str
    description: str
    columns: tuple[Column, ...]
    rows: int
    files: tuple[str, ...]
    """Paths relative to the export folder."""
    partitioned: bool
    bytes: int


@dataclass
class ExportSummary:
    out_dir: Path
    file_format: str
    tables: list[TableExport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def files(self) -> int:
        return sum(len(table.files) for table in self.tables) + 2

    @property
    def bytes(self) -> int:
        dictionary = sum((self.out_dir / name).stat().st_size for name in (DICTIONARY_CSV, DICTIONARY_MD))
        return sum(table.bytes for table in self.tables) + dictionary

    def describe(self) -> str:
        lines = [
            f"{len(self.tables)} tables, {self.rows:,} rows, {self.files} files ({self.file_format} + dictionary), "
            f"{_size(self.bytes)} in {self.seconds:.1f}s -> {self.out_dir}"
        ]
        for table in self.tables:
            layout = f"{len(table.files)} files by {PARTITION_COLUMN}" if table.partitioned else table.files[0]
            lines.append(f"  {table.name:<28} {table.rows:>10,} rows  {_size(table.bytes):>9}  {layout}")
        lines.append(f"  dictionary: {self.out_dir / DICTIONARY_MD} and {DICTIONARY_CSV}")
        return "\n".join(lines)


def export_marts(
    db_path: Path, out_dir: Path, file_format: str = "parquet", partition_min_rows: int = PARTITION_MIN_ROWS
) -> ExportSummary:
    """Export every table of schema marts from the warehouse at db_path (opened read-only) into out_dir.

    Parquet tables with a report_year column and at least partition_min_rows rows are folders partitioned by
    report_year, the others one file each. The files and their manifest are written into a temporary sibling folder
    that replaces out_dir only once everything is written. out_dir may be new, empty, or an earlier export holding
    exactly the files of its manifest; anything else is refused before anything is written.
    """
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}: use one of {', '.join(FORMATS)}")
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise ExportError(f"no warehouse at {db_path}: run `zfxxgk run PATH... --db {db_path}` first")
    out_dir = _resolve_target(out_dir)
    _check_target(out_dir)
    started = time.perf_counter()
    staging = _make_staging(out_dir)
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            tables = [
                _export_table(con, staging, name, description, file_format, partition_min_rows)
                for name, description in _tables(con)
            ]
        finally:
            con.close()
        if not tables:
            raise ExportError(
                f"{db_path} has no tables in schema {MARTS_SCHEMA}: run `zfxxgk build --db {db_path}` first"
            )
        _write_dictionary(staging, tables, file_format, partition_min_rows)
        _write_manifest(staging)
        previous = _replace(staging, out_dir)
    except (OSError, duckdb.IOException) as error:
        # (DuckDB's own writes of the Parquet and CSV files raise IOException: disk full, a folder gone)
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(
            f"could not write the export ({error}): {out_dir} is as it was; fix the cause or choose another --out"
        ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_previous(previous, out_dir)
    return ExportSummary(out_dir, file_format, tables, time.perf_counter() - started)


def _resolve_target(out_dir: Path) -> Path:
    """out_dir with a symlink, `.` or `..` resolved: the folder whose temporary sibling replaces it."""
    if out_dir.is_symlink() or out_dir.name in ("", ".."):
        out_dir = out_dir.resolve()
    if not out_dir.name:
        raise ExportError(f"--out {out_dir} is the root folder: choose an empty or new folder for --out")
    return out_dir


def _check_target(out_dir: Path) -> None:
    """Refuse, before anything is written, an out_dir that export may not replace or cannot create."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file: choose an empty or new folder for --out")
    blocking = next((path for path in out_dir.parents if path.exists() or path.is_symlink()), None)
    if blocking is not None and not blocking.is_dir():
        raise ExportError(f"{blocking} is a file, so no folder {out_dir} can be made under it: choose another --out")
    if not out_dir.is_dir():
        return
    try:
        reason = _not_an_export(out_dir)
    except OSError as error:
        raise ExportError(f"cannot read {out_dir} ({error}): choose an empty or new folder for --out") from error
    if reason is not None:
        raise ExportError(
            f"{out_dir} is not empty and holds no previous export ({reason}): "
            f"choose an empty or new folder for --out, or remove {out_dir} yourself"
        )


def _make_staging(out_dir: Path) -> Path:
    """The temporary folder beside out_dir that the export is written into."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.export-", dir=out_dir.parent))
    except OSError as error:
        raise ExportError(
            f"cannot write in {out_dir.parent} ({error.strerror or error}): export writes its files in a new folder "
            "beside --out, so choose an --out in a folder you can write to"
        ) from error


def _scan(folder: Path) -> tuple[dict[str, int], set[str], list[str]]:
    """The regular files (relative path -> size), the folders, and anything else (symlinks...) under folder."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    others: list[str] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                relative = Path(entry.path).relative_to(folder).as_posix()
                if entry.is_symlink():
                    others.append(relative)
                elif entry.is_dir():
                    folders.add(relative)
                    pending.append(Path(entry.path))
                elif entry.is_file():
                    files[relative] = entry.stat().st_size
                else:
                    others.append(relative)
    return files, folders, sorted(others)


def _read_manifest(folder: Path) -> dict[str, int] | None:
    """The files listed by folder's manifest, or None if it has no valid manifest of this format and version."""
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return None
    files = manifest.get("files")
    if manifest.get("version") != MANIFEST_VERSION or not isinstance(files, dict):
        return None
    if not all(isinstance(name, str) and type(size) is int for name, size in files.items()):
        return None
    return files


def _not_an_export(folder: Path) -> str | None:
    """Why folder is not an empty folder or an earlier export that may be replaced; None if it is one."""
    files, folders, others = _scan(folder)
    if not files and not folders and not others:
        return None
    if others:
        return f"{others[0]} is not a regular file"
    listed = _read_manifest(folder)
    if listed is None:
        return f"no {MANIFEST} of format {MANIFEST_FORMAT} version {MANIFEST_VERSION}"
    files.pop(MANIFEST)
    unlisted = sorted(set(files) - set(listed))
    if unlisted:
        return f"{unlisted[0]} is not in its {MANIFEST}"
    changed = sorted(name for name, size in listed.items() if files.get(name) != size)
    if changed:
        return f"{changed[0]} is missing or changed since the export"
    expected_folders = {parent.as_posix() for name in listed for parent in Path(name).parents} - {"."}
    extra_folders = sorted(folders - expected_folders)
    if extra_folders:
        return f"folder {extra_folders[0]} is not in its {MANIFEST}"
    return None


def _write_manifest(staging: Path) -> None:
    """List every file written, with its size; flush them all to disk so a crash cannot leave a folder whose files
    differ from its manifest."""
    files, folders, _ = _scan(staging)
    for name in files:
        _fsync(staging / name)
    manifest = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "files": dict(sorted(files.items()))}
    with (staging / MANIFEST).open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    for name in [*folders, "."]:
        _sync_folder(staging / name)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _replace(staging: Path, out_dir: Path) -> Path | None:
    """Move the finished export into place; return the folder it replaced (renamed beside it), if any.

    That folder is checked again once renamed away, so files added to it since the first check are not lost; on any
    failure it is put back.
    """
    if not out_dir.is_dir():
        staging.rename(out_dir)
        _sync_folder(out_dir.parent)
        return None
    previous = out_dir.with_name(f"{staging.name}.previous")
    out_dir.rename(previous)
    try:
        reason = _not_an_export(previous)
        if reason is None:
            staging.rename(out_dir)
    except OSError:
        previous.rename(out_dir)
        raise
    if reason is not None:
        previous.rename(out_dir)
        raise ExportError(
            f"{out_dir} changed during the export ({reason}) and is left as it is: "
            f"choose an empty or new folder for --out, or remove {out_dir} yourself"
        )
    _sync_folder(out_dir.parent)
    return previous


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (new files, a rename) to disk where the system allows it."""
    with contextlib.suppress(OSError):
        _fsync(folder)


def _remove_previous(previous: Path | None, out_dir: Path) -> None:
    if previous is None:
        return
    try:
        shutil.rmtree(previous)
    except OSError as error:
        raise ExportError(
            f"the export is in {out_dir}, but the earlier one could not be removed ({error}): "
            f"remove {previous} yourself"
        ) from error


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The marts, tables and views (a renamed mart keeps its old name as a view for one release)."""
    return con.execute(
        "select table_name, coalesce(comment, '') from duckdb_tables() where schema_name = $schema and not temporary "
        "union all "
        "select view_name, coalesce(comment, '') from duckdb_views() where schema_name = $schema and not temporary "
        "and not internal order by 1",
        {"schema": MARTS_SCHEMA},
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> tuple[Column, ...]:
    rows = con.execute(
        "select column_name, column_index, data_type, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = ? and table_name = ? order by column_index",
        [MARTS_SCHEMA, table],
    ).fetchall()
    return tuple(
        Column(name, position, data_type, description.strip()) for name, position, data_type, description in rows
    )


def _export_table(
    con: duckdb.DuckDBPyConnection,
    staging: Path,
    name: str,
    description: str,
    file_format: str,
    partition_min_rows: int,
) -> TableExport:
    columns = _columns(con, name)
    relation = f"{_quote(MARTS_SCHEMA)}.{_quote(name)}"
    (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
    partitioned = (
        file_format == "parquet"
        and rows >= max(partition_min_rows, 1)
        and any(c.name == PARTITION_COLUMN for c in columns)
    )
    if file_format == "csv":
        select_list = ", ".join(
            f"to_json({_quote(c.name)})::varchar as {_quote(c.name)}" if c.is_nested else _quote(c.name)
            for c in columns
        )
        target = staging / f"{name}.csv"
        options = "format csv, header true"
    elif partitioned:
        select_list = "*"
        target = staging / name
        # write_partition_columns: each file keeps report_year, so a file read on its own is complete
        options = (
            f"format parquet, compression zstd, partition_by ({_quote(PARTITION_COLUMN)}), write_partition_columns true"
        )
    else:
        select_list = "*"
        target = staging / f"{name}.parquet"
        options = "format parquet, compression zstd"
    # order by all: the same warehouse gives the same rows in the same order, hence the same files.
    con.execute(f"copy (select {select_list} from {relation} order by all) to '{_literal(target)}' ({options})")
    paths = sorted(target.rglob("*.parquet")) if partitioned else [target]
    return TableExport(
        name=name,
        description=description.strip(),
        columns=columns,
        rows=rows,
        files=tuple(path.relative_to(staging).as_posix() for path in paths),
        partitioned=partitioned,
        bytes=sum(path.stat().st_size for path in paths),
    )


def _write_dictionary(staging: Path, tables: list[TableExport], file_format: str, partition_min_rows: int) -> None:
    with (staging / DICTIONARY_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "column", "position", "type", "description"])
        for table in tables:
            for column in table.columns:
                writer.writerow([table.name, column.name, column.position, column.data_type, column.description])
    (staging / DICTIONARY_MD).write_text(
        _dictionary_markdown(tables, file_format, partition_min_rows), encoding="utf-8"
    )


def _dictionary_markdown(tables: list[TableExport], file_format: str, partition_min_rows: int) -> str:
    lines = [
        "# zfxxgk marts: data dictionary",
        "",
        f"Exported by `zfxxgk export --format {file_format}`: one entry per table of schema `{MARTS_SCHEMA}`, "
        f"its description, rows, files and columns. The same columns are in `{DICTIONARY_CSV}`.",
        "",
    ]
    if file_format == "parquet":
        lines += [
            f"A big table (here: at least {partition_min_rows:,} rows) with a `{PARTITION_COLUMN}` column is a "
            f"folder partitioned by it (`<table>/{PARTITION_COLUMN}=2021/data_0.parquet`; rows without a year under "
            f"`{PARTITION_COLUMN}=__HIVE_DEFAULT_PARTITION__`): read it with "
            "`read_parquet('<table>/**/*.parquet')` (DuckDB) or `polars.scan_parquet('<table>/**/*.parquet')`. "
            f"Every file keeps the `{PARTITION_COLUMN}` column, in its place, so a file read on its own is complete. "
            "The other tables are one file `<table>.parquet` each.",
            "",
        ]
    else:
        lines += ["One CSV file per table, with a header; lists and structs, if any, are JSON text.", ""]
    lines += ["| table | rows | columns |", "| --- | ---: | ---: |"]
    lines += [f"| [{t.name}](#{t.name}) | {t.rows:,} | {len(t.columns)} |" for t in tables]
    for table in tables:
        if table.partitioned:
            layout = f"`{table.name}/` partitioned by `{PARTITION_COLUMN}` ({len(table.files)} files)"
        else:
            layout = f"`{table.files[0]}`"
        lines += ["", f"## {table.name}", "", _one_line(table.description) or "(no description)", ""]
        lines += [f"Rows: {table.rows:,}. Files: {layout}.", ""]
        lines += ["| # | column | type | description |", "| ---: | --- | --- | --- |"]
        lines += [f"| {c.position} | `{c.name}` | {c.data_type} | {_cell(c.description)} |" for c in table.columns]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
