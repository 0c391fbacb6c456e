"""What a media player shows of the session (MPRIS2's properties), read from the screen's View."""

from __future__ import annotations

from conftest import fake_speech_s, routine_from

from voicecoach.desktop.mpris import media_state, metadata, player_properties, root_properties
from voicecoach.plan.timeline import Phase, build_timeline
from voicecoach.session.view import describe

TL = build_timeline(routine_from("""
    name: Legs day
    exercises:
      - {name: Squats, sets: 3, reps: 5, tempo: 1-0-1-0, rest: 30s}
"""), fake_speech_s)


def at(phase: Phase, nth: int) -> int:
    return [s for s in TL.segments if s.phase is phase][nth].start_frame + 4800


def test_the_title_is_the_exercise_and_its_set_and_in_a_rest_the_next_one() -> None:
    in_set = media_state(describe(TL, at(Phase.WORK, 1)))
    assert (in_set.title, in_set.album, in_set.status) == ("Squats, set 2 of 3", "Legs day", "Playing")
    assert media_state(describe(TL, at(Phase.REST, 0))).title == "Squats, set 2 of 3"
    assert media_state(describe(TL, at(Phase.REST, 1))).title == "Squats, last set"


def test_each_set_is_its_own_track_outside_org_mpris() -> None:
    tracks = [media_state(describe(TL, at(Phase.WORK, n))).track for n in range(3)]
    assert tracks == ["/org/voicecoach/set/0", "/org/voicecoach/set/1", "/org/voicecoach/set/2"]


def test_position_and_length_are_the_sessions_in_microseconds() -> None:
    frame = at(Phase.WORK, 1)
    state = media_state(describe(TL, frame))
    assert state.position_us == round(frame / 48_000 * 1e6)
    assert state.length_us == round(TL.total_frames / 48_000 * 1e6)


def test_every_required_property_is_there_with_its_dbus_type() -> None:
    root = root_properties()
    assert root["Identity"] == ("s", "voicecoach")
    assert {"CanQuit", "CanRaise", "HasTrackList", "SupportedUriSchemes", "SupportedMimeTypes"} <= set(root)
    player = player_properties(media_state(describe(TL, at(Phase.WORK, 0))))
    assert {k: player[k] for k in ("Rate", "MinimumRate", "MaximumRate")} == {k: ("d", 1.0) for k in
                                                                             ("Rate", "MinimumRate", "MaximumRate")}
    assert all(player[k] == ("b", True) for k in ("CanControl", "CanPlay", "CanPause", "CanGoNext", "CanGoPrevious"))
    assert player["CanSeek"] == ("b", False) and player["PlaybackStatus"] == ("s", "Playing")
    meta = metadata(media_state(describe(TL, at(Phase.WORK, 0))))
    assert meta["mpris:trackid"][0] == "o" and meta["xesam:artist"] == ("as", ["voicecoach"])
    assert meta["mpris:length"][0] == "x"
