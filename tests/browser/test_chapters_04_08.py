"""Chapters 04-08 in a real browser: the four checks every chapter gets (browser_support.py)."""

from __future__ import annotations

import pytest
from browser_support import (
    LAST_CHAPTERS,
    parametrize_chapters,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The four checks every chapter gets, collected from here in the order they run: pytest takes a
# module's tests in the order their names were bound (the first check runs the notebook).
from browser_support import (  # noqa: E402, F401, I001
    test_notebook_runs_in_jupyterlab_and_every_plot_renders,
    test_every_control_of_every_model_moves_its_plot_and_readouts_in_the_browser,
    test_every_model_follows_the_notebook_width_at_three_window_sizes,
    test_every_plot_is_drawn_again_after_saving_and_reloading_the_page,
)


def pytest_generate_tests(metafunc):
    parametrize_chapters(metafunc, LAST_CHAPTERS)
