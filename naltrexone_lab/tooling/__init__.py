"""Course tooling: grading with nbgrader, the learner's self-check and progress, the class
grader and feedback, the syllabus and the ``naltrexone-course`` command.

Nothing here imports the science models, figures or widgets; it works on notebooks. The one
module that knows nbgrader's cell markers is :mod:`.markers`; throw-away nbgrader courses are
built in :mod:`.grading`.
"""
