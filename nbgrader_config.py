"""nbgrader configuration of the naltrexone course (read by every `nbgrader` command run here).

solutions/ holds the instructor version of each exercise (the single source); `make release`
runs `nbgrader generate_assignment`, which writes the student version to exercises/.
"""

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "naltrexone-lab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# solutions/exNN/hints.toml is read by `hint`, not released; <exercise>.feedback.html is the report
# a learner's self-check writes beside the notebook, which neither submission nor grading needs
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store",
                            "hints.toml", "*.feedback.html"]

# Every exercise cell finishes in well under a second; 60 s per cell stops an infinite loop in a
# submission without failing a slow laptop.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# What students see where a solution was removed.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError(\"replace this line with your answer\")"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback hides the hidden tests: each hidden region becomes one line with the question's result,
# and error tracebacks shrink to their message (naltrexone_lab/tooling/feedback.py). This applies to
# `nbgrader generate_feedback`, formgrader and `naltrexone-course feedback` alike.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from naltrexone_lab.tooling.feedback import HideHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# Formgrader's grading view renders each submission with this exporter: submitted scripts, event
# handlers, frames and widget code are made inert there too (the instructor still sees the tests).
from naltrexone_lab.tooling.feedback import InertPage  # noqa: E402

c.HTMLExporter.preprocessors = [InertPage]

# Formulas as MathML written into the page, and no MathJax from a CDN: a feedback page shows its
# formulas offline (naltrexone_lab/tooling/mathml.py). nbgrader's own template folder stays
# second; formgrader's grading view sets its own folders and keeps MathJax.
import os  # noqa: E402

import nbgrader  # noqa: E402

from naltrexone_lab.tooling.mathml import TEMPLATE_DIR, markdown2html  # noqa: E402

c.HTMLExporter.extra_template_basedirs = [
    str(TEMPLATE_DIR),
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates"),
]
c.HTMLExporter.filters = {"markdown2html": markdown2html}

# Autograding runs each submission's kernel in a sandbox (no network, no view of the course
# folder, the gradebook or other students' work; limits on memory, CPU time and files) and guards
# the test cells against answer code that tampers with the interpreter; warnings on stderr no
# longer cost a correct answer its points (naltrexone_lab/tooling/sandbox.py, guarded.py, guard.py).
# Where bubblewrap cannot run, autograding refuses; NALTREXONE_SANDBOX=off (or
# `naltrexone-course grade --no-sandbox`) grades without it, for work you trust.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from naltrexone_lab.tooling.guarded import GuardedExecute  # noqa: E402

c.Autograde.autograde_preprocessors = [GuardedExecute, IgnorePattern, ClearMetadataPreprocessor,
                                       LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                       CheckCellMetadata]
c.SandboxedKernelManager.mode = "required"

# nbgrader warns that every released test cell "has changed" (its stored checksum predates the
# removal of hidden tests), for every student; this keeps the restore and warns only about a
# cell the student really edited.
from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteKernelspec  # noqa: E402

from naltrexone_lab.tooling.guarded import ReleasedOverwriteCells  # noqa: E402

c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                      ReleasedOverwriteCells, CheckCellMetadata]
# Per notebook, beside the 60 s per cell: the whole run may take 10 minutes.
c.GuardedExecute.notebook_budget_s = 600
