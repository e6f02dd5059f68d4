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
           "MAX_NOTEBOOK_BYTES", "graded_cell_problem", "notebook_shape_problem",
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


# -- the shape of a submitted notebook, checked before nbgrader reads it ------------------------------
#: Largest notebook file graded, bytes: a bigger one is refused with a status, not read.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
_FLAGS = ("grade", "solution", "locked", "task")


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", str: "text", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def notebook_shape_problem(data) -> str | None:
    """One line saying why ``data`` (a notebook's parsed JSON) cannot be graded as it is, or None.

    nbgrader and nbformat assume every cell is an object with object metadata, that
    ``metadata.nbgrader`` is an object whose ``grade_id`` is a name, and that points are numbers;
    a submission that breaks one of these made nbgrader (and ``naltrexone-course grade``) stop
    with an unexpected error instead of grading the rest."""
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        return "it is JSON but not a Jupyter notebook (no cells / nbformat)"
    if not isinstance(data.get("metadata", {}), dict):
        return f"its notebook metadata is {_kind(data['metadata'])}, not an object"
    cells = data["cells"]
    if not isinstance(cells, list):
        return f"its cells are {_kind(cells)}, not a list"
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            return f"cell {number} is {_kind(cell)}, not an object"
        if cell.get("cell_type") not in ("code", "markdown", "raw"):
            return f"cell {number} has cell_type {str(cell.get('cell_type'))[:30]!r}"
        source = cell.get("source", "")
        if not (isinstance(source, str) or (isinstance(source, list)
                                            and all(isinstance(s, str) for s in source))):
            return f"cell {number}: its source is {_kind(source)}, not text"
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict):
            return f"cell {number}: its metadata is {_kind(meta)}, not an object"
        if "nbgrader" not in meta:
            continue
        nbg = meta["nbgrader"]
        if not isinstance(nbg, dict):
            return f"cell {number}: its nbgrader metadata is {_kind(nbg)}, not an object"
        if "grade_id" in nbg and not (isinstance(nbg["grade_id"], str) and nbg["grade_id"].strip()):
            return f"cell {number}: its nbgrader grade_id is {_kind(nbg['grade_id'])}, not a name"
        points = nbg.get("points", 0)
        if (isinstance(points, bool) or not isinstance(points, (int, float))
                or not 0 <= points < float("inf")):
            return f"cell {number}: its nbgrader points are {str(points)[:30]}, not a number of points"
        for flag in _FLAGS:
            if flag in nbg and not isinstance(nbg[flag], bool):
                return f"cell {number}: its nbgrader {flag!r} is {_kind(nbg[flag])}, not true/false"
    return None


def graded_cell_problem(data, source_cells) -> str | None:
    """One line saying why nbgrader would refuse the graded cells of ``data`` (a notebook whose
    shape :func:`notebook_shape_problem` accepted) against the instructor version's cells, or None.

    nbgrader forgets a ``grade_id`` it does not know and then refuses the whole notebook when
    that cell is still marked graded, an answer or locked ("the nbgrader metadata may be
    corrupted"); a cell marked graded that is not graded in the instructor version stops it as
    well. Such a cell never earns points (the gradebook holds only the instructor's cells), but
    it cost the student the whole notebook without saying why."""
    known = {}
    for cell in source_cells:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        if isinstance(nbg, dict) and nbg.get("grade_id"):
            known[nbg["grade_id"]] = nbg
    for number, cell in enumerate(data["cells"], start=1):
        nbg = cell.get("metadata", {}).get("nbgrader")
        if not nbg:
            continue
        gid = nbg.get("grade_id")
        marked = [flag for flag in ("grade", "solution", "locked", "task") if nbg.get(flag)]
        points = f" worth {nbg['points']:g} points" if nbg.get("grade") and nbg.get("points") else ""
        if gid not in known:
            if marked:
                name = f" ({gid[:40]!r})" if gid else ""
                return (f"cell {number}{name} is marked as an nbgrader {marked[0]} cell{points} but "
                        "the assignment has no such cell, so nbgrader refuses the notebook (those "
                        "points can never count); delete that cell's nbgrader metadata or the cell")
            continue
        if nbg.get("grade") and "points" not in nbg:
            return (f"cell {number} ({gid!r}) is a graded cell without points, so nbgrader stops "
                    "on it; restore the cell from the released notebook")
        for flag in ("grade", "task"):
            if nbg.get(flag) and not known[gid].get(flag):
                return (f"cell {number} ({gid!r}) is marked as an nbgrader {flag} cell{points} but "
                        "in the assignment it is not, so nbgrader refuses the notebook; restore "
                        "the cell from the released notebook")
    return None
