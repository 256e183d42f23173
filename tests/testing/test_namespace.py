"""``gestcore.testing`` lists its strategies without importing hypothesis; the list must
stay the strategies module's own."""

import importlib

import gestcore.testing
from gestcore.testing import strategies


def test_lazy_strategy_names_are_the_strategies_modules_public_names():
    assert sorted(gestcore.testing._STRATEGIES) == sorted(strategies.__all__)
    assert set(strategies.__all__) <= set(gestcore.testing.__all__)


def test_every_listed_name_is_its_modules_object():
    for name in gestcore.testing.__all__:
        value = getattr(gestcore.testing, name)
        home = getattr(value, "__module__", "")
        if home.startswith("gestcore.testing."):
            assert getattr(importlib.import_module(home), name) is value
