"""``naltrexone-course``: the command a learner uses beside JupyterLab.

    naltrexone-course list                     chapters and exercises, times and paths
    naltrexone-course setup                    your own copy of the course in my_work/
    naltrexone-course start ex01_antagonism    copy an exercise to my_work/ to work on
    naltrexone-course check PATH.ipynb         grade a saved exercise with the full tests
    naltrexone-course progress                 latest checked score of every exercise

For instructors, run in the nbgrader course folder:

    naltrexone-course grade [ASSIGNMENT ...] [--jobs N] [--force]
    naltrexone-course feedback ASSIGNMENT
    naltrexone-course report ASSIGNMENT         what the class got wrong, HTML and CSV
    naltrexone-course instructor-kit DIR --course-id ID   a private folder for one class
    naltrexone-course student-check DIR         the students' self-check course (no answers)

Exit status: 0 when the command did its job (``check``: the notebook was graded, whatever the
score); 2 for input it cannot use (one line on stderr says why); 1 when grading itself failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# jsonschema, which nbformat uses to validate notebooks, builds an IRI grammar with lark at import
# when rfc3987_syntax is installed: 3 s of every command on a 2-core machine, for a string format
# no notebook schema uses. Marking the module absent makes jsonschema skip that format checker.
# (None in sys.modules is the import system's "absent"; typeshed allows modules only)
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _cmd_list(args) -> int:
    from .grading import course_root
    from .syllabus import CHAPTERS

    root = course_root()
    print(f"Naltrexone course at {root}\n")
    for ch in CHAPTERS:
        if not ch.ready:
            print(f"{ch.number}. {ch.title}  (in preparation)")
            continue
        print(f"{ch.number}. {ch.title}  [{ch.minutes} min]")
        print(f"     lesson:   {ch.notebook}")
        if ch.exercise:
            print(f"     exercise: exercises/{ch.exercise}/{ch.exercise}.ipynb  [{ch.exercise_minutes} min]"
                  f"  (your copy: naltrexone-course start {ch.exercise})")
    return EXIT_OK


def _cmd_start(args) -> int:
    from .selfcheck import start_exercise
    from .variants import Variant, identity_from

    path = start_exercise(args.exercise, Path(args.dest) if args.dest else None, fresh=args.fresh,
                          student=args.student)
    print(f"Your copy: {path}")
    environ = {k: v for k, v in os.environ.items() if k != "NALTREXONE_VARIANT_STUDENT"}
    print(Variant(args.exercise, identity=identity_from(environ, path.parent)))
    print("Open it in JupyterLab, answer, save, then run:")
    print(f"  naltrexone-course check {path}")
    return EXIT_OK


def _cmd_setup(args) -> int:
    from .selfcheck import start_course

    path = start_course(Path(args.dest) if args.dest else None)
    print(f"Your copy of the course: {path.parent} (chapters) and {path.parent.parent} (exercises)")
    print(f"Start at {path}")
    return EXIT_OK


def _cmd_check(args) -> int:
    from .checklimit import CheckLimit
    from .selfcheck import ProgressStore, check_notebook, write_html_report

    path = Path(args.notebook)
    limit = CheckLimit.from_environment()
    print(f"Grading {path} with the full tests (about 10 s; 20 s the first time)...", flush=True)
    if limit:
        print(f"Your instructor limits self-checks: {limit.describe()}; re-checking an unchanged "
              "answer is free.", flush=True)
    result = check_notebook(path, cell_timeout_s=args.timeout, limit=limit)
    r = result.report
    print(f"\n{r.assignment}")
    for q in r.questions:
        label = result.labels.get(q.grade_id, q.grade_id)
        if q.grade_id in result.withheld:
            print(f"  limit   ?/{q.max_score:g}  {label}")
            print(f"                not shown: over the limit of different answers; check it again "
                  f"after {result.withheld[q.grade_id]:%Y-%m-%d %H:%M}")
            continue
        if not q.auto:
            print(f"  manual  -/{q.max_score:g}  {label}")
            continue
        mark = "pass" if q.score >= q.max_score else "FAIL"
        print(f"  {mark:6s}  {q.score:g}/{q.max_score:g}  {label}")
        if q.parts and q.score < q.max_score:  # a question of independent parts: each of them
            for part in q.parts:
                status = "passed" if part.passed else "FAILED"
                print(f"                {status}  {part.name} ({part.points:g} pt)"
                      + ("" if part.passed else f": {part.message}"))
        elif q.message and q.score < q.max_score:
            print(f"                {q.message}")
    for note in r.notes:
        print(f"  note: {note}")
    pct = 100 * result.shown_score / result.shown_max if result.shown_max else 0.0
    shown = f" of the {len(r.questions) - len(result.withheld)} questions shown" if result.withheld else ""
    print(f"\nAutograded: {result.shown_score:g}/{result.shown_max:g} points ({pct:.0f}%){shown}."
          f" Written answers ({r.manual_max:g} points) are graded by an instructor.")
    report = Path(args.report) if args.report else path.with_name(f"{path.stem}.feedback.html")
    try:
        write_html_report(result, report)
        print(f"Feedback report: {report}")
    except OSError as err:
        print(f"(could not write the feedback report to {report}: {err.strerror})")
    failed = [q for q in r.questions if q.auto and q.score < q.max_score
              and q.grade_id not in result.withheld]
    if failed:
        number = failed[0].grade_id.split("_")[0].removeprefix("q")  # q4b_tests -> 4b
        print(f"Stuck? A hint for a failed question: naltrexone-course hint {path} {number}\n"
              "  (in the notebook, in a new cell: from naltrexone_lab.notebook_check import hint; "
              f"hint({number!r}))")
    if result.withheld:
        print("Progress not updated: some results are not shown yet.")
    elif not args.no_record:
        ProgressStore().record(result)
        print("Progress saved; see it with: naltrexone-course progress")
    return EXIT_OK


def _cmd_hint(args) -> int:
    from .hints import format_step, next_hint

    print(format_step(next_hint(Path(args.notebook), args.question)))
    return EXIT_OK


def _cmd_progress(args) -> int:
    from .selfcheck import ProgressStore, progress_rows

    store = ProgressStore()
    print(f"Progress (kept in {store.path})\n")
    for row in progress_rows(store.load()):
        if row["score"] is None:
            status = "not checked yet"
        else:
            status = (f"{row['score']:g}/{row['max_score']:g} autograded points, checked "
                      f"{row['checked_at']}")
        print(f"  {row['exercise']:24s} {status}")
    return EXIT_OK


def _cmd_grade(args) -> int:
    from .classroom import grade_class, grade_table
    from .integrity import check_class

    course = Path(args.course).resolve()
    interactive = sys.stderr.isatty()
    start = time.perf_counter()

    def progress(done, total, r):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "." * (width - filled)
        line = f"[{bar}] {done}/{total}  {r.student} {r.assignment}: {r.status}"
        if r.message:
            line += f" ({r.message[:80]})"
        text, end = (("\r" + line.ljust(120)), "") if interactive else (line, "\n")
        print(text, file=sys.stderr, end=end, flush=True)

    results = grade_class(course, args.assignment or None, jobs=args.jobs, force=args.force,
                          progress=progress, students=args.student or None,
                          scheduler=args.scheduler,
                          notify=lambda text: print(f"\n{text}", file=sys.stderr, flush=True))
    if interactive:
        print(file=sys.stderr)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"\n{len(results)} submissions in {time.perf_counter() - start:.1f} s: {summary}\n")
    findings = check_class(course, [(r.student, r.assignment) for r in results])
    print(grade_table(results, {(f.student, f.assignment) for f in findings}))
    if findings:
        print("\nIntegrity (! above): evidence to review, not a verdict; no grade was changed")
        for f in findings:
            print(f"  {f}")
    from .sandbox import grader_evidence

    guarded = [(r, grader_evidence(course, r.student, r.assignment)) for r in results]
    guarded = [(r, items) for r, items in guarded if items]
    if guarded:
        print("\nGrader guard: code that changed how Python runs the tests (the tests ran with it "
              "put back) or that an answer never needs; read these submissions")
        for r, items in guarded:
            print(f"  {r.student} {r.assignment}: {'; '.join(items[:4])}"
                  + (f"; and {len(items) - 4} more" if len(items) > 4 else ""))
    regrade = [r for r in results if r.notes]
    if regrade:
        print("\nTo grade by hand again (formgrader):")
        for r in regrade:
            for note in r.notes:
                print(f"  {r.student} {r.assignment}: {note}")
    problems = [r for r in results if r.status not in ("graded", "already graded")]
    if problems:
        print("\nNeeds a look:")
        for r in problems:
            print(f"  {r.student} {r.assignment}: {r.status}" + (f" - {r.message}" if r.message else ""))
    return EXIT_OK


def _cmd_collect(args) -> int:
    from .collect import collect

    report = collect(Path(args.course), args.assignment, [Path(d) for d in args.download],
                     preset=args.preset)
    counts: dict[str, int] = {}
    for p in report.placed:
        counts[p.status] = counts.get(p.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing placed"
    print(f"{args.assignment}: {len(report.placed)} students ({summary}); "
          f"{len(report.skipped)} entries not placed")
    for line in report.lines():
        print(line)
    if counts.get("new") or counts.get("changed"):
        print(f"\nnext: naltrexone-course grade {args.assignment} (unchanged students are not "
              "regraded)")
    return EXIT_OK


def _cmd_export(args) -> int:
    from .export import write_export

    course = Path(args.course).resolve()
    default = f"grades-{args.to}.csv"
    path, blanks = write_export(course, Path(args.out) if args.out else course / default,
                                args.to, args.assignment or None)
    print(f"wrote {path}")
    if blanks:
        print(f"\n{len(blanks)} results are left blank (not final), with the reason:")
        for line in blanks:
            print(f"  {line}")
    return EXIT_OK


def _cmd_feedback(args) -> int:
    from .classroom_feedback import generate_feedback

    run = generate_feedback(Path(args.course).resolve(), args.assignment, force=args.force)
    print(f"{len(run.pages)} feedback page(s) in feedback/*/{args.assignment}/: hidden tests "
          "replaced by each question's result, mark schemes removed")
    if run.skipped:
        print(f"{len(run.skipped)} of them were already there and were kept as they were (nbgrader "
              "does not rewrite a page); run again with --force to regenerate them")
    return EXIT_OK


def _cmd_report(args) -> int:
    from .report import write_report

    page, table, rep = write_report(Path(args.course), args.assignment, args.out)
    print(f"{len(rep.totals)} students in the report of {args.assignment}"
          + (f" ({len(rep.no_score)} without a score)" if rep.no_score else ""))
    for q in rep.questions:
        if q.auto and q.scores:
            top = q.checks.most_common(1)
            print(f"  {q.grade_id}: full marks {100 * (q.full_share or 0):.0f}%"
                  + (f"; most failed ({top[0][1]}): {q.examples[top[0][0]][:90]}" if top else ""))
    print(f"Wrote {page} and {table}")
    return EXIT_OK


def _cmd_instructor_kit(args) -> int:
    from .kit import make_kit

    kit = make_kit(args.dest, course_id=args.course_id, exercises=args.exercise or None)
    print(f"Private grading kit for {args.course_id} in {kit['path']}:")
    print(f"  {len(kit['exercises'])} exercises with this class's variant key and "
          f"{kit['hidden_seeds']} hidden random cases drawn from its secret")
    print(f"  student versions in {kit['path'] / 'exercises'}; the secret is in "
          f"{kit['path'] / 'course_secret'} (keep the folder private)")
    print(f"Run nbgrader and naltrexone-course grade/export/feedback in {kit['path']}.")
    print(f"Students' self-check course (no answers): {kit['path'] / 'student-check'}")
    return EXIT_OK


def _cmd_student_check(args) -> int:
    from .kit import make_check_course

    made = make_check_course(args.dest, exercises=args.exercise or None, key=args.key)
    print(f"Students' self-check course in {made['path']}: {len(made['exercises'])} exercises, "
          "tests and hints without answers" + (f", class key {made['key']}" if made["key"] else ""))
    print(f"Give students a copy and set NALTREXONE_COURSE={made['path']} in their environment "
          "(JupyterHub: c.Spawner.environment).")
    return EXIT_OK


def _exercise_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exercise", action="append", metavar="NAME",
                   help="only this exercise (repeatable; default: all)")


def _course_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", default=".", help="the nbgrader course folder (default: here)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="naltrexone-course",
        description="Find your way through the naltrexone course and check your exercises.",
    )
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an error (for reporting a problem)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("list", help="chapters and exercises with their times and paths")
    p.set_defaults(func=_cmd_list)
    p = sub.add_parser("start", help="copy an exercise to my_work/ (your own, git-ignored copy)")
    p.add_argument("exercise", help="e.g. ex01_antagonism")
    p.add_argument("--fresh", action="store_true",
                   help="start over: an existing copy is renamed with a timestamp, not deleted")
    p.add_argument("--dest", help="folder for your copies (default: my_work/ in the course)")
    p.add_argument("--student", metavar="ID",
                   help="in a class graded from LMS downloads: the grading id your instructor "
                        "gave you, so your numbers are the ones you are graded on")
    p.set_defaults(func=_cmd_start)
    p = sub.add_parser("setup", help="your own copy of every chapter and exercise in my_work/ "
                                     "(what `make lab` opens; existing copies are kept)")
    p.add_argument("--dest", help="folder for your copies (default: my_work/ in the course)")
    p.set_defaults(func=_cmd_setup)
    p = sub.add_parser("check", help="grade a saved exercise notebook with the full tests")
    p.add_argument("notebook", help="path of your saved exercise notebook")
    p.add_argument("--report", help="where to write the HTML feedback (default: beside the notebook)")
    p.add_argument("--timeout", type=int, default=60, help="seconds each cell may run (default 60)")
    p.add_argument("--no-record", action="store_true", help="do not save the score to progress")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run your notebook without the grading sandbox (it is used where the "
                        "machine allows it)")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("hint", help="a hint for a question your last check failed; more on each "
                                    "request, then its worked solution")
    p.add_argument("notebook", help="path of your saved exercise notebook")
    p.add_argument("question", help="the question: 3, q3 or 4a (a written question gives its "
                                    "model answer once you have written yours)")
    p.set_defaults(func=_cmd_hint)
    p = sub.add_parser("progress", help="latest checked score of every exercise")
    p.set_defaults(func=_cmd_progress)
    p = sub.add_parser("collect", help="instructors: put an LMS download into submitted/",
                       description="Place each student's notebook from a Canvas, Moodle or "
                       "generic download (zip files or folders) in submitted/<student>/. Canvas "
                       "names: <lastfirst>_[LATE_]<user id>_<submission id>_<file>; Moodle: "
                       "<Full Name>_<participant id>_assignsubmission_file_[/]<file>; generic: "
                       "<student id>_<file>.")
    p.add_argument("assignment", help="e.g. ex01_antagonism")
    p.add_argument("download", nargs="+", help="the LMS's zip file(s) or extracted folder(s)")
    p.add_argument("--from", dest="preset", required=True, choices=("canvas", "moodle", "generic"),
                   help="which LMS made the download")
    _course_option(p)
    p.set_defaults(func=_cmd_collect)
    p = sub.add_parser("grade", help="instructors: autograde every submission in parallel")
    p.add_argument("assignment", nargs="*", help="assignments to grade (default: all submitted)")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes of the local Dask cluster (default: CPU count)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on an existing Dask cluster, e.g. tcp://gradingserver:8786 "
                        "(its workers need this package, not the course folder)")
    p.add_argument("--force", action="store_true", help="regrade submissions already autograded")
    _course_option(p)
    p.add_argument("--student", action="append", metavar="ID",
                   help="grade only this student (repeatable), e.g. after one resubmission")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without the sandbox (only for work you trust: a submission then "
                        "runs with your rights and can change the gradebook)")
    p.set_defaults(func=_cmd_grade)
    p = sub.add_parser("export", help="instructors: grades for the LMS, every student, with status",
                       description="Write every student's score, maximum and status (graded, "
                       "manual grading pending, not submitted, kernel died, unreadable, ...) as "
                       "a plain CSV, a Canvas gradebook import or a Moodle grading worksheet. "
                       "Scores that are not final stay blank and are listed with the reason.")
    p.add_argument("assignment", nargs="*", help="assignments to export (default: all)")
    p.add_argument("--to", choices=("csv", "canvas", "moodle"), default="csv",
                   help="file shape (default csv; moodle takes one assignment)")
    p.add_argument("--out", help="file to write (default: grades-<format>.csv in the course)")
    _course_option(p)
    p.set_defaults(func=_cmd_export)
    p = sub.add_parser("report", help="instructors: what the class got wrong in one exercise",
                       description="Write report-<exercise>.html (score distribution of every "
                       "question, the failed checks grouped by message with the students' own "
                       "numbers masked, students without a score) and report-<exercise>.csv.")
    p.add_argument("assignment", help="e.g. ex01_antagonism")
    p.add_argument("--out", help="folder for the report (default: the course folder)")
    _course_option(p)
    p.set_defaults(func=_cmd_report)
    p = sub.add_parser("instructor-kit", help="instructors: a private course folder for one class",
                       description="Make a private nbgrader course folder for one class: its own "
                       "secret, a variant key in every exercise (each student's numbers differ "
                       "from the public course's), hidden random cases drawn from the secret, "
                       "its own gradebook and nbgrader_config.py, and the student versions.")
    p.add_argument("dest", help="a new or empty folder for the kit")
    p.add_argument("--course-id", required=True, help="the class's nbgrader course id, e.g. pharm301-2027")
    _exercise_option(p)
    p.set_defaults(func=_cmd_instructor_kit)
    p = sub.add_parser("student-check", help="instructors: the students' self-check course",
                       description="Write a course folder for students' self-checks "
                       "(naltrexone-course check, the check cell) that holds the tests and hints "
                       "but no answers: for a JupyterHub image or any machine without solutions/. "
                       "A private kit makes its own, with the class's key, in student-check/.")
    p.add_argument("dest", help="a new or empty folder")
    _exercise_option(p)
    p.add_argument("--key", help="a class's variant key (default: the public values)")
    p.set_defaults(func=_cmd_student_check)
    p = sub.add_parser("feedback", help="instructors: feedback pages without hidden test code")
    p.add_argument("assignment")
    p.add_argument("--force", action="store_true", help="overwrite existing feedback")
    _course_option(p)
    p.set_defaults(func=_cmd_feedback)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .grading import GradingError
    from .sandbox import MODE_ENV, SandboxUnavailable
    from .workers import SchedulerUnavailable

    args = build_parser().parse_args(argv)
    if getattr(args, "no_sandbox", False):
        os.environ[MODE_ENV] = "off"
    if args.debug:  # errors propagate with their traceback
        return args.func(args)
    try:
        return args.func(args)
    except (SandboxUnavailable, SchedulerUnavailable) as err:
        print(f"naltrexone-course {args.command}: {err}", file=sys.stderr)
        return EXIT_FAILED
    except ValueError as err:
        print(f"naltrexone-course {args.command}: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except GradingError as err:
        print(f"naltrexone-course {args.command}: could not grade: {err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"naltrexone-course {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a learner never sees a traceback
        print(f"naltrexone-course {args.command}: unexpected {type(err).__name__}: {err} "
              "(please report this with the command you ran)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
