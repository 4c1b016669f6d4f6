import pytest

from .factories import FUEL_POVERTY, FUEL_POVERTY_2, YOUTH, YOUTH_2, local_group


@pytest.fixture
def rural_fuel_poverty(db):
    return local_group(
        kind="rural", decile=2, population=4000, challenge="fuel-poverty", tags=["draught-proofing"], text=FUEL_POVERTY
    )


@pytest.fixture
def rural_fuel_poverty_peer(db):
    return local_group(
        kind="rural",
        decile=3,
        population=6500,
        challenge="fuel-poverty",
        tags=["draught-proofing"],
        text=FUEL_POVERTY_2,
    )


@pytest.fixture
def urban_youth(db):
    return local_group(
        kind="urban", decile=8, population=250_000, region="london", challenge="youth", tags=["youth-club"], text=YOUTH
    )


@pytest.fixture
def urban_youth_peer(db):
    return local_group(
        kind="urban",
        decile=7,
        population=180_000,
        region="london",
        challenge="youth",
        tags=["youth-club"],
        text=YOUTH_2,
    )
