"""nbgrader configuration of the naltrexone course (read by every `nbgrader` command run here).

solutions/ holds the instructor version of each exercise (the single source); `make release`
runs `nbgrader generate_assignment`, which writes the student version to exercises/.
"""

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "naltrexone-lab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store"]

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
