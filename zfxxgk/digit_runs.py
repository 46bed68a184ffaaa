"""Split runs of digits whose table cells ran together (`513001055` = 51, 3, 0, 0, 1, 0, 55) with arithmetic rules.

A table row whose cells lost their separators arrives as one run of digits and the number of cells it must fill.
A run with one digit per cell has one split. Any other run is split in every way that keeps each number free of
leading zeros; the rules of the indicator contract (parts add up to their total, the seven applicant columns add up,
一 + 二 = 七 + 四 in every column) then decide. Rules local to a row prune while the row is enumerated (a total
cell must spell the sum of its parts), rules across rows are checked by a backtracking search over the runs of
one table, and a run gets a value only when exactly one split survives every rule.

Each cell has a kind (CellSpec): a count (digits only), a 本年增/减 change (may carry a sign: a `-` or `+` in the run
starts such a cell) or an amount (may carry decimals: a `.` lies inside such a cell), and the plausible range of its
code (seed indicator_bounds) caps its digits. A space left inside a run (`150 000015`) is a cell boundary. Runs that
stay ambiguous in a format_2019 table 二 may be settled by the same issuer's report of the year before or after
(settle_across_years: this year's 上一年项目数量 + 本年增/减 is next year's 上一年项目数量).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

Key = tuple[str, str]  # (indicator_code, applicant_type)
Number = int | Decimal

MAX_CELL_DIGITS = 9
MAX_ROW_CANDIDATES = 20_000
MAX_SOLUTIONS = 2_000


@dataclass(frozen=True)
class SumRule:
    """parent = sum(children) when every part is known; the known parts never exceed the parent otherwise."""

    parent: Key
    children: tuple[Key, ...]


@dataclass(frozen=True)
class BalanceRule:
    """sum(left) = sum(right) when all four are known (一 + 二 = 七 + 四)."""

    left: tuple[Key, ...]
    right: tuple[Key, ...]


@dataclass(frozen=True)
class StatedValue:
    """A total the prose states (全年共收到政府信息公开申请55件): the cell equals it when the cell is known."""

    key: Key
    value: int


@dataclass(frozen=True)
class AtLeast:
    """sum(keys) >= minimum when all are known (上一年项目数量 + 本年增/减 >= 0)."""

    keys: tuple[Key, ...]
    minimum: int = 0


Rule = SumRule | BalanceRule | StatedValue | AtLeast

CELL_KINDS = ("count", "change", "amount")


@dataclass(frozen=True)
class CellSpec:
    """What a cell may hold: its kind (count, change or amount) and the plausible range of its code."""

    kind: str = "count"
    minimum: Number = 0
    maximum: Number = 10**MAX_CELL_DIGITS - 1


COUNT = CellSpec()


@dataclass(frozen=True)
class RunRow:
    """One table row whose cells ran together: `run` is its digits, `cells` the keys its cells hold, in order."""

    row_id: str
    run: str
    cells: tuple[Key, ...]


@dataclass
class RowSplit:
    """The outcome for one run: the values when decided, and why."""

    row_id: str
    status: str  # one_digit_per_cell, unique_split, unique_across_years, ambiguous, no_valid_split, too_many_splits
    values: tuple[Number, ...] | None
    candidates: list[tuple[Number, ...]] = field(default_factory=list)
    broken_rules: list[str] = field(default_factory=list)
    settled_by: str | None = None  # the report of the year before or after that left one split


def rule_keys(rule: Rule) -> tuple[Key, ...]:
    if isinstance(rule, SumRule):
        return (rule.parent, *rule.children)
    if isinstance(rule, StatedValue):
        return (rule.key,)
    if isinstance(rule, AtLeast):
        return rule.keys
    return (*rule.left, *rule.right)


@cache
def rule_key_set(rule: Rule) -> frozenset[Key]:
    """The keys of a rule as a set (rules are frozen, so each is built once per process)."""
    return frozenset(rule_keys(rule))


@cache
def _children_set(rule: SumRule) -> frozenset[Key]:
    return frozenset(rule.children)


def describe(rule: Rule) -> str:
    if isinstance(rule, SumRule):
        parts = " + ".join(f"{code}[{kind}]" for code, kind in rule.children)
        return f"{rule.parent[0]}[{rule.parent[1]}] = {parts}"
    if isinstance(rule, StatedValue):
        return f"{rule.key[0]}[{rule.key[1]}] = {rule.value} (stated in the text)"
    if isinstance(rule, AtLeast):
        return " + ".join(f"{code}[{kind}]" for code, kind in rule.keys) + f" >= {rule.minimum}"
    left = " + ".join(f"{code}[{kind}]" for code, kind in rule.left)
    right = " + ".join(f"{code}[{kind}]" for code, kind in rule.right)
    return f"{left} = {right}"


def with_derived(values: Mapping[Key, Number | None], rules: Sequence[Rule]) -> dict[Key, Number | None]:
    """Fill a parent that no cell gives from its complete parts (format_2021's （六）其他处理 is its sub-rows' sum)."""
    filled = dict(values)
    for _ in range(2):
        for rule in rules:
            if isinstance(rule, SumRule) and filled.get(rule.parent) is None and rule.parent not in values:
                parts = [filled.get(child) for child in rule.children]
                if parts and all(part is not None for part in parts):
                    filled[rule.parent] = sum(parts)  # type: ignore[arg-type]
    return filled


def rule_holds(rule: Rule, values: Mapping[Key, Number | None]) -> bool:
    """True when the rule holds or cannot be checked (a blank cell); a sum with blank parts only bounds them."""
    if isinstance(rule, SumRule):
        parent = values.get(rule.parent)
        parts = [values.get(child) for child in rule.children]
        known = [part for part in parts if part is not None]
        if parent is None or not known:
            return True
        if len(known) == len(parts):
            return sum(known) == parent
        return sum(known) <= parent
    if isinstance(rule, StatedValue):
        return values.get(rule.key) is None or values.get(rule.key) == rule.value
    if isinstance(rule, AtLeast):
        known = [values.get(key) for key in rule.keys]
        return any(value is None for value in known) or sum(known) >= rule.minimum  # type: ignore[arg-type]
    sides = [[values.get(key) for key in side] for side in (rule.left, rule.right)]
    if any(value is None for side in sides for value in side):
        return True
    return sum(sides[0]) == sum(sides[1])  # type: ignore[arg-type]


def row_local_sums(cells: Sequence[Key], rules: Iterable[Rule]) -> dict[int, tuple[int, ...]]:
    """Cells of a row that must spell the sum of earlier cells of the same row: position -> positions summed."""
    position = {key: index for index, key in enumerate(cells)}
    derived: dict[int, tuple[int, ...]] = {}
    for rule in rules:
        if not isinstance(rule, SumRule) or rule.parent not in position:
            continue
        if all(child in position and position[child] < position[rule.parent] for child in rule.children):
            derived[position[rule.parent]] = tuple(position[child] for child in rule.children)
    return derived


def _digits_after(run: str) -> list[int]:
    """Number of digits from each offset to the end of the run."""
    counts = [0] * (len(run) + 1)
    for offset in range(len(run) - 1, -1, -1):
        counts[offset] = counts[offset + 1] + run[offset].isdigit()
    return counts


def _skip_spaces(run: str, offset: int) -> int:
    while offset < len(run) and run[offset] == " ":
        offset += 1
    return offset


def _in_range(value: Number, spec: CellSpec) -> bool:
    return spec.minimum <= value <= spec.maximum


def cell_readings(run: str, offset: int, spec: CellSpec) -> list[tuple[Number, int]]:
    """The numbers a cell of this kind can read from `run` at `offset`, with the offset just past each.

    No leading zeros; a sign only in a change cell (and never before 0); a decimal point only inside an amount;
    the cell ends where a digit, a space, a sign or the end of the run follows, never before a decimal point."""
    sign = ""
    if run[offset] in "+-":
        if spec.kind != "change":
            return []
        sign, offset = run[offset], offset + 1
    digits_end = offset
    while digits_end < len(run) and run[digits_end].isdigit():
        digits_end += 1
    limit = max(abs(spec.minimum), abs(spec.maximum))
    readings: list[tuple[Number, int]] = []
    for end in range(offset + 1, digits_end + 1):
        whole = run[offset:end]
        if len(whole) > 1 and whole[0] == "0":
            break
        if int(whole) > limit:
            break
        texts = [(whole, end)]
        if spec.kind == "amount" and end == digits_end and run[end : end + 1] == ".":
            fraction_end = end + 1
            while fraction_end < len(run) and run[fraction_end].isdigit():
                fraction_end += 1
            texts = [(run[offset:stop], stop) for stop in range(end + 2, fraction_end + 1)]
        for text, stop in texts:
            if run[stop : stop + 1] == ".":
                continue
            value: Number = Decimal(text) if "." in text else int(text)
            if sign and value == 0:
                continue
            if sign == "-":
                value = -value
            if _in_range(value, spec):
                readings.append((value, stop))
    return readings


def enumerate_splits(
    run: str,
    cell_count: int,
    derived: Mapping[int, Sequence[int]],
    specs: Sequence[CellSpec] | None = None,
) -> list[tuple[Number, ...]] | None:
    """Every split of `run` into `cell_count` numbers that each cell's kind and range allow (no leading zeros, a
    space inside the run is a boundary) in which each derived cell spells the sum of its parts; None when there
    are more than MAX_ROW_CANDIDATES."""
    run = run.strip()
    cell_specs = list(specs) if specs is not None else [COUNT] * cell_count
    digits_after = _digits_after(run)
    results: list[tuple[Number, ...]] = []
    values: list[Number] = []
    # the readings of a cell depend only on where it starts and on its kind: the search asks for them again and again
    readings_at: dict[tuple[int, CellSpec], list[tuple[Number, int]]] = {}

    def readings_of(offset: int, spec: CellSpec) -> list[tuple[Number, int]]:
        key = (offset, spec)
        if key not in readings_at:
            readings_at[key] = cell_readings(run, offset, spec)
        return readings_at[key]

    def extend(offset: int) -> bool:
        cell = len(values)
        remaining_cells = cell_count - cell
        if remaining_cells == 0:
            if offset == len(run):
                results.append(tuple(values))
            return len(results) <= MAX_ROW_CANDIDATES
        if digits_after[offset] < remaining_cells:
            return True
        spec = cell_specs[cell]
        if cell in derived:
            spelled = str(sum(values[part] for part in derived[cell]))
            stop = offset + len(spelled)
            readings = [
                (value, end) for value, end in readings_of(offset, spec) if end == stop and str(value) == spelled
            ]
        else:
            readings = readings_of(offset, spec)
        for value, end in readings:
            values.append(value)
            carry_on = extend(_skip_spaces(run, end))
            values.pop()
            if not carry_on:
                return False
        return True

    if not extend(0):
        return None
    return results


def split_table(
    runs: Sequence[RunRow],
    known: Mapping[Key, Number | None],
    rules: Sequence[Rule],
    specs: Mapping[str, CellSpec] | None = None,
) -> list[RowSplit]:
    """Split the runs of one table of one report; `known` holds the table's other cells (None for a blank cell),
    `specs` the kind and range of the cells of each code (a count of 0 to 999,999,999 when not given)."""
    specs = specs or {}
    # Only the rules that touch this table (its cells, or a parent its cells add up to) are worth checking.
    table_keys = set(known) | {key for row in runs for key in row.cells}
    for _ in range(2):
        table_keys |= {
            rule.parent
            for rule in rules
            if isinstance(rule, SumRule) and not table_keys.isdisjoint(_children_set(rule))
        }
    rules = [rule for rule in rules if not table_keys.isdisjoint(rule_key_set(rule))]
    outcomes: dict[str, RowSplit] = {}
    fixed: dict[Key, Number | None] = dict(known)
    variables: list[tuple[RunRow, list[tuple[Number, ...]]]] = []
    for row in runs:
        digits = row.run.replace(" ", "")
        if digits.isdigit() and len(digits) == len(row.cells):
            values = tuple(int(digit) for digit in digits)
            fixed.update(zip(row.cells, values, strict=True))
            outcomes[row.row_id] = RowSplit(row.row_id, "one_digit_per_cell", values, [values])
            continue
        cell_specs = [specs.get(code, COUNT) for code, _ in row.cells]
        splits = enumerate_splits(row.run, len(row.cells), row_local_sums(row.cells, rules), cell_specs)
        if splits is None:
            outcomes[row.row_id] = RowSplit(row.row_id, "too_many_splits", None)
        elif not splits:
            outcomes[row.row_id] = RowSplit(row.row_id, "no_valid_split", None)
        else:
            variables.append((row, splits))
    # A run with one digit per cell is taken even when its own row breaks a rule; the breakage is recorded.
    checked_values = with_derived(fixed, rules)
    # the rules within one row, found through their first key (in the order of `rules`)
    row_rules: dict[Key | None, list[tuple[int, Rule]]] = {}
    for position, rule in enumerate(rules):
        if not isinstance(rule, StatedValue):
            keys = rule_keys(rule)
            row_rules.setdefault(keys[0] if keys else None, []).append((position, rule))
    for row in runs:
        outcome = outcomes.get(row.row_id)
        if outcome is not None and outcome.status == "one_digit_per_cell":
            cells = set(row.cells)
            outcome.broken_rules = [
                describe(rule)
                for _, rule in sorted(item for key in (*cells, None) for item in row_rules.get(key, ()))
                if rule_key_set(rule) <= cells and not rule_holds(rule, checked_values)
            ]
    for component in independent_runs(variables, fixed, rules):
        _search(component, fixed, rules, outcomes)
    return [outcomes[row.row_id] for row in runs]


def independent_runs(
    variables: list[tuple[RunRow, list[tuple[Number, ...]]]],
    fixed: Mapping[Key, Number | None],
    rules: Sequence[Rule],
) -> list[list[tuple[RunRow, list[tuple[Number, ...]]]]]:
    """The runs in groups no rule links (through cells not printed): each group is searched on its own, so rows
    without a rule between them (table 二) do not multiply their splits."""
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row, _ in variables:
        for key in row.cells[1:]:
            parent[find(key)] = find(row.cells[0])
    for rule in rules:
        open_keys = [key for key in rule_keys(rule) if key not in fixed]
        for key in open_keys[1:]:
            parent[find(key)] = find(open_keys[0])
    groups: dict[Key, list[tuple[RunRow, list[tuple[Number, ...]]]]] = {}
    for variable in variables:
        groups.setdefault(find(variable[0].cells[0]), []).append(variable)
    return list(groups.values())


def _search(
    variables: list[tuple[RunRow, list[tuple[Number, ...]]]],
    fixed: dict[Key, Number | None],
    rules: Sequence[Rule],
    outcomes: dict[str, RowSplit],
) -> None:
    """Backtrack over the candidate splits of the runs, checking each rule once its last run is placed."""
    variables = sorted(variables, key=lambda item: len(item[1]))
    owner = {key: index for index, (row, _) in enumerate(variables) for key in row.cells}
    # Rules touching a run, checked when the latest of their runs is placed. A parent that no cell gives but
    # whose parts do (format_2021's （六）其他处理) belongs to the runs of its parts.
    derived_owner: dict[Key, int] = {}
    for rule in rules:
        if isinstance(rule, SumRule) and rule.parent not in fixed and rule.parent not in owner:
            part_owners = [owner[child] for child in rule.children if child in owner]
            if part_owners:
                derived_owner[rule.parent] = max(part_owners)
    derivable = [rule for rule in rules if isinstance(rule, SumRule) and rule.parent in derived_owner]
    checks: dict[int, list[Rule]] = {}
    for rule in rules:
        indexes = [owner.get(key, derived_owner.get(key)) for key in rule_keys(rule)]
        placed = [index for index in indexes if index is not None]
        if placed:
            checks.setdefault(max(placed), []).append(rule)
    solutions: list[tuple[tuple[Number, ...], ...]] = []
    chosen: list[tuple[Number, ...]] = []
    values: dict[Key, Number | None] = dict(fixed)

    def place(index: int) -> bool:
        if index == len(variables):
            solutions.append(tuple(chosen))
            return len(solutions) <= MAX_SOLUTIONS
        row, splits = variables[index]
        for split in splits:
            values.update(zip(row.cells, split, strict=True))
            current = with_derived(values, derivable) if derivable and index in checks else values
            if all(rule_holds(rule, current) for rule in checks.get(index, [])):
                chosen.append(split)
                carry_on = place(index + 1)
                chosen.pop()
                if not carry_on:
                    return False
        for key in row.cells:
            values.pop(key, None)
        return True

    finished = place(0)
    for index, (row, splits) in enumerate(variables):
        surviving = sorted({solution[index] for solution in solutions})
        if not finished:
            outcomes[row.row_id] = RowSplit(row.row_id, "too_many_splits", None, surviving)
        elif not surviving:
            outcomes[row.row_id] = RowSplit(row.row_id, "no_valid_split", None, splits[:20])
        elif len(surviving) == 1:
            outcomes[row.row_id] = RowSplit(row.row_id, "unique_split", surviving[0], surviving)
        else:
            outcomes[row.row_id] = RowSplit(row.row_id, "ambiguous", None, surviving)


BALANCE_LEFT = ("applications_received", "applications_carried_over_in")
BALANCE_RIGHT = ("outcome_total", "applications_carried_over_out")


def contract_rules(
    indicators: Iterable[Mapping[str, str]], applicant_columns: Mapping[str, Sequence[str]]
) -> list[Rule]:
    """The rules of the indicator contract (FORMATS.md) as SumRule/BalanceRule over (code, applicant_type) keys.

    `indicators` are rows of seeds/contract/indicators.csv; `applicant_columns` maps each code that table 三 splits by
    applicant to its applicant types, the last being the total. Sum rules hold for every applicant type; table 三
    adds the applicant columns of each row and 一 + 二 = 七 + 四 in each column.
    """
    children: dict[str, list[str]] = {}
    for indicator in indicators:
        if indicator.get("parent_code") and indicator.get("rule") == "sum":
            children.setdefault(indicator["parent_code"], []).append(indicator["code"])
    applicant_types = sorted({kind for kinds in applicant_columns.values() for kind in kinds})
    rules: list[Rule] = []
    for parent, codes in children.items():
        kinds = applicant_types if parent in applicant_columns else ["total"]
        for kind in kinds:
            rules.append(SumRule((parent, kind), tuple((code, kind) for code in codes)))
    for code, kinds in applicant_columns.items():
        *parts, total = kinds
        rules.append(SumRule((code, total), tuple((code, kind) for kind in parts)))
    if all(code in applicant_columns for code in (*BALANCE_LEFT, *BALANCE_RIGHT)):
        for kind in applicant_types:
            rules.append(
                BalanceRule(tuple((code, kind) for code in BALANCE_LEFT), tuple((code, kind) for code in BALANCE_RIGHT))
            )
    return rules


@dataclass(frozen=True)
class YearLink:
    """上一年项目数量 + 本年增/减 of year t is 上一年项目数量 of year t + 1 (the same issuer's next report)."""

    items: Key
    change: Key


@dataclass
class ReportSplits:
    """One report's runs, their outcomes and its printed cells (None for a blank cell)."""

    runs: Sequence[RunRow]
    outcomes: Sequence[RowSplit]
    known: Mapping[Key, Number | None]
    report_id: str = ""


SETTLED = ("one_digit_per_cell", "unique_split", "unique_across_years")


def item_change_rules(links: Iterable[YearLink]) -> list[Rule]:
    """上一年项目数量 + 本年增/减 >= 0: the items left at the end of the year are never fewer than none."""
    return [AtLeast((link.items, link.change)) for link in links]


def cell_specs(kinds: Mapping[str, str], bounds: Mapping[str, tuple[Number, Number]]) -> dict[str, CellSpec]:
    """The kind (seed run_cell_kinds; count when not listed) and range (seed indicator_bounds) of each code."""
    codes = set(kinds) | set(bounds)
    specs = {}
    for code in codes:
        minimum, maximum = bounds.get(code, (COUNT.minimum, COUNT.maximum))
        specs[code] = CellSpec(kinds.get(code, "count"), minimum, maximum)
    return specs


def _options(report: ReportSplits, keys: Sequence[Key]) -> set[tuple[Number, ...]] | None:
    """The values `keys` may take together in a report: printed cells, or the surviving splits of the one run that
    holds them all; None when the report does not settle them to a set (blank, missing, split over rows, no split)."""
    if all(report.known.get(key) is not None for key in keys):
        return {tuple(report.known[key] for key in keys)}  # type: ignore[misc]
    for row, outcome in zip(report.runs, report.outcomes, strict=True):
        if not set(keys) <= set(row.cells):
            continue
        if outcome.status not in (*SETTLED, "ambiguous") or not outcome.candidates:
            return None
        positions = [row.cells.index(key) for key in keys]
        return {tuple(candidate[position] for position in positions) for candidate in outcome.candidates}
    return None


def settle_across_years(earlier: ReportSplits, later: ReportSplits, links: Sequence[YearLink]) -> None:
    """Narrow the ambiguous runs of two consecutive reports of one issuer by the links: a split of year t survives
    when some reading of year t + 1 opens with its 上一年项目数量 + 本年增/减, a split of year t + 1 when some
    reading of year t closes with its 上一年项目数量. A run left with one split is settled (unique_across_years);
    one left with none keeps its own splits (the two reports disagree, and neither is preferred)."""
    closing: dict[YearLink, set[Number]] = {}
    opening: dict[YearLink, set[Number]] = {}
    for link in links:
        closed = _options(earlier, (link.items, link.change))
        opened = _options(later, (link.items,))
        if closed is not None:
            closing[link] = {items + change for items, change in closed}
        if opened is not None:
            opening[link] = {items for (items,) in opened}
    for report, allowed, closes, other in ((earlier, opening, True, later), (later, closing, False, earlier)):
        for row, outcome in zip(report.runs, report.outcomes, strict=True):
            if outcome.status != "ambiguous":
                continue
            checks = [
                (row.cells.index(link.items), row.cells.index(link.change) if closes else None, values)
                for link, values in allowed.items()
                if link.items in row.cells and (not closes or link.change in row.cells)
            ]
            if not checks:
                continue
            kept = [
                candidate
                for candidate in outcome.candidates
                if all(
                    candidate[items] + (candidate[change] if change is not None else 0) in values
                    for items, change, values in checks
                )
            ]
            if len(kept) == 1:
                outcome.status, outcome.values, outcome.candidates = "unique_across_years", kept[0], kept
                outcome.settled_by = other.report_id
            elif kept:
                outcome.candidates = kept
