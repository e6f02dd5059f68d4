"""nbgrader's region markers, read the way nbgrader reads them: the one parser every route
(feedback pages, class feedback, self-check, tests) uses.

nbgrader's ``ClearHiddenTests`` and ``ClearSolutions`` treat any line that *contains* the
delimiter as a marker (``"BEGIN HIDDEN TESTS" in line``), so ``### BEGIN HIDDEN TESTS ###``,
``# BEGIN HIDDEN TESTS`` and ``##BEGIN HIDDEN TESTS`` all open a region. An anchored pattern that
missed one of those forms let that region's hidden tests through into feedback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["ALL_MARKERS", "BEGIN_HIDDEN", "BEGIN_MARK_SCHEME", "BEGIN_SOLUTION", "END_HIDDEN",
           "END_MARK_SCHEME", "END_SOLUTION", "hidden_regions", "is_marker", "region_lines",
           "strip_regions"]

BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
# nbgrader's ClearMarkScheme: the marking guide of a written question, in its task cell
BEGIN_MARK_SCHEME, END_MARK_SCHEME = "BEGIN MARK SCHEME", "END MARK SCHEME"
ALL_MARKERS = (BEGIN_HIDDEN, END_HIDDEN, BEGIN_SOLUTION, END_SOLUTION, BEGIN_MARK_SCHEME,
               END_MARK_SCHEME)


def is_marker(line: str, delimiter: str) -> bool:
    """Whether nbgrader takes ``line`` as the marker ``delimiter`` (it tests containment)."""
    return delimiter in line


def hidden_regions(lines: Iterable[str], begin: str = BEGIN_HIDDEN,
                   end: str = END_HIDDEN) -> Iterator[tuple[str, bool]]:
    """Each line with whether it lies inside a region (markers count as inside). A region left
    open runs to the end, as nbgrader's own preprocessor treats it."""
    inside = False
    for line in lines:
        if is_marker(line, begin):
            inside = True
            yield line, True
        elif is_marker(line, end):
            yield line, True
            inside = False
        else:
            yield line, inside


def strip_regions(source: str, replacement: str, begin: str = BEGIN_HIDDEN,
                  end: str = END_HIDDEN) -> tuple[str, bool]:
    """``source`` with every region replaced by one ``replacement`` line (once per cell);
    returns the new source and whether any region was found."""
    kept, found = [], False
    for line, inside in hidden_regions(source.splitlines(), begin, end):
        if not inside:
            kept.append(line)
        elif not found:
            kept.append(replacement)
            found = True
    return "\n".join(kept), found


def region_lines(source: str, begin: str, end: str) -> list[str]:
    """The lines inside every ``begin``/``end`` region of ``source``, markers left out."""
    return [line for line, inside in hidden_regions(source.splitlines(), begin, end)
            if inside and not is_marker(line, begin) and not is_marker(line, end)]
