"""Go 1.19's ``sort.Sort`` (pattern-defeating quicksort), which amtool uses for its tables.

``sort.Sort`` is not stable: rows with equal sort keys (alerts from one rule evaluation share
``startsAt``; silences created together share ``endsAt``) come out in an order fixed by the
algorithm's exact comparisons and swaps. Python's stable sort would order them differently
once there are more than 12 rows, so the same algorithm, deterministic seed included, is here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MASK = (1 << 64) - 1


class _Data:
    __slots__ = ("items", "less_fn")

    def __init__(self, items: list[Any], less: Callable[[Any, Any], bool]) -> None:
        self.items = items
        self.less_fn = less

    def less(self, i: int, j: int) -> bool:
        return bool(self.less_fn(self.items[i], self.items[j]))

    def swap(self, i: int, j: int) -> None:
        self.items[i], self.items[j] = self.items[j], self.items[i]


def go_sort(items: list[Any], less: Callable[[Any, Any], bool]) -> None:
    """Sort `items` in place exactly as Go 1.19 ``sort.Sort`` would with this Less."""
    n = len(items)
    if n > 1:
        _pdqsort(_Data(items, less), 0, n, n.bit_length())


def _insertion(d: _Data, a: int, b: int) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and d.less(j, j - 1):
            d.swap(j, j - 1)
            j -= 1


def _sift_down(d: _Data, lo: int, hi: int, first: int) -> None:
    root = lo
    while True:
        child = 2 * root + 1
        if child >= hi:
            return
        if child + 1 < hi and d.less(first + child, first + child + 1):
            child += 1
        if not d.less(first + root, first + child):
            return
        d.swap(first + root, first + child)
        root = child


def _heap_sort(d: _Data, a: int, b: int) -> None:
    hi = b - a
    for i in range((hi - 1) // 2, -1, -1):
        _sift_down(d, i, hi, a)
    for i in range(hi - 1, -1, -1):
        d.swap(a, a + i)
        _sift_down(d, 0, i, a)


def _pdqsort(d: _Data, a: int, b: int, limit: int) -> None:
    balanced, partitioned = True, True
    while True:
        length = b - a
        if length <= 12:
            _insertion(d, a, b)
            return
        if limit == 0:
            _heap_sort(d, a, b)
            return
        if not balanced:
            _break_patterns(d, a, b)
            limit -= 1
        pivot, hint = _choose_pivot(d, a, b)
        if hint == "decreasing":
            _reverse(d, a, b)
            pivot = (b - 1) - (pivot - a)
            hint = "increasing"
        if balanced and partitioned and hint == "increasing" and _partial_insertion(d, a, b):
            return
        if a > 0 and not d.less(a - 1, pivot):
            a = _partition_equal(d, a, b, pivot)
            continue
        mid, partitioned = _partition(d, a, b, pivot)
        left, right = mid - a, b - mid
        threshold = length // 8
        if left < right:
            balanced = left >= threshold
            _pdqsort(d, a, mid, limit)
            a = mid + 1
        else:
            balanced = right >= threshold
            _pdqsort(d, mid + 1, b, limit)
            b = mid


def _partition(d: _Data, a: int, b: int, pivot: int) -> tuple[int, bool]:
    d.swap(a, pivot)
    i, j = a + 1, b - 1
    while i <= j and d.less(i, a):
        i += 1
    while i <= j and not d.less(j, a):
        j -= 1
    if i > j:
        d.swap(j, a)
        return j, True
    d.swap(i, j)
    i, j = i + 1, j - 1
    while True:
        while i <= j and d.less(i, a):
            i += 1
        while i <= j and not d.less(j, a):
            j -= 1
        if i > j:
            break
        d.swap(i, j)
        i, j = i + 1, j - 1
    d.swap(j, a)
    return j, False


def _partition_equal(d: _Data, a: int, b: int, pivot: int) -> int:
    d.swap(a, pivot)
    i, j = a + 1, b - 1
    while True:
        while i <= j and not d.less(a, i):
            i += 1
        while i <= j and d.less(a, j):
            j -= 1
        if i > j:
            return i
        d.swap(i, j)
        i, j = i + 1, j - 1


def _partial_insertion(d: _Data, a: int, b: int) -> bool:
    i = a + 1
    for _ in range(5):
        while i < b and not d.less(i, i - 1):
            i += 1
        if i == b:
            return True
        if b - a < 50:
            return False
        d.swap(i, i - 1)
        if i - a >= 2:
            for j in range(i - 1, 0, -1):
                if not d.less(j, j - 1):
                    break
                d.swap(j, j - 1)
        if b - i >= 2:
            for j in range(i + 1, b):
                if not d.less(j, j - 1):
                    break
                d.swap(j, j - 1)
    return False


def _break_patterns(d: _Data, a: int, b: int) -> None:
    length = b - a
    if length < 8:
        return
    state = length
    modulus = 1 << length.bit_length()
    base = a + (length // 4) * 2
    for idx in range(base - 1, base + 2):
        state ^= (state << 13) & _MASK
        state ^= state >> 17
        state ^= (state << 5) & _MASK
        other = state & (modulus - 1)
        if other >= length:
            other -= length
        d.swap(idx, a + other)


def _choose_pivot(d: _Data, a: int, b: int) -> tuple[int, str]:
    size = b - a
    swaps = [0]
    i, j, k = a + size // 4, a + size // 4 * 2, a + size // 4 * 3
    if size >= 8:
        if size >= 50:
            i = _median(d, i - 1, i, i + 1, swaps)
            j = _median(d, j - 1, j, j + 1, swaps)
            k = _median(d, k - 1, k, k + 1, swaps)
        j = _median(d, i, j, k, swaps)
    if swaps[0] == 0:
        return j, "increasing"
    return j, "decreasing" if swaps[0] == 12 else "unknown"


def _median(d: _Data, a: int, b: int, c: int, swaps: list[int]) -> int:
    def order(x: int, y: int) -> tuple[int, int]:
        if d.less(y, x):
            swaps[0] += 1
            return y, x
        return x, y

    a, b = order(a, b)
    b, c = order(b, c)
    a, b = order(a, b)
    return b


def _reverse(d: _Data, a: int, b: int) -> None:
    i, j = a, b - 1
    while i < j:
        d.swap(i, j)
        i, j = i + 1, j - 1
