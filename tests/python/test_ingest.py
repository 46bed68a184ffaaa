"""Landing in DuckDB: identity, de-duplication, replacement, idempotency, rejections, atomicity."""

from __future__ import annotations

import codecs
import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_DIR, SEED_SENTENCE, TRADITIONAL_SENTENCE, query

import ingest.chunk
import ingest.land
import ingest.pipeline
from ingest.config import IngestSettings
from ingest.pipeline import ingest_paths
from zfxxgk.cli import main
from zfxxgk.config import resolve_db_path
from zfxxgk.publish import work_database_path

SEED_REPORT_IDS = {
    "000_d4ff795807e30615.txt": ("ea06e79de277f3b5", "simplified"),
    "001_082f890431297067.txt": ("b10c9838dd933c48", "simplified"),
    "002_8415d511d2c02aaa.txt": ("16861b58a448e277", "simplified"),
    "003_571ed394d0d9efb0.txt": ("133542c73c4b821b", "traditional"),
    "004_81c7aeba41491e94.txt": ("5a53b660ec47eb4a", "simplified"),
}

ALL_TABLES = ("raw.reports", "raw.report_sources", "raw.ingest_rejections")


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    return {table: query(db_path, f"select * from {table} order by all") for table in ALL_TABLES}


def quiet(paths: list[Path | str], db_path: Path, **settings: object) -> ingest.pipeline.IngestSummary:
    return ingest_paths(paths, db_path, IngestSettings(show_progress=False, **settings), warn=lambda _: None)


def test_seed_corpus_lands_five_reports_with_their_ids_and_scripts(db_path: Path) -> None:
    summary = quiet([SAMPLE_DIR], db_path)

    assert (summary.counts.new, summary.counts.rejected) == (5, 0)
    rows = query(db_path, "select source_path, report_id, script, encoding, loader_version from raw.reports")
    assert {Path(path).name: (rid, script) for path, rid, script, _, _ in rows} == SEED_REPORT_IDS
    assert {(encoding, version) for *_, encoding, version in rows} == {("utf-8", ingest.LOADER_VERSION)}


def test_traditional_seed_text_is_simplified_and_raw_text_is_untouched(db_path: Path) -> None:
    quiet([SAMPLE_DIR], db_path)

    ((raw_text, text),) = query(db_path, "select raw_text, text from raw.reports where script = 'traditional'")
    assert raw_text.startswith("本報告根據《中華人民共和國政府信息公開條例》")
    assert text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert (raw_text.count("報告"), text.count("報告"), text.count("报告")) == (3, 0, 3)
    assert raw_text == (SAMPLE_DIR / "003_571ed394d0d9efb0.txt").read_text(encoding="utf-8")


def test_running_again_on_the_same_files_changes_nothing(db_path: Path) -> None:
    quiet([SAMPLE_DIR], db_path)
    before = snapshot(db_path)

    summary = quiet([SAMPLE_DIR], db_path)

    assert (summary.counts.new, summary.counts.unchanged, summary.counts.replaced) == (0, 5, 0)
    assert snapshot(db_path) == before


def test_forced_rerun_decodes_again_and_still_changes_nothing(db_path: Path) -> None:
    quiet([SAMPLE_DIR], db_path)
    before = snapshot(db_path)

    summary = quiet([SAMPLE_DIR], db_path, force=True)

    assert (summary.counts.new, summary.counts.unchanged) == (0, 5)
    assert snapshot(db_path) == before


def test_same_content_under_two_names_is_one_report_with_both_paths(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (folder / "a.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    (folder / "c_gbk.txt").write_bytes(SEED_SENTENCE.encode("gbk"))

    summary = quiet([folder], db_path)

    assert (summary.counts.new, summary.counts.duplicate) == (1, 2)
    ((report_id, source_path),) = query(db_path, "select report_id, source_path from raw.reports")
    assert source_path == str(folder / "a.txt")
    sources = query(db_path, "select source_path, report_id from raw.report_sources order by source_path")
    assert sources == [(str(folder / name), report_id) for name in ("a.txt", "b.txt", "c_gbk.txt")]


def test_changed_file_replaces_its_previous_version(tmp_path: Path, db_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(SEED_SENTENCE, encoding="utf-8")
    quiet([report], db_path)
    ((old_id,),) = query(db_path, "select report_id from raw.reports")

    report.write_text(SEED_SENTENCE.replace("4934", "5000"), encoding="utf-8")
    summary = quiet([report], db_path)

    assert (summary.counts.new, summary.counts.replaced, summary.counts.unchanged) == (0, 1, 0)
    ((new_id, text),) = query(db_path, "select report_id, text from raw.reports")
    assert new_id != old_id
    assert "5000条" in text
    assert query(db_path, "select source_path, report_id from raw.report_sources") == [(str(report), new_id)]


def test_replacing_one_copy_keeps_the_report_of_the_other(tmp_path: Path, db_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (first, second):
        path.write_text(SEED_SENTENCE, encoding="utf-8")
    quiet([tmp_path], db_path)
    ((shared_id,),) = query(db_path, "select report_id from raw.reports")

    first.write_text(TRADITIONAL_SENTENCE, encoding="utf-8")
    quiet([tmp_path], db_path)

    reports = dict(query(db_path, "select report_id, source_path from raw.reports"))
    assert len(reports) == 2
    assert reports[shared_id] == str(second)


def test_rejected_new_version_keeps_the_loaded_report(tmp_path: Path, db_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(SEED_SENTENCE, encoding="utf-8")
    quiet([report], db_path)
    loaded = query(db_path, "select * from raw.reports")

    report.write_bytes(b"")
    summary = quiet([report], db_path)

    assert summary.counts.rejected == 1
    assert query(db_path, "select * from raw.reports") == loaded
    assert query(db_path, "select source_path, reason from raw.ingest_rejections") == [(str(report), "empty")]


def test_rejection_is_cleared_once_the_file_loads(tmp_path: Path, db_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes(b"   \n")
    quiet([report], db_path)
    assert query(db_path, "select reason from raw.ingest_rejections") == [("blank",)]

    report.write_text(SEED_SENTENCE, encoding="utf-8")
    quiet([report], db_path)

    assert query(db_path, "select count(*) from raw.ingest_rejections") == [(0,)]
    assert query(db_path, "select count(*) from raw.reports") == [(1,)]


def write_mixed_folder(folder: Path) -> dict[str, str | None]:
    """Good reports in every supported encoding plus every kind of bad file.

    Returns file name -> expected encoding (good files) or rejection reason prefixed with '!'.
    """
    folder.mkdir()
    long_text = SEED_SENTENCE * 20
    files: dict[str, tuple[bytes, str]] = {
        "utf8.txt": (long_text.encode("utf-8"), "utf-8"),
        "utf8_bom.txt": (codecs.BOM_UTF8 + ("带BOM" + long_text).encode("utf-8"), "utf-8"),
        "crlf.md": (("CRLF" + long_text).replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        "gbk.txt": (("GBK" + long_text).encode("gbk"), "gb18030"),
        "gb18030.text": (("GB18030 \u4dae €" + long_text).encode("gb18030"), "gb18030"),
        "big5.txt": ((TRADITIONAL_SENTENCE * 20).encode("big5"), "big5"),
        "utf16.txt": (("UTF16" + long_text).encode("utf-16"), "utf-16-le"),
        "truncated.txt": (("截断" + long_text.rstrip()).encode("utf-8")[:-1], "utf-8"),
        "empty.txt": (b"", "!empty"),
        "blank.txt": (b" \r\n\t\n\xe3\x80\x80\n", "!blank"),
        "binary.txt": (bytes(range(256)) * 8, "!binary"),
        "text_named.pdf": (long_text.encode("utf-8"), "!extension_mismatch"),
        "nul.txt": (b"\x00" * 512, "!binary"),
        "sheet.xyz": (long_text.encode("utf-8"), "!unsupported_extension"),
    }
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content)
    return {name: expected for name, (_, expected) in files.items()}


def test_mixed_folder_loads_every_good_file_and_records_every_bad_one(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = write_mixed_folder(tmp_path / "mixed")

    status = main(["ingest", str(tmp_path / "mixed"), "--db", str(db_path)])

    assert status == 0
    landed = work_database_path(db_path)
    loaded = query(
        landed, "select s.source_path, encoding from raw.report_sources as s join raw.reports using (report_id)"
    )
    assert {Path(path).name: encoding for path, encoding in loaded} == {
        name: value for name, value in expected.items() if not value.startswith("!")
    }
    rejected = query(landed, "select source_path, reason from raw.ingest_rejections")
    assert {Path(path).name: "!" + reason for path, reason in rejected} == {
        name: value for name, value in expected.items() if value.startswith("!")
    }
    output = capsys.readouterr()
    assert "8 new, 0 duplicate(s) of a loaded report, 0 unchanged, 0 replaced, 6 rejected" in output.out
    assert output.err.count("warning: rejected ") == 6


def test_mixed_folder_decodes_to_the_same_normalized_text(tmp_path: Path, db_path: Path) -> None:
    write_mixed_folder(tmp_path / "mixed")
    quiet([tmp_path / "mixed"], db_path)

    texts = dict(query(db_path, "select regexp_extract(source_path, '[^/]+$'), text from raw.reports"))
    long_text = SEED_SENTENCE * 20
    assert texts["utf8.txt"] == long_text
    assert texts["utf8_bom.txt"] == "带BOM" + long_text
    assert texts["crlf.md"] == "CRLF" + long_text
    assert texts["gbk.txt"] == "GBK" + long_text
    assert texts["gb18030.text"] == "GB18030 \u4dae €" + long_text
    assert texts["big5.txt"] == "本报告根据《中华人民共和国政府信息公开条例》编制,全年主动公开政府信息4934条。\n" * 20
    assert texts["utf16.txt"] == "UTF16" + long_text
    assert texts["truncated.txt"] == "截断" + long_text.rstrip()[:-1] + "\ufffd"
    notes = dict(query(db_path, "select regexp_extract(source_path, '[^/]+$'), decode_note from raw.reports"))
    assert notes["truncated.txt"] == "truncated inside a multi-byte character: last 2 byte(s) replaced by U+FFFD"
    assert notes["utf8.txt"] is None


def test_gbk_report_with_damaged_bytes_lands_with_its_decode_note(tmp_path: Path, db_path: Path) -> None:
    report = (SAMPLE_DIR / "001_082f890431297067.txt").read_text(encoding="utf-8")
    data = bytearray(report.encode("gbk"))
    data[1204] = data[5001] = 0xFF  # the second byte of 、 and a line break
    (tmp_path / "damaged.txt").write_bytes(bytes(data))

    summary = quiet([tmp_path / "damaged.txt"], db_path)

    assert (summary.counts.new, summary.counts.rejected) == (1, 0)
    ((encoding, note, raw_text),) = query(db_path, "select encoding, decode_note, raw_text from raw.reports")
    assert (encoding, note) == ("gb18030", "3 undecodable bytes replaced by U+FFFD at byte offsets 1203, 5001")
    assert raw_text == report[:640] + "\ufffd\ufffd" + report[641:2822] + "\ufffd" + report[2823:]


def test_symlinks_that_loop_or_point_nowhere_are_recorded_as_unreadable(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text(SEED_SENTENCE, encoding="utf-8")
    os.symlink("loop", folder / "loop")
    os.symlink("gone.txt", folder / "dangling.txt")
    warnings: list[str] = []

    summary = ingest_paths([folder], db_path, IngestSettings(show_progress=False), warn=warnings.append)

    assert (summary.files, summary.counts.new, summary.counts.rejected) == (3, 1, 2)
    advice = "; the file cannot be opened: check that it exists and is readable"
    assert query(db_path, "select source_path, reason, detail from raw.ingest_rejections order by 1") == [
        (
            str(folder / "dangling.txt"),
            "unreadable",
            "a symbolic link to gone.txt, which does not exist (No such file or directory)" + advice,
        ),
        (str(folder / "loop"), "unreadable", "a symbolic link that loops (Too many levels of symbolic links)" + advice),
    ]
    assert warnings == [
        f"warning: rejected {folder / 'dangling.txt'}: unreadable: a symbolic link to gone.txt, which does not exist "
        f"(No such file or directory){advice}",
        f"warning: rejected {folder / 'loop'}: unreadable: a symbolic link that loops "
        f"(Too many levels of symbolic links){advice}",
    ]


def test_rerun_with_rejections_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    write_mixed_folder(tmp_path / "mixed")
    quiet([tmp_path / "mixed"], db_path)
    before = snapshot(db_path)

    summary = quiet([tmp_path / "mixed"], db_path)

    assert (summary.counts.unchanged, summary.counts.rejected) == (8, 6)
    assert snapshot(db_path) == before


def test_size_limit_is_configurable(tmp_path: Path, db_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(SEED_SENTENCE * 100, encoding="utf-8")

    status = main(["ingest", str(report), "--db", str(db_path), "--max-file-mb", "0.001"])

    assert status == 0
    ((reason, detail),) = query(work_database_path(db_path), "select reason, detail from raw.ingest_rejections")
    assert reason == "too_large"
    assert detail.startswith("10,000 bytes, over the limit of 1,048 bytes;")


def test_a_failing_batch_lands_nothing_and_keeps_earlier_batches(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(4):
        (tmp_path / f"r{i}.txt").write_text(f"{i}\n{SEED_SENTENCE}", encoding="utf-8")
    statements = [*ingest.land.MERGE_STATEMENTS]
    calls = {"n": 0}

    def failing_statements() -> list[str]:
        calls["n"] += 1
        return statements if calls["n"] == 1 else [*statements, "select error('simulated crash')"]

    original_land = ingest.land.land_batch

    def land_then_maybe_fail(*args: object, **kwargs: object) -> ingest.land.BatchCounts:
        monkeypatch.setattr(ingest.land, "MERGE_STATEMENTS", failing_statements())
        return original_land(*args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "land_batch", land_then_maybe_fail)
    monkeypatch.setattr(ingest.pipeline, "CHUNK_SIZE", 1)

    with pytest.raises(duckdb.Error, match="simulated crash"):
        quiet([tmp_path], db_path, batch_size=2)

    # The first transaction (r0, r1) is in; the failed one left no report, path or rejection behind.
    paths = query(db_path, "select source_path from raw.report_sources order by 1")
    assert [Path(p).name for (p,) in paths] == ["r0.txt", "r1.txt"]
    assert query(db_path, "select count(*) from raw.reports") == [(2,)]


def test_parallel_workers_land_exactly_what_one_process_lands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        text = f"第{i}号\n" + (TRADITIONAL_SENTENCE if i % 4 == 0 else SEED_SENTENCE)
        (folder / f"r{i:02d}.txt").write_bytes(text.encode("gb18030" if i % 10 == 0 else "utf-8"))
    monkeypatch.setattr(ingest.pipeline, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(ingest.pipeline, "CHUNK_SIZE", 7)
    monkeypatch.setattr(ingest.pipeline, "CHUNKS_IN_FLIGHT_PER_WORKER", 1)
    serial_db, parallel_db = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"

    quiet([folder], serial_db, workers=1)
    summary = quiet([folder], parallel_db, workers=2)

    columns = "report_id, source_path, encoding, script, raw_text, text"
    assert summary.counts.new == 40
    assert query(parallel_db, f"select {columns} from raw.reports order by all") == query(
        serial_db, f"select {columns} from raw.reports order by all"
    )


def test_progress_bar_appears_for_big_batches_only(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text(f"{i}{SEED_SENTENCE}", encoding="utf-8")
    monkeypatch.setattr(ingest.pipeline, "PROGRESS_MIN_FILES", 2)
    ingest_paths([tmp_path], db_path, IngestSettings())
    assert "3/3" in capsys.readouterr().err

    monkeypatch.setattr(ingest.pipeline, "PROGRESS_MIN_FILES", 3)
    ingest_paths([tmp_path], db_path, IngestSettings())
    assert "3/3" not in capsys.readouterr().err


def test_missing_path_is_a_usage_error(tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["ingest", str(tmp_path / "nowhere"), "--db", str(db_path)])

    assert status == 2
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in capsys.readouterr().err


def test_scripts_match_the_acceptance_metadata(db_path: Path) -> None:
    quiet([SAMPLE_DIR], db_path)
    with (ROOT / "tests" / "acceptance" / "seed_reports.csv").open(encoding="utf-8") as handle:
        expected = {row["file"]: row["script"] for row in csv.DictReader(handle)}

    rows = query(db_path, "select regexp_extract(source_path, '[^/]+$'), script from raw.reports")

    assert dict(rows) == expected


def test_sample_corpus_is_the_shared_seed_corpus() -> None:
    shared = ROOT.parent / "shared" / "corpus" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    assert {p.name: p.read_bytes() for p in shared.glob("*.txt")} == {
        p.name: p.read_bytes() for p in SAMPLE_DIR.glob("*.txt")
    }


def test_a_work_file_held_open_elsewhere_gives_a_clear_error(db_path: Path) -> None:
    work = work_database_path(db_path)
    work.parent.mkdir(parents=True)
    holder = duckdb.connect(str(work))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "zfxxgk.cli", "ingest", str(SAMPLE_DIR), "--db", str(db_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.close()
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: the work file {work} is open in another program")


def test_db_path_comes_from_flag_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZFXXGK_DB", raising=False)
    assert resolve_db_path(None) == Path("warehouse/zfxxgk.duckdb")
    monkeypatch.setenv("ZFXXGK_DB", "/data/env.duckdb")
    assert resolve_db_path(None) == Path("/data/env.duckdb")
    assert resolve_db_path("cli.duckdb") == Path("cli.duckdb")


def test_big_files_make_smaller_chunks_and_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [10, 10, 30, 10, 10]
    tasks = []
    for i, size in enumerate(sizes):
        (tmp_path / f"r{i}.txt").write_bytes(b"x" * size)
        tasks.append(ingest.pipeline.ReadTask(str(tmp_path / f"r{i}.txt"), None, 1000))
    monkeypatch.setattr(ingest.pipeline, "CHUNK_BYTES", 35)
    monkeypatch.setattr(ingest.pipeline, "CHUNK_SIZE", 3)

    chunks = ingest.pipeline._plan_chunks(tasks, 1000)

    assert [[Path(t.source_path).name for t in chunk] for chunk in chunks] == [
        ["r0.txt", "r1.txt"],
        ["r2.txt"],
        ["r3.txt", "r4.txt"],
    ]


def test_batches_close_at_their_file_count_or_byte_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from ingest.chunk import ChunkResult

    def chunk(n_rows: int, text_chars: int) -> ChunkResult:
        return ChunkResult(loaded=pa.table({"text": ["x" * text_chars] * n_rows}))

    monkeypatch.setattr(ingest.pipeline, "BATCH_BYTES", 1000)
    chunks = [chunk(2, 10), chunk(2, 10), chunk(1, 2000), chunk(2, 10)]

    batches = list(ingest.pipeline._batches(iter(chunks), batch_size=4))

    assert [[c.size for c in batch] for batch in batches] == [[2, 2], [1], [2]]


def test_summary_describes_the_warehouse_or_says_how_to_make_one(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    none = tmp_path / "none.duckdb"
    assert main(["summary", "--db", str(none)]) == 2
    assert capsys.readouterr().err == f"error: no warehouse at {none}: run `zfxxgk run PATH... --db {none}` first\n"

    (tmp_path / "empty.txt").write_bytes(b"")
    quiet([SAMPLE_DIR, tmp_path / "empty.txt"], db_path)
    assert main(["summary", "--db", str(db_path)]) == 0

    assert capsys.readouterr().out == (
        f"warehouse {db_path.resolve()}:\n"
        "  reports                            5\n"
        "  source paths                       5\n"
        "  rejected files                     1\n"
        "    rejected as empty                      1\n"
    )


def test_two_files_that_swap_contents_swap_reports(tmp_path: Path, db_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(SEED_SENTENCE, encoding="utf-8")
    second.write_text(TRADITIONAL_SENTENCE, encoding="utf-8")
    quiet([tmp_path], db_path)
    before = dict(query(db_path, "select source_path, report_id from raw.report_sources"))

    first.write_text(TRADITIONAL_SENTENCE, encoding="utf-8")
    second.write_text(SEED_SENTENCE, encoding="utf-8")
    summary = quiet([tmp_path], db_path)

    assert (summary.counts.replaced, summary.counts.new) == (2, 0)
    after = dict(query(db_path, "select source_path, report_id from raw.report_sources"))
    assert after == {str(first): before[str(second)], str(second): before[str(first)]}
    reports = dict(query(db_path, "select report_id, source_path from raw.reports"))
    assert reports == {before[str(first)]: str(second), before[str(second)]: str(first)}


def test_workers_run_polars_on_one_thread_and_leave_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    monkeypatch.setattr(ingest.pipeline, "PARALLEL_MIN_FILES", 1)

    with ingest.pipeline._worker_pool(10, IngestSettings(workers=2)) as pool:
        assert pool is not None
        assert pool.submit(os.getenv, "POLARS_MAX_THREADS").result() == "1"

    assert "POLARS_MAX_THREADS" not in os.environ


def test_version_names_package_and_loader(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out == f"zfxxgk 0.1.0 (loader {ingest.LOADER_VERSION})\n"


# --- identity: the normalized text, whatever the format ------------------------------------------------------------

REPORT_LINES = [
    "某县2023年政府信息公开工作年度报告",
    "本报告根据《中华人民共和国政府信息公开条例》编制。",
    "全年主动公开政府信息1136条。",
]
REPORT_TEXT = "\n".join(REPORT_LINES) + "\n"


def html_page(script: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in REPORT_LINES[1:])
    return (
        f"<html><head><title>{REPORT_LINES[0]}</title><script>{script}</script></head>"
        f"<body><h1>{REPORT_LINES[0]}</h1>{paragraphs}</body></html>"
    )


def write_docx(path: Path, author: str) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = author  # other bytes, the same text
    for line in REPORT_LINES:
        document.add_paragraph(line)
    document.save(str(path))


def text_hash_ids(db_path: Path) -> list[tuple[str, str]]:
    """(report_id, first 16 hex of SHA-256 of the stored text) of every report."""
    import hashlib

    rows = query(db_path, "select report_id, text from raw.reports order by report_id")
    return [(rid, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]) for rid, text in rows]


def test_two_pages_that_differ_only_in_a_script_are_one_report(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text(html_page("var visits = 1;"), encoding="utf-8")
    (folder / "b.html").write_text(html_page("var visits = 2;"), encoding="utf-8")

    summary = quiet([folder], db_path)

    assert (summary.counts.new, summary.counts.duplicate, summary.counts.rejected) == (1, 1, 0)
    ((report_id, source_path, text),) = query(db_path, "select report_id, source_path, text from raw.reports")
    assert (source_path, text) == (str(folder / "a.html"), REPORT_TEXT)
    assert text_hash_ids(db_path) == [(report_id, report_id)]
    sources = query(db_path, "select source_path, report_id from raw.report_sources order by source_path")
    assert sources == [(str(folder / "a.html"), report_id), (str(folder / "b.html"), report_id)]


def test_two_docx_and_a_txt_with_the_same_text_are_one_report(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_docx(folder / "a.docx", "甲")
    write_docx(folder / "b.docx", "乙")
    (folder / "c.txt").write_text(REPORT_TEXT, encoding="utf-8")
    assert (folder / "a.docx").read_bytes() != (folder / "b.docx").read_bytes()

    summary = quiet([folder], db_path)

    assert (summary.counts.new, summary.counts.duplicate, summary.counts.rejected) == (1, 2, 0)
    ((report_id, text),) = query(db_path, "select report_id, text from raw.reports")
    assert text == REPORT_TEXT
    assert text_hash_ids(db_path) == [(report_id, report_id)]
    assert query(db_path, "select count(distinct report_id), count(*) from raw.report_sources") == [(1, 3)]


def test_a_warehouse_holding_byte_hash_ids_re_derives_them_on_the_next_run(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warehouse landed by loader 1.0.0 (an HTML or Office file's report_id from its bytes) reads those files
    again on the next run, though their bytes did not change: the pair becomes one report."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text(html_page("var visits = 1;"), encoding="utf-8")
    (folder / "b.html").write_text(html_page("var visits = 2;"), encoding="utf-8")
    with monkeypatch.context() as old_loader:
        old_loader.setattr(ingest.land, "LOADER_VERSION", "1.0.0")
        old_loader.setattr(ingest.chunk, "_report_ids", lambda loaded, *_: [f.file_hash[:16] for f in loaded])
        quiet([folder], db_path)
    assert query(db_path, "select count(*) from raw.reports") == [(2,)]

    summary = quiet([folder], db_path)

    assert (summary.counts.replaced, summary.counts.unchanged, summary.counts.new) == (2, 0, 0)
    ((report_id, loader_version),) = query(db_path, "select report_id, loader_version from raw.reports")
    assert loader_version == ingest.LOADER_VERSION != "1.0.0"
    assert text_hash_ids(db_path) == [(report_id, report_id)]
    assert query(db_path, "select distinct report_id from raw.report_sources") == [(report_id,)]
