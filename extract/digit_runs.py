"""Split runs of digits whose table cells ran together (`513001055` = 51, 3, 0, 0, 1, 0, 55) with arithmetic rules.

A table row whose cells lost their separators arrives as one run of digits and the number of cells it must fill.
A run with one digit per cell has one split. Any other run is split in every way that keeps each number free of
leading zeros; the rules of the indicator contract (parts add up to their total, the seven applicant columns add up,
一 + 二 = 七 + 四 in every column) then decide. Rules local to a row prune while the row is enumerated (a total
cell must spell the sum of its parts), rules across rows are checked by a backtracking search over the runs of
one table, and a run gets a value only when exactly one split survives every rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Key = tuple[str, str]  # (indicator_code, applicant_type)

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


Rule = SumRule | BalanceRule | StatedValue


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
    status: str  # one_digit_per_cell | unique_split | ambiguous | no_valid_split | too_many_splits
    values: tuple[int, ...] | None
    candidates: list[tuple[int, ...]] = field(default_factory=list)
    broken_rules: list[str] = field(default_factory=list)


def rule_keys(rule: Rule) -> tuple[Key, ...]:
    if isinstance(rule, SumRule):
        return (rule.parent, *rule.children)
    if isinstance(rule, StatedValue):
        return (rule.key,)
    return (*rule.left, *rule.right)


def describe(rule: Rule) -> str:
    if isinstance(rule, SumRule):
        parts = " + ".join(f"{code}[{kind}]" for code, kind in rule.children)
        return f"{rule.parent[0]}[{rule.parent[1]}] = {parts}"
    if isinstance(rule, StatedValue):
        return f"{rule.key[0]}[{rule.key[1]}] = {rule.value} (stated in the text)"
    left = " + ".join(f"{code}[{kind}]" for code, kind in rule.left)
    right = " + ".join(f"{code}[{kind}]" for code, kind in rule.right)
    return f"{left} = {right}"


def with_derived(values: Mapping[Key, int | None], rules: Sequence[Rule]) -> dict[Key, int | None]:
    """Fill a parent that no cell gives from its complete parts (format_2021's （六）其他处理 is its sub-rows' sum)."""
    filled = dict(values)
    for _ in range(2):
        for rule in rules:
            if isinstance(rule, SumRule) and filled.get(rule.parent) is None and rule.parent not in values:
                parts = [filled.get(child) for child in rule.children]
                if parts and all(part is not None for part in parts):
                    filled[rule.parent] = sum(parts)  # type: ignore[arg-type]
    return filled


def rule_holds(rule: Rule, values: Mapping[Key, int | None]) -> bool:
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


def enumerate_splits(run: str, cell_count: int, derived: Mapping[int, Sequence[int]]) -> list[tuple[int, ...]] | None:
    """Every split of `run` into `cell_count` numbers without leading zeros in which each derived cell spells the
    sum of its parts; None when there are more than MAX_ROW_CANDIDATES."""
    results: list[tuple[int, ...]] = []
    values: list[int] = []

    def extend(offset: int) -> bool:
        cell = len(values)
        remaining_cells = cell_count - cell
        if remaining_cells == 0:
            if offset == len(run):
                results.append(tuple(values))
            return len(results) <= MAX_ROW_CANDIDATES
        remaining_digits = len(run) - offset
        if remaining_digits < remaining_cells:
            return True
        if cell in derived:
            spelled = str(sum(values[part] for part in derived[cell]))
            if run.startswith(spelled, offset):
                values.append(int(spelled))
                carry_on = extend(offset + len(spelled))
                values.pop()
                return carry_on
            return True
        longest = min(MAX_CELL_DIGITS, remaining_digits - (remaining_cells - 1))
        for width in range(1, longest + 1):
            digits = run[offset : offset + width]
            if width > 1 and digits[0] == "0":
                break
            values.append(int(digits))
            carry_on = extend(offset + width)
            values.pop()
            if not carry_on:
                return False
        return True

    if not extend(0):
        return None
    return results


def split_table(runs: Sequence[RunRow], known: Mapping[Key, int | None], rules: Sequence[Rule]) -> list[RowSplit]:
    """Split the runs of one table of one report; `known` holds the table's other cells (None for a blank cell)."""
    # Only the rules that touch this table (its cells, or a parent its cells add up to) are worth checking.
    table_keys = set(known) | {key for row in runs for key in row.cells}
    for _ in range(2):
        table_keys |= {rule.parent for rule in rules if isinstance(rule, SumRule) and table_keys & set(rule.children)}
    rules = [rule for rule in rules if table_keys & set(rule_keys(rule))]
    outcomes: dict[str, RowSplit] = {}
    fixed: dict[Key, int | None] = dict(known)
    variables: list[tuple[RunRow, list[tuple[int, ...]]]] = []
    for row in runs:
        if len(row.run) == len(row.cells):
            values = tuple(int(digit) for digit in row.run)
            fixed.update(zip(row.cells, values, strict=True))
            outcomes[row.row_id] = RowSplit(row.row_id, "one_digit_per_cell", values, [values])
            continue
        splits = enumerate_splits(row.run, len(row.cells), row_local_sums(row.cells, rules))
        if splits is None:
            outcomes[row.row_id] = RowSplit(row.row_id, "too_many_splits", None)
        elif not splits:
            outcomes[row.row_id] = RowSplit(row.row_id, "no_valid_split", None)
        else:
            variables.append((row, splits))
    # A run with one digit per cell is taken even when its own row breaks a rule; the breakage is recorded.
    checked_values = with_derived(fixed, rules)
    row_rules = [rule for rule in rules if not isinstance(rule, StatedValue)]
    for row in runs:
        outcome = outcomes.get(row.row_id)
        if outcome is not None and outcome.status == "one_digit_per_cell":
            cells = set(row.cells)
            outcome.broken_rules = [
                describe(rule)
                for rule in row_rules
                if set(rule_keys(rule)) <= cells and not rule_holds(rule, checked_values)
            ]
    if variables:
        _search(variables, fixed, rules, outcomes)
    return [outcomes[row.row_id] for row in runs]


def _search(
    variables: list[tuple[RunRow, list[tuple[int, ...]]]],
    fixed: dict[Key, int | None],
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
    solutions: list[tuple[tuple[int, ...], ...]] = []
    chosen: list[tuple[int, ...]] = []
    values: dict[Key, int | None] = dict(fixed)

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

    `indicators` are rows of seeds/indicators.csv; `applicant_columns` maps each code that table 三 splits by
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
