"""The one pattern every interactive model follows.

A :class:`ModelWidget` owns named ipywidgets controls, a plotly figure (a
:class:`~naltrexone_lab.plots.style.CourseFigure`, shown by a
:class:`~naltrexone_lab.widgets.figure.FigureView`) and named readouts. Any control change calls
:meth:`ModelWidget.update`, which asks the subclass to compute the model (``compute``) and then to
write the result into the *existing* figure (``draw``); the view then sends the browser one
message holding only what changed, never a new figure. If the model rejects a combination of
values with ``ValueError`` the message is shown in a status line, the figure is greyed and every
readout says that no value is shown: a learner never sees a traceback or a stale number beside a
refused value. A model that took 0.3 s or more last time shows "computing" while it recomputes.

Tests drive a widget exactly as a learner does: ``w.controls["name"].value = x`` then read
``w.figure`` and ``w.readouts``.
"""

from __future__ import annotations

import html
import math
import re
import time
from collections.abc import Iterable, Mapping

import ipywidgets as W

from ..plots.describe import describe_figure
from .figure import FigureView

__all__ = ["LOG_MANTISSAS", "ModelWidget", "dropdown", "float_slider", "int_slider", "log_slider",
           "log_values", "readout_html", "selection_slider"]

_SLIDER_LAYOUT = {"width": "500px", "max_width": "100%"}
_SLIDER_STYLE = {"description_width": "250px"}
#: a recompute at least this long (s) shows the "computing" cue the next time
SLOW_COMPUTE_S = 0.3
#: what a readout says while the model refuses the current input
NO_VALUE = "—  (no value: see the message above)"

#: Round numbers per decade of a log slider: a learner can land on 1, 1.5, 2, 2.5, 3, 4, 5 ... and
#: so on every value a text quotes (24 h, 30 days, 50 mg), which a geometric grid cannot hit.
LOG_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0)


def log_values(low: float, high: float, extra: Iterable[float] = (), *,
               integer: bool = False) -> list[float]:
    """Values of a log slider from ``low`` to ``high`` (both > 0): round mantissas of every
    decade, both ends exactly, and every value in ``extra`` (documented values and defaults)."""
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
        raise ValueError(f"log slider bounds must satisfy 0 < low < high; got low={low}, high={high}")
    values = {float(low), float(high)}
    for decade in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for m in LOG_MANTISSAS:
            v = float(f"{m}e{decade}")  # exact decimal, never 2.9999999999999996
            if low <= v <= high:
                values.add(v)
    for v in extra:
        if not low <= v <= high:
            raise ValueError(f"slider value {v} lies outside [{low}, {high}]")
        values.add(float(v))
    if integer:
        values = {float(round(v)) for v in values}
    return sorted(values)


def log_slider(description: str, value: float, low: float, high: float, *,
               fmt: str = ".3g", extra: Iterable[float] = (), integer: bool = False) -> W.SelectionSlider:
    """A slider over round values spaced roughly evenly in log from ``low`` to ``high`` (both
    > 0), for concentrations, doses and times. Its value is always one of the listed values, so
    the browser, the kernel and an exercise agree on it exactly."""
    values = log_values(low, high, (value, *extra), integer=integer)
    kind = int if integer else float
    options = [(format(v, fmt) if not integer else f"{v:.0f}", kind(v)) for v in values]
    return selection_slider(description, options, kind(round(value) if integer else value))


def selection_slider(description: str, options, value) -> W.SelectionSlider:
    """A slider over listed ``(label, value)`` options (days, named doses), course layout."""
    return W.SelectionSlider(options=options, value=value, description=description,
                             continuous_update=True, layout=W.Layout(**_SLIDER_LAYOUT),
                             style=_SLIDER_STYLE)


def float_slider(description: str, value: float, low: float, high: float, step: float, *,
                 fmt: str = ".2f") -> W.FloatSlider:
    """A bounded linear slider (the bounds are the physiological range)."""
    return W.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        readout_format=fmt, continuous_update=True,
        layout=W.Layout(**_SLIDER_LAYOUT), style=_SLIDER_STYLE,
    )


def int_slider(description: str, value: int, low: int, high: int) -> W.IntSlider:
    """A bounded integer slider."""
    return W.IntSlider(value=value, min=low, max=high, step=1, description=description,
                       continuous_update=True, layout=W.Layout(**_SLIDER_LAYOUT),
                       style=_SLIDER_STYLE)


def dropdown(description: str, options, value) -> W.Dropdown:
    """A dropdown with the course's label width."""
    return W.Dropdown(options=options, value=value, description=description,
                      layout=W.Layout(**_SLIDER_LAYOUT), style=_SLIDER_STYLE)


def readout_html(label: str, value: str) -> str:
    """HTML for one readout line: a bold label and its value (with units), kept on one line so
    the block keeps its height as values change (a long line scrolls within the block)."""
    return (f'<div class="ntx-readout" style="white-space:nowrap"><b>{html.escape(label)}</b>: '
            f"{html.escape(value)}</div>")


class ModelWidget:
    """Base class: controls -> model -> figure and readouts.

    Subclasses set ``self.controls`` (name -> widget), ``self.figure`` and ``self.readouts``
    (name -> label) in ``__init__`` before calling ``super().__init__()``, and implement
    :meth:`compute` (values -> model result, pure) and :meth:`draw` (result -> traces, called
    inside ``batch_update``) and :meth:`readout_values` (result -> name -> text).

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
    figure : naltrexone_lab.plots.style.CourseFigure
        The plotly figure, changed in place (tests read it in the kernel).
    view : naltrexone_lab.widgets.figure.FigureView
        What draws :attr:`figure` in the browser.
    readouts : dict of str to ipywidgets.HTML
    status : ipywidgets.HTML
        Empty, or the message of the last rejected input.
    summary : str
        The figure's text alternative (:func:`~naltrexone_lab.plots.describe.describe_figure`
        of what it shows now, or why it is greyed), sent to the view for screen readers.
    container : ipywidgets.Box
        What the notebook displays.
    """

    title: str = ""
    readout_labels: Mapping[str, str] = {}

    def __init__(self, controls: Mapping[str, W.ValueWidget], figure) -> None:
        self.controls = dict(controls)
        self.figure = figure
        self.readouts = {name: W.HTML() for name in self.readout_labels}
        # two lines kept for a refusal message, so it does not push the plot down
        self.status = W.HTML(layout=W.Layout(min_height="2.8em"))
        self.result = None
        self.refused = False
        self.summary = ""
        self.last_compute_s = 0.0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        # drawn before the view exists, so the view's first state already holds the data
        self.update()
        # the class names let the figure view's JavaScript give the browser what ipywidgets
        # does not: a name (with its unit) on each slider, and live regions on the readouts and
        # the status line, so a screen reader announces a change (figure_view.js, a11y)
        controls_box = W.VBox(list(self.controls.values()),
                              layout=W.Layout(flex="0 1 auto", max_width="100%"))
        controls_box.add_class("ntx-controls")
        readouts_box = W.VBox(list(self.readouts.values()),
                              layout=W.Layout(margin="0 0 0 24px", flex="1 1 320px",
                                              overflow="auto hidden", min_width="0"))
        readouts_box.add_class("ntx-readouts")
        self.status.add_class("ntx-status")
        self.container = W.VBox(
            [
                W.HBox([controls_box, readouts_box], layout=W.Layout(flex_flow="row wrap")),
                self.status,
                self.view,
            ],
            layout=W.Layout(width="100%"),
        )
        self.container.add_class("ntx-model")

    # -- subclass interface -------------------------------------------------------------------
    def compute(self, values: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def draw(self, result) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def readout_values(self, result) -> dict[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- machinery ----------------------------------------------------------------------------
    @property
    def values(self) -> dict:
        """Current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def link_controls(self, change) -> None:
        """Called before the update when a control changes; a subclass may set other controls
        here (a product that fixes the dose). Their changes cause no update of their own: the
        model is computed once, with every linked value in place."""

    def _on_change(self, change) -> None:
        if getattr(self, "_linking", False):
            return
        self._linking = True
        try:
            self.link_controls(change)
        finally:
            self._linking = False
        self.update()

    @property
    def view(self) -> FigureView:
        """The browser view of :attr:`figure` (made on first use)."""
        if getattr(self, "_view", None) is None:
            self._view = FigureView(self.figure, summary=self.summary)
        return self._view

    def update(self) -> None:
        """Recompute the model and update the figure and readouts in place."""
        slow = self.last_compute_s >= SLOW_COMPUTE_S
        if slow:
            self.status.value = ('<span style="color:var(--jp-ui-font-color2, #555)">'
                                 '&#8987; computing&#8230;</span>')
            self.view.busy = True
        start = time.perf_counter()
        try:
            result = self.compute(self.values)
        except ValueError as err:
            self.last_compute_s = time.perf_counter() - start
            self._refuse(str(err))
            return
        finally:
            if slow:
                self.view.busy = False
        self.last_compute_s = time.perf_counter() - start
        self.status.value = ""
        self.refused = False
        self.result = result
        self.draw(result)
        self._describe(describe_figure(self.figure))
        texts = self.readout_values(result)
        for name, label in self.readout_labels.items():
            self.readouts[name].value = readout_html(label, texts[name])
        if getattr(self, "_view", None) is not None:
            self._view.busy = False
            self._view.sync()

    def _refuse(self, message: str) -> None:
        """Show why the input was refused, grey the figure and blank every readout."""
        self.refused = True
        self.status.value = (f'<span style="color:var(--jp-error-color1, #D55E00)">&#9888; '
                             f'{html.escape(message)}</span>')
        for name, label in self.readout_labels.items():
            self.readouts[name].value = (f'<span style="color:var(--jp-ui-font-color2, #767676)">'
                                         f'{readout_html(label, NO_VALUE)}</span>')
        self._describe(f"The figure is greyed and shows no current value: the model refused the "
                       f"input ({message}).")
        if getattr(self, "_view", None) is not None:
            self._view.busy = True

    def _describe(self, text: str) -> None:
        self.summary = text
        if getattr(self, "_view", None) is not None:
            self._view.summary = text

    def readout_text(self, name: str) -> str:
        """Plain text of one readout (for tests and screen readers)."""
        text = self.readouts[name].value.split("</b>: ", 1)[-1]
        return html.unescape(re.sub(r"<[^>]+>", "", text))

    def _repr_mimebundle_(self, **kwargs):
        return self.container._repr_mimebundle_(**kwargs)
