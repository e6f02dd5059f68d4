"""The one pattern every interactive model follows.

A :class:`ModelWidget` owns named ipywidgets controls, a plotly ``FigureWidget`` and named
readouts. Any control change calls :meth:`ModelWidget.update`, which asks the subclass to
compute the model (``compute``) and then to write the result into the *existing* figure inside
``fig.batch_update()`` (``draw``), so the browser receives one message per change and never a new
figure. If the model rejects a combination of values with ``ValueError`` the message is shown in a
status line and the figure keeps its last valid state: a learner never sees a traceback.

Tests drive a widget exactly as a learner does: ``w.controls["name"].value = x`` then read
``w.figure`` and ``w.readouts``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import ipywidgets as W

__all__ = ["ModelWidget", "dropdown", "float_slider", "int_slider", "log_slider", "readout_html"]

_SLIDER_LAYOUT = {"width": "460px"}
_SLIDER_STYLE = {"description_width": "190px"}


def log_slider(description: str, value: float, low: float, high: float, *,
               steps_per_decade: int = 20, fmt: str = ".3g") -> W.FloatLogSlider:
    """A base-10 log slider spanning ``low`` to ``high`` (both > 0), for concentrations."""
    if not 0 < low < high:
        raise ValueError(f"log slider bounds must satisfy 0 < low < high; got low={low}, high={high}")
    lo, hi = math.log10(low), math.log10(high)
    return W.FloatLogSlider(
        value=value, base=10, min=lo, max=hi, step=1.0 / steps_per_decade,
        description=description, readout_format=fmt, continuous_update=True,
        layout=W.Layout(**_SLIDER_LAYOUT), style=_SLIDER_STYLE,
    )


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
                      layout=W.Layout(width="460px"), style=_SLIDER_STYLE)


def readout_html(label: str, value: str) -> str:
    """HTML for one readout line: a bold label and its value (with units)."""
    return f"<b>{html.escape(label)}</b>: {html.escape(value)}"


class ModelWidget:
    """Base class: controls -> model -> figure and readouts.

    Subclasses set ``self.controls`` (name -> widget), ``self.figure`` and ``self.readouts``
    (name -> label) in ``__init__`` before calling ``super().__init__()``, and implement
    :meth:`compute` (values -> model result, pure) and :meth:`draw` (result -> traces, called
    inside ``batch_update``) and :meth:`readout_values` (result -> name -> text).

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
    figure : plotly.graph_objects.FigureWidget
    readouts : dict of str to ipywidgets.HTML
    status : ipywidgets.HTML
        Empty, or the message of the last rejected input.
    container : ipywidgets.Box
        What the notebook displays.
    """

    title: str = ""
    readout_labels: Mapping[str, str] = {}

    def __init__(self, controls: Mapping[str, W.ValueWidget], figure) -> None:
        self.controls = dict(controls)
        self.figure = figure
        self.readouts = {name: W.HTML() for name in self.readout_labels}
        self.status = W.HTML(layout=W.Layout(min_height="1.4em"))
        self.result = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.container = W.VBox(
            [
                W.HBox([W.VBox(list(self.controls.values()),
                               layout=W.Layout(min_width="480px", flex="0 0 auto")),
                        W.VBox(list(self.readouts.values()),
                               layout=W.Layout(margin="0 0 0 24px", flex="1 1 auto"))],
                       layout=W.Layout(flex_flow="row wrap")),
                self.status,
                self.figure,
            ]
        )
        self.update()

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

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the model and update the figure and readouts in place."""
        try:
            result = self.compute(self.values)
        except ValueError as err:
            self.status.value = f'<span style="color:#D55E00">&#9888; {html.escape(str(err))}</span>'
            return
        self.status.value = ""
        self.result = result
        with self.figure.batch_update():
            self.draw(result)
        texts = self.readout_values(result)
        for name, label in self.readout_labels.items():
            self.readouts[name].value = readout_html(label, texts[name])

    def readout_text(self, name: str) -> str:
        """Plain text of one readout (for tests and screen readers)."""
        return html.unescape(self.readouts[name].value.split("</b>: ", 1)[-1])

    def _repr_mimebundle_(self, **kwargs):
        return self.container._repr_mimebundle_(**kwargs)
