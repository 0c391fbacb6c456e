"""Weekly reps, volume and seconds held per exercise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from voicecoach.log.stats import draw_png, load_kg, terminal_chart, weekly

ROWS = [
    ("Deadlifts", "2026-11-16T08:00:00+00:00", 5, "100 kg", 0.0),
    ("Deadlifts", "2026-11-18T08:00:00+00:00", 5, "100 kg", 0.0),
    ("Deadlifts", "2026-11-24T08:00:00+00:00", 5, "220 lb", 0.0),
    ("Plank", "2026-11-17T08:10:00+00:00", 0, None, 45.0),
    ("Plank", "2026-11-24T08:10:00+00:00", 0, None, 60.0),
    ("Plank", "2026-11-24T08:12:00+00:00", 0, None, 30.0),
    ("Deadlifts", "2025-01-01T08:00:00+00:00", 5, "100 kg", 0.0),
]


def test_weeks_start_on_monday_and_old_sets_fall_outside() -> None:
    table = weekly(ROWS, weeks=2, today=date(2026, 11, 25))
    dl = table["Deadlifts"]
    assert [w.start for w in dl] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert [w.reps for w in dl] == [10, 5]
    assert dl[0].volume_kg == 1000 and round(dl[1].volume_kg) == round(5 * 220 * 0.45359237)


def test_loads_in_pounds_count_in_kilograms() -> None:
    assert round(load_kg("135 lb"), 2) == 61.23 and load_kg("bodyweight") == 0.0


def test_the_terminal_chart_has_a_bar_per_week() -> None:
    chart = terminal_chart(weekly(ROWS, weeks=2, today=date(2026, 11, 25)))
    lines = chart.splitlines()
    assert lines[0] == "Deadlifts" and "10 reps  1,000 kg" in lines[1] and lines[1].count("▇") == 40


def test_holds_are_charted_in_seconds_held() -> None:
    table = weekly(ROWS, weeks=2, today=date(2026, 11, 25))
    assert [w.held_s for w in table["Plank"]] == [45.0, 90.0]
    lines = terminal_chart(table).splitlines()
    plank = lines[lines.index("Plank") + 1:]
    assert plank[0].endswith("45 s held") and plank[1].endswith("1:30 held") and plank[1].count("▇") == 40


def test_the_png_is_an_image(tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    draw_png(weekly(ROWS, weeks=4, today=date(2026, 11, 25)), out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.png"]


def test_the_png_chart_counts_whole_reps_and_names_its_bars_and_line() -> None:
    import matplotlib.pyplot as plt

    from voicecoach.log.stats import chart_figure
    few = [("Chin-ups", "2026-11-16T08:00:00+00:00", 2, "10 kg", 0.0),
           ("Chin-ups", "2026-11-24T08:00:00+00:00", 3, "10 kg", 0.0)]
    fig = chart_figure(weekly(few, weeks=2, today=date(2026, 11, 25)))
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(t == int(t) for t in ticks), ticks
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["reps", "volume (kg)"]
    plt.close(fig)
