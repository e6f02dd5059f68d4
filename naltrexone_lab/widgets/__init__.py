"""Interactive models: ipywidgets controls wired to a model and a plotly FigureWidget."""

from .adaptation import RegulationWidget, SurgeCrashWidget
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
from .evidence import PrecipitatedWithdrawalWidget, TrialSizeWidget
from .glia import MicrogliaWidget, TLR4GapWidget
from .learning import AlcoholDopamineWidget, CravingLearningWidget
from .mesolimbic import BrakeCircuitWidget, OpioidChallengeWidget
from .pk import DoseOccupancyWidget, HalfLifeWidget, RegimenExplorerWidget, TransientBlockadeWidget
from .rebound import ReboundMapWidget, TransientBlockadeReboundWidget

__all__ = [
    "AlcoholDopamineWidget",
    "CravingLearningWidget",
    "BrakeCircuitWidget",
    "OpioidChallengeWidget",
    "PrecipitatedWithdrawalWidget",
    "ReboundMapWidget",
    "RegulationWidget",
    "SurgeCrashWidget",
    "TLR4GapWidget",
    "CurveShiftWidget",
    "DoseOccupancyWidget",
    "HalfLifeWidget",
    "RegimenExplorerWidget",
    "EfficacyWidget",
    "KiVersusPA2Widget",
    "MicrogliaWidget",
    "ModelWidget",
    "OccupancyWidget",
    "SchildWidget",
    "SelectivityWidget",
    "SetupCheckWidget",
    "TransientBlockadeReboundWidget",
    "TrialSizeWidget",
    "TransientBlockadeWidget",
]
