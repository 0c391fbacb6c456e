"""Plate math: a computed load becomes one the lifter's own bar and plates make, never a unit mixed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecoach.plan.plates import BARBELL_KG, BARBELL_LB, Equipment, convert, load_for, loadable
from voicecoach.plan.wording import say_plates


def test_the_default_kilogram_bar_loads_like_a_spotter_would() -> None:
    assert load_for(102.5, BARBELL_KG) == (102.5, "kg", (25.0, 15.0, 1.25))
    assert load_for(140, BARBELL_KG) == (140.0, "kg", (25.0, 25.0, 10.0))
    assert load_for(20, BARBELL_KG) == (20.0, "kg", ())
    assert load_for(101.0, BARBELL_KG) == (100.0, "kg", (25.0, 15.0))       # 1 under a step of 2.5: down
    assert load_for(101.25, BARBELL_KG) == (100.0, "kg", (25.0, 15.0))      # a tie goes down
    assert load_for(101.25, BARBELL_KG, "up") == (102.5, "kg", (25.0, 15.0, 1.25))
    assert load_for(102.4, BARBELL_KG, "down") == (100.0, "kg", (25.0, 15.0))
    assert load_for(10, BARBELL_KG) == (20.0, "kg", ())                    # the empty bar is the least
    assert load_for(2000, BARBELL_KG).total == 20 + 2 * (8 * 25 + 2 * (20 + 15 + 10 + 5 + 2.5 + 1.25))


def test_the_default_pound_bar() -> None:
    assert load_for(225, BARBELL_LB) == (225.0, "lb", (45.0, 45.0))
    assert load_for(137, BARBELL_LB) == (135.0, "lb", (45.0,))
    assert load_for(138, BARBELL_LB) == (140.0, "lb", (45.0, 2.5))


def test_fewest_plates_then_the_heaviest_first() -> None:
    own = Equipment("kg", 20.0, ((20.0, 2), (15.0, 2), (10.0, 2), (5.0, 2)))
    assert load_for(70, own).per_side == (20.0, 5.0)         # not 15 + 10
    assert load_for(60, own).per_side == (20.0,)
    assert load_for(80, own).per_side == (20.0, 10.0)        # not 15 + 15


def test_too_few_plates_are_seen_not_greedy() -> None:
    own = Equipment("kg", 20.0, ((15.0, 1), (10.0, 2)))
    assert load_for(60, own) == (60.0, "kg", (10.0, 10.0))   # greedy would take 15 and stop at 50
    assert load_for(90, own) == (90.0, "kg", (15.0, 10.0, 10.0))


def test_fixed_weights_take_the_nearest_that_exists() -> None:
    bells = Equipment("kg", fixed=(8.0, 12.0, 16.0, 20.0, 24.0))
    assert load_for(17, bells) == (16.0, "kg", ())
    assert load_for(18, bells) == (16.0, "kg", ())    # a tie goes down
    assert load_for(18, bells, "up") == (20.0, "kg", ())
    assert load_for(4, bells, "down") == (8.0, "kg", ())


def test_said_as_a_spotter_says_it() -> None:
    assert say_plates((25.0, 15.0, 1.25)) == "a 25, a 15 and a 1.25 each side"
    assert say_plates((20.0, 20.0)) == "two 20s each side"
    assert say_plates((25.0, 25.0, 25.0, 10.0, 2.5)) == "three 25s, a 10 and a 2.5 each side"
    assert say_plates((45.0,)) == "a 45 each side"
    assert say_plates(()) == "just the bar"


def test_units_convert_once() -> None:
    assert convert(100, "lb", "kg") == pytest.approx(45.359237)
    assert convert(100, "kg", "lb") == pytest.approx(220.462262)
    assert convert(60, "kg", "kg") == 60


plate_sets = st.lists(st.tuples(st.sampled_from([0.5, 1.25, 2.5, 5.0, 10.0, 15.0, 20.0, 25.0, 35.0, 45.0]),
                                st.integers(1, 4)), min_size=1, max_size=6, unique_by=lambda p: p[0])


@settings(max_examples=300, deadline=None)
@given(pairs=plate_sets, bar=st.sampled_from([0.0, 15.0, 20.0, 45.0]), unit=st.sampled_from(["kg", "lb"]),
       target=st.floats(0, 400, allow_nan=False), rounding=st.sampled_from(["down", "nearest", "up"]))
def test_the_load_chosen_is_loadable_and_none_is_nearer_by_the_rule(pairs: list[tuple[float, int]], bar: float,
                                                                    unit: str, target: float,
                                                                    rounding: str) -> None:
    own = Equipment(unit, bar, tuple(sorted(pairs, reverse=True)))
    got = load_for(target, own, rounding)
    assert got.unit == unit
    assert got.total == pytest.approx(bar + 2 * sum(got.per_side))
    owned = dict(pairs)
    assert all(got.per_side.count(w) <= owned[w] for w in set(got.per_side))
    assert list(got.per_side) == sorted(got.per_side, reverse=True)
    # every total made by brute force over the plates owned
    totals = {0.0}
    for w, n in pairs:
        totals = {t + k * w for t in totals for k in range(n + 1)}
    made = sorted({round(bar + 2 * t, 6) for t in totals})
    assert made == pytest.approx(loadable(own))
    target = round(target, 3)   # a target is taken to the thousandth (140 x 0.65 = 91.00000000000001 is 91)
    below = [m for m in made if m <= target + 1e-9]
    above = [m for m in made if m >= target - 1e-9]
    if rounding == "down":
        assert got.total == pytest.approx(below[-1] if below else made[0])
    elif rounding == "up":
        assert got.total == pytest.approx(above[0] if above else made[-1])
    else:
        assert all(abs(got.total - target) <= abs(m - target) + 1e-9 for m in made)
        if below and above and abs(below[-1] - target) == pytest.approx(abs(above[0] - target)):
            assert got.total == pytest.approx(below[-1])
