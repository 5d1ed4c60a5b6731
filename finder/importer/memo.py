"""Answers of cell checks remembered for one file. A directory repeats the same cells (care
levels, payments, sliding schedules, ZIP codes with their states) thousands of times, and
checking each one again costs more than looking its answer up. Only answers given without a
problem are remembered: a cell with a problem is checked again on every row it is on, so
every row still gets its own messages."""

from collections.abc import Callable
from typing import Any

from .records import Row

# Answers kept per file, at most: some 7 MB, whatever the file's size (the cells that repeat
# most are met, and kept, early).
MAX_ANSWERS = 20_000
_MISSING = object()


class Memo:
    """check(row, column, *more) for a check whose answer and problems depend on nothing but
    the cell's text and `more` (hashable): the remembered answer when there is one."""

    def __init__(self):
        self._answers: dict[tuple, Any] = {}

    def check(self, check: Callable[..., Any], row: Row, column: str, *more) -> Any:
        # The cell as the file has it: two spellings of one answer are two entries, no harm.
        key = (check, column, row.cells.get(column), *more)
        answer = self._answers.get(key, _MISSING)
        if answer is not _MISSING:
            return answer
        problems = len(row.problems)
        answer = check(row, column, *more)
        if len(row.problems) == problems and len(self._answers) < MAX_ANSWERS:
            self._answers[key] = answer
        return answer
