"""Sample rows for the scoping walk (tests/test_scoping.py): every model a route reaches has some.

Each app's ``tests/<app>/samples.py`` registers one function per model::

    @sample(Plaque)
    def plaques(world):
        return [Plaque.objects.create(zone=world.zone, ...), Plaque.objects.create(zone=world.other_zone, ...)]

returning the rows it made (or found in the world): at least one in ``world.zone`` and one in
``world.other_zone``; rows in several units of the zone let the walk see a leak between units. The walk fails for
a model reachable by a route that has no sample function, or whose rows miss either zone.
"""

import importlib
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SAMPLES: dict = {}  # model class -> function(world) -> list of rows


def sample(model):
    def register(fn):
        if model in SAMPLES and SAMPLES[model] is not fn:
            raise RuntimeError(f"two sample functions for {model._meta.label}: {SAMPLES[model].__module__} and "
                               f"{fn.__module__}")
        SAMPLES[model] = fn
        return fn

    return register


def collect():
    """Import every ``tests/<app>/samples.py`` (they register on import); returns the registry."""
    for path in sorted(TESTS.glob("*/samples.py")):
        importlib.import_module(f"tests.{path.parent.name}.samples")
    return SAMPLES


def build(world) -> dict:
    """Run every sample function once: {model: [rows]}."""
    return {model: list(fn(world)) for model, fn in collect().items()}
