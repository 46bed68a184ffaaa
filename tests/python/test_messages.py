"""What the CLI prints: paths shown on one line whatever their characters, errors when there is nothing to
show, and a quiet stop when the reader of the output goes away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DIR, query, zfxxgk

from ingest.config import IngestSettings
from ingest.display import display_path
from ingest.pipeline import ingest_paths
from zfxxgk.cli import main
from zfxxgk.publish import work_database_path


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\nwarning: all files deleted.txt", "a\\nwarning: all files deleted.txt"),
        ("cr\r.txt", "cr\\r.txt"),
        ("tab\t.txt", "tab\\t.txt"),
        ("\x1b[2Kcolour.txt", "\\x1b[2Kcolour.txt"),
        ("nul\x00del\x7f.txt", "nul\\x00del\\x7f.txt"),
        ("c1\x85\x9b.txt", "c1\\x85\\x9b.txt"),
        ("line\u2028paragraph\u2029.txt", "line\\u2028paragraph\\u2029.txt"),
        ("back\\slash.txt", "back\\\\slash.txt"),
        ("政府信息公开 2019.txt", "政府信息公开 2019.txt"),
    ],
    ids=["newline", "cr", "tab", "esc", "nul-del", "c1", "unicode-separators", "backslash", "plain"],
)
def test_display_path_escapes_what_could_break_a_line(name: str, shown: str) -> None:
    assert display_path(Path("/corpus") / name) == "/corpus/" + shown


def test_a_file_name_cannot_forge_a_log_line(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    names = ["a\nwarning: all files deleted.txt", "b\u2028error: disk full.txt", "c\x1b[1Ad\r.txt"]
    for name in names:
        (folder / name).write_bytes(b"")

    result = zfxxgk("ingest", str(folder), "--db", str(db_path), "--no-progress")

    assert result.returncode == 0, result.stderr
    advice = "empty: 0 bytes; the file has no bytes: download it again"
    assert result.stderr.splitlines() == [
        f"warning: rejected {folder}/a\\nwarning: all files deleted.txt: {advice}",
        f"warning: rejected {folder}/b\\u2028error: disk full.txt: {advice}",
        f"warning: rejected {folder}/c\\x1b[1Ad\\r.txt: {advice}",
    ]
    stored = query(work_database_path(db_path), "select source_path from raw.ingest_rejections order by 1")
    assert stored == [(str(folder / name),) for name in names]


def test_a_missing_path_is_named_on_one_line(tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["ingest", str(tmp_path / "gone\nerror: forged.txt"), "--db", str(db_path)])

    assert status == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}/gone\\nerror: forged.txt: no such file or folder; check the path and try again\n"
    )


@pytest.mark.parametrize("name", ["z'1.duckdb", 'say "hi".duckdb'])
def test_a_warehouse_name_with_a_quote_is_refused_before_anything_is_landed(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """dbt-duckdb quotes the database name (the file's stem) in its catalog queries: such a run used to land the
    files and fail inside dbt."""
    db_path = tmp_path / name

    status = main(["run", str(SAMPLE_DIR), "--db", str(db_path)])

    assert status == 2
    assert capsys.readouterr().err == (
        f"error: the warehouse file name {name} holds a quote, which dbt cannot address (its catalog queries quote "
        "the database name): choose a --db file name without ' or \"\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_summary_without_a_warehouse_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    db_path = tmp_path / "none.duckdb"

    result = zfxxgk("summary", "--db", str(db_path))

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: no warehouse at {db_path}: run `zfxxgk run PATH... --db {db_path}` first\n"


def test_summary_of_a_warehouse_landed_but_not_built_is_an_error(tmp_path: Path) -> None:
    db_path = tmp_path / "zfxxgk.duckdb"
    work = work_database_path(db_path)
    ingest_paths([SAMPLE_DIR], work, IngestSettings(show_progress=False), warn=lambda _: None)

    result = zfxxgk("summary", "--db", str(db_path))

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: nothing published at {db_path} yet: reports are landed in {work}, run `zfxxgk build --db {db_path}`\n"
    )


def zfxxgk_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with its stdout a pipe whose reader has gone (`zfxxgk ... | head -0`): every write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "ZFXXGK_PROJECT_DIR": str(ROOT)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "zfxxgk.cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("command", "status"),
    [
        (["summary"], 141),
        (["ingest", str(SAMPLE_DIR), "--no-progress"], 141),
        (["--help"], 0),  # argparse ignores a failed write of its help and version
        (["--version"], 0),
    ],
    ids=["summary", "ingest", "help", "version"],
)
def test_a_closed_pipe_stops_the_cli_quietly(command: list[str], status: int, tmp_path: Path) -> None:
    db_path = tmp_path / "zfxxgk.duckdb"
    ingest_paths([SAMPLE_DIR], db_path, IngestSettings(show_progress=False), warn=lambda _: None)
    args = [*command, "--db", str(db_path)] if command[0] in ("summary", "ingest") else command

    result = zfxxgk_into_closed_pipe(*args)

    assert (result.returncode, result.stderr) == (status, "")
