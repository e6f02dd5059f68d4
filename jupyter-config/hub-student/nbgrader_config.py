"""nbgrader settings for the students of a JupyterHub (on their JUPYTER_CONFIG_PATH, with the
rest of jupyter-config/hub-student; the hub's own course id and exchange root go in the image's
/etc/jupyter/nbgrader_config.py, as docs/instructor-guide.md shows).

`nbgrader submit` copies the assignment folder; these are the course's own ignore patterns, so
the report a self-check writes beside the notebook (<exercise>.feedback.html), checkpoints and
byte code stay out of the submission."""

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store",
                            "hints.toml", "*.feedback.html"]
