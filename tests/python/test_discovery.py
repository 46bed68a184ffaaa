"""Finding files: recursion, order, repeats, hidden files, symlink loops, dangling links, missing paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.discover import PathNotFoundError, discover_files


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    return path


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    b = touch(tmp_path / "b.txt")
    a = touch(tmp_path / "sub" / "deeper" / "a.txt")
    c = touch(tmp_path / "sub" / "c.md")

    assert discover_files([tmp_path]) == [b, c, a]


def test_files_given_directly_or_twice_appear_once(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.txt")

    assert discover_files([a, tmp_path, a]) == [a]


def test_hidden_entries_inside_folders_are_skipped(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.txt")
    touch(tmp_path / ".hidden.txt")
    touch(tmp_path / ".git" / "objects.txt")

    assert discover_files([tmp_path]) == [a]


def test_a_symlink_loop_ends_and_each_file_is_listed_once(tmp_path: Path) -> None:
    a = touch(tmp_path / "corpus" / "a.txt")
    os.symlink(tmp_path / "corpus", tmp_path / "corpus" / "loop")

    assert discover_files([tmp_path / "corpus"]) == [a]


def test_a_dangling_symlink_is_listed_so_that_reading_records_it(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")

    assert discover_files([tmp_path]) == [a, tmp_path / "link.txt"]


def test_symlinks_that_loop_are_listed_so_that_reading_records_them(tmp_path: Path) -> None:
    a = touch(tmp_path / "a.txt")
    os.symlink("loop", tmp_path / "loop")  # ln -s loop loop
    os.symlink("two", tmp_path / "one")
    os.symlink("one", tmp_path / "two")

    assert discover_files([tmp_path]) == [a, tmp_path / "loop", tmp_path / "one", tmp_path / "two"]
    assert discover_files([tmp_path / "loop"]) == [tmp_path / "loop"]


def test_a_dangling_symlink_named_directly_is_listed_too(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")

    assert discover_files([tmp_path / "link.txt"]) == [tmp_path / "link.txt"]


def test_a_symlink_to_a_folder_above_ends_the_walk_there(tmp_path: Path) -> None:
    a = touch(tmp_path / "corpus" / "deep" / "a.txt")
    os.symlink("../..", tmp_path / "corpus" / "deep" / "up")
    os.symlink("deep", tmp_path / "corpus" / "same")

    assert discover_files([tmp_path / "corpus"]) == [a]


def test_a_missing_path_is_an_error_that_names_it(tmp_path: Path) -> None:
    with pytest.raises(PathNotFoundError, match="nowhere: no such file or folder"):
        discover_files([tmp_path / "nowhere"])
