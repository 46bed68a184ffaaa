"""Normalized text: line ends, invisible characters, full-width folding, traditional to simplified."""

from __future__ import annotations

import polars as pl
import pytest

from ingest.normalize import normalize_texts


def normalize(raw: str) -> tuple[str, str]:
    row = normalize_texts(pl.Series([raw])).row(0)
    return row[0], row[1]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("全年主动公开信息１２３条（其中：网站２０条），ＯＫ！", "全年主动公开信息123条(其中:网站20条),OK!"),
        ("标\u3000题:年度报告", "标 题:年度报告"),
        ("、。《条例》“公开”【附表】", "、。《条例》“公开”【附表】"),
        ("一行\r\n二行\r三行\n四行", "一行\n二行\n三行\n四行"),
        ("第一页\f第二页\v完\u2028结", "第一页\n第二页\n完\n结"),
        ("政\u200b府\ufeff信\u200d息\x07公\x1b开\u00ad", "政府信息公开"),
        ("列1\t列2\t列3", "列1\t列2\t列3"),
    ],
    ids=["full-width", "ideographic-space", "chinese-punctuation", "line-ends", "page-breaks", "invisible", "tabs"],
)
def test_normalization(raw: str, text: str) -> None:
    assert normalize(raw)[0] == text


def test_traditional_text_is_converted_to_simplified() -> None:
    assert normalize("本報告根據《中華人民共和國政府信息公開條例》編制。") == (
        "本报告根据《中华人民共和国政府信息公开条例》编制。",
        "traditional",
    )


def test_simplified_text_is_left_as_it_is() -> None:
    assert normalize("本报告根据《中华人民共和国政府信息公开条例》编制。") == (
        "本报告根据《中华人民共和国政府信息公开条例》编制。",
        "simplified",
    )


def test_a_few_traditional_characters_make_a_mixed_text_that_is_converted() -> None:
    raw = "本报告根据条例编制,全年主动公开政府信息四千条,收到申请九十七件,办结率百分之百。" * 2 + "詳見附表。"

    assert normalize(raw) == (raw.replace("詳見", "详见"), "mixed")


def test_text_without_han_characters_has_no_script() -> None:
    assert normalize("2018 annual report, 4934 items") == ("2018 annual report, 4934 items", "none")


def test_a_batch_keeps_its_row_order() -> None:
    frame = normalize_texts(pl.Series(["甲１", "本報告", "乙２"]))

    assert frame.to_dicts() == [
        {"text": "甲1", "script": "simplified"},
        {"text": "本报告", "script": "traditional"},
        {"text": "乙2", "script": "simplified"},
    ]
