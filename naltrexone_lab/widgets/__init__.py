"""Interactive models: ipywidgets controls wired to a model and a plotly FigureWidget."""

from .antagonism import (
    CurveShiftWidget,
    EfficacyWidget,
    KiVersusPA2Widget,
    OccupancyWidget,
    SchildWidget,
    SelectivityWidget,
    SetupCheckWidget,
)
from .base import ModelWidget

__all__ = [
    "CurveShiftWidget",
    "EfficacyWidget",
    "KiVersusPA2Widget",
    "ModelWidget",
    "OccupancyWidget",
    "SchildWidget",
    "SelectivityWidget",
    "SetupCheckWidget",
]
