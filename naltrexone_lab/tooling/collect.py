"""Put an LMS's download of submissions into nbgrader's ``submitted/`` folder, by student.

nbgrader's ``zip_collect`` needs a regular expression for the LMS's file names, and the one an
instructor writes for Canvas or Moodle rarely fits every name (student names with underscores,
late flags, resubmission suffixes, zipped folders). :func:`collect` knows the names each LMS
writes:

``canvas``
    ``<lastfirst>_[LATE_]<user id>_<submission id>_<file name>``: the student's sortable name
    (lower case, no separators), ``LATE`` when Canvas marked the submission late, Canvas's numeric
    user id and submission id, then the name the student uploaded, to which Canvas adds ``-1``,
    ``-2`` ... when a student uploads the same name again. The student id becomes the Canvas user
    id, which is also the ``ID`` column of Canvas's gradebook CSV, so grades go back by it.
``moodle``
    Moodle's assignment "Download all submissions" (mod/assign, ``download_submissions``): a
    folder ``<Full Name>_<participant id>_assignsubmission_file_/`` per student holding the
    uploaded files (Moodle 3.1 and later), or flat names ``<Full Name>_<participant id>_
    assignsubmission_file_<file name>`` (earlier, or "download as folders" off). The participant
    id is the number of the ``Participant N`` identifier in Moodle's grading worksheet, and
    becomes the student id (``participant<N>``).
``generic``
    ``<student id>_<file name>`` (the shape of the course's own zip_collect example).

Folders and ``.zip`` files are read alike, at any depth (a zipped folder a student uploaded is
opened too). macOS metadata, checkpoints and hidden files are skipped. Each student's notebook is
stored under the exercise's expected name when it is the only notebook they sent (a renamed file
is the commonest upload mistake), with the file's time in the download recorded in nbgrader's
``timestamp.txt`` (moved past the gradebook's due date when Canvas flagged the upload LATE, and
back to it when Canvas did not, so late penalties follow the LMS). A file whose content equals
what ``submitted/`` already holds is left untouched (its time too), so collecting a second
download regrades only the students who changed something. Everything that could not be placed
is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["PRESETS", "CollectReport", "Placed", "collect", "parse_name"]

PRESETS = ("canvas", "moodle", "generic")
_CANVAS = re.compile(r"^(?P<name>[^_/]+)_(?P<late>LATE_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_file_(?:/)?(?P<file>.*)$")
_GENERIC = re.compile(r"^(?P<user>[A-Za-z0-9][A-Za-z0-9.@-]*)_(?P<file>.+)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.ipynb)$")
_SKIPPED_PARTS = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")
#: A notebook larger than this is not collected (the same limit as class grading's precheck).
MAX_BYTES = 50 * 2**20


@dataclass(frozen=True)
class Parsed:
    student: str
    file: str
    late: bool = False
    order: int = 0  # Canvas submission id / resubmission number: larger is newer


def parse_name(preset: str, path: str) -> Parsed | None:
    """The student and file named by one entry of an LMS download (``path`` relative to the
    download, ``/``-separated), or ``None`` when the name does not have the preset's shape."""
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(PRESETS)}; got {preset!r}")
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    if not parts:
        return None
    if preset == "moodle":
        for i in range(len(parts)):
            joined = "/".join(parts[i:])
            m = _MOODLE.match(joined)
            if m and m.group("file"):
                return Parsed(f"participant{m.group('user')}", PurePosixPath(m.group("file")).name)
        return None
    # the first part with the preset's shape names the student: the file itself, or a zipped
    # folder the student uploaded (then the file is the last part, inside it)
    pattern = _CANVAS if preset == "canvas" else _GENERIC
    for i, part in enumerate(parts):
        m = pattern.match(part)
        if not m:
            continue
        file = m.group("file") if i == len(parts) - 1 else parts[-1]
        if preset == "canvas":
            return Parsed(m.group("user"), file, late=bool(m.group("late")),
                          order=int(m.group("sub")))
        return Parsed(m.group("user"), file)
    return None


@dataclass
class Placed:
    """One student's notebook as collected."""

    student: str
    source: str
    stored_as: str
    status: str  # "new", "changed", "unchanged"
    late: bool = False
    renamed: bool = False
    timestamp: str | None = None
    uploaded_as: str = ""


@dataclass
class CollectReport:
    placed: list[Placed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)

    def lines(self) -> list[str]:
        out = []
        for p in sorted(self.placed, key=lambda p: p.student):
            notes = [p.status] + (["late"] if p.late else []) + (
                [f"renamed from {p.uploaded_as}"] if p.renamed else [])
            out.append(f"  {p.student:24s} {p.stored_as}  ({', '.join(notes)})")
        for entry, reason in self.skipped:
            out.append(f"  not placed: {entry}: {reason}")
        return out


@dataclass
class _Entry:
    path: str  # inside the download, "/"-separated
    data: bytes
    when: dt.datetime | None


def _entries(source: Path, report: CollectReport) -> list[_Entry]:
    """Every file of a download (a folder or a zip, zips inside opened too)."""
    found: list[_Entry] = []

    def from_zip(data: bytes, prefix: str) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            report.skipped.append((prefix.rstrip("/") or "(archive)", "not a readable zip file"))
            return
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = prefix + info.filename
            if info.file_size > MAX_BYTES:
                report.skipped.append((name, f"larger than {MAX_BYTES // 2**20} MB"))
                continue
            add(name, archive.read(info), dt.datetime(*info.date_time))

    def add(name: str, data: bytes, when: dt.datetime | None) -> None:
        parts = PurePosixPath(name).parts
        if any(p in _SKIPPED_PARTS or p.startswith(".") for p in parts):
            return
        if name.lower().endswith(".zip"):
            from_zip(data, name[:-4] + "/")
        else:
            found.append(_Entry(name, data, when))

    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_symlink():
                report.skipped.append((str(path.relative_to(source)), "a symbolic link"))
            elif path.is_file():
                rel = path.relative_to(source).as_posix()
                if path.stat().st_size > MAX_BYTES:
                    report.skipped.append((rel, f"larger than {MAX_BYTES // 2**20} MB"))
                    continue
                add(rel, path.read_bytes(),
                    dt.datetime.fromtimestamp(path.stat().st_mtime))
    elif source.is_file() and source.suffix.lower() == ".zip":
        from_zip(source.read_bytes(), "")
    else:
        raise ValueError(f"download must be a folder or a .zip file; got {source}")
    return found


def _expected_name(course: Path, assignment: str) -> str:
    from .classroom import _expected_notebooks

    names = _expected_notebooks(course, assignment)
    if len(names) != 1:
        raise ValueError(f"{assignment} must have exactly one notebook in the course's source or "
                         f"release folder to collect into; found {names or 'none'}")
    return names[0]


def _canonical(file: str) -> str:
    m = _RESUBMITTED.match(file)
    return m.group("stem") + m.group("ext") if m else file


def collect(course, assignment: str, downloads, *, preset: str) -> CollectReport:
    """Place the notebooks of ``downloads`` (folders or zip files from the LMS) in
    ``course/submitted/<student>/<assignment>/`` (see the module). Returns what was placed and
    what was not, with reasons. Never deletes anything already in ``submitted/``."""
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(PRESETS)}; got {preset!r}")
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise ValueError(f"{course} is not an nbgrader course (no nbgrader_config.py)")
    expected = _expected_name(course, assignment)
    due = _due_date(course, assignment)
    report = CollectReport()
    by_student: dict[str, list[tuple[Parsed, _Entry]]] = {}
    for download in downloads:
        for entry in _entries(Path(download), report):
            parsed = parse_name(preset, entry.path)
            if parsed is None:
                report.skipped.append((entry.path, f"name does not look like a {preset} download "
                                                    "entry (see naltrexone-course collect --help)"))
            elif not parsed.file.lower().endswith(".ipynb"):
                report.skipped.append((entry.path, f"not a notebook (student {parsed.student})"))
            else:
                by_student.setdefault(parsed.student, []).append((parsed, entry))
    for student, items in sorted(by_student.items()):
        exact = [it for it in items if _canonical(it[0].file) == expected]
        pool = exact or items
        if not exact and len({_canonical(p.file) for p, _ in items}) > 1:
            names = ", ".join(sorted({p.file for p, _ in items}))
            report.skipped.append((student, f"several notebooks and none named {expected} "
                                            f"({names}); place the right one by hand"))
            continue
        # the newest: Canvas's submission id, then the resubmission number, then the file time
        def newness(item):
            parsed, entry = item
            m = _RESUBMITTED.match(parsed.file)
            return (parsed.order, int(m.group("n")) if m else 0,
                    entry.when or dt.datetime.min)
        parsed, entry = max(pool, key=newness)
        for _other, other in pool:
            if other is not entry:
                report.skipped.append((other.path, f"an older upload of {student}; the newest "
                                                   "was kept"))
        report.placed.append(_store(course, assignment, expected, student, parsed, entry, due,
                                    preset))
    return report


def _due_date(course: Path, assignment: str) -> dt.datetime | None:
    """The assignment's due date in the gradebook (naive UTC, as nbgrader stores it), if set."""
    from nbgrader.api import Gradebook, MissingEntry

    from .classroom import _db_url

    try:
        with Gradebook(_db_url(course)) as gb:
            return gb.find_assignment(assignment).duedate
    except (MissingEntry, Exception):  # noqa: BLE001 - no gradebook yet: no due date
        return None


def _honour_late_flag(when: dt.datetime | None, late: bool, due: dt.datetime | None,
                      preset: str) -> dt.datetime | None:
    """The submission time to record. A download's file times are not always the submission
    times, so where the LMS states lateness (Canvas's LATE) and the gradebook has a due date, the
    time is moved to the side of the due date the LMS says: nbgrader's late penalty then follows
    the LMS's judgement."""
    if due is None or when is None or preset != "canvas":
        return when
    if late and when <= due:
        return due + dt.timedelta(seconds=1)
    if not late and when > due:
        return due
    return when


def _store(course: Path, assignment: str, expected: str, student: str, parsed: Parsed,
           entry: _Entry, due: dt.datetime | None, preset: str) -> Placed:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.@-]*", student):
        raise ValueError(f"student id {student!r} from {entry.path!r} is not safe as a folder name")
    folder = course / "submitted" / student / assignment
    target = folder / expected
    status = "new"
    if target.is_file():
        same = hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(entry.data).digest()
        status = "unchanged" if same else "changed"
    when = _honour_late_flag(entry.when, parsed.late, due, preset)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f") if when else None
    if status != "unchanged":
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry.data)
        if stamp:  # nbgrader reads the submission time (for late penalties) from here
            (folder / "timestamp.txt").write_text(stamp)
    if parsed.late:
        (folder / "lms_late_flag.txt").write_text("the LMS marked this submission late\n")
    return Placed(student, entry.path, f"submitted/{student}/{assignment}/{expected}", status,
                  late=parsed.late, renamed=_canonical(parsed.file) != expected, timestamp=stamp,
                  uploaded_as=parsed.file)
