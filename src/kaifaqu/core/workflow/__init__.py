"""Workflows: a module declares its state table and who may act; ``perform`` runs an action in one transaction."""

from .engine import REGISTRY, Action, Choice, Workflow, get, perform  # noqa: F401
from .models import ProcessEvent  # noqa: F401
