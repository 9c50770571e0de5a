"""Workflow Builder custom steps (the manifest's functions)."""

from __future__ import annotations

from ...service.steps import StepFunction
from ..registrar import Registrar
from .steps import conference_step, place_call_step


def register(app: Registrar) -> None:
    app.function(StepFunction.CALL)(place_call_step)
    app.function(StepFunction.CONFERENCE)(conference_step)
