"""Helpers shared by the event tests: a config, a settable clock, counting ids."""

import pytest
from event_helpers import FakeClock

from gestcore.events import AppConfig


@pytest.fixture
def config() -> AppConfig:
    return AppConfig(
        pid=8,
        uid="ac1529a7-59f6-49d9-b254-6f0a22f57284",
        dt=4,
        os="17.5",
        l="en_US",
        tz="Europe/Paris",
        an="ShopApp",
        st="sdk-ios",
        sf="release",
        d=3.0,
        batch_size=5,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
