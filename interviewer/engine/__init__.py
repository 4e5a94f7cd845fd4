"""The interview engine: phases, the clock, the director's policy. It never imports Textual."""

from interviewer.engine.clock import Clock, Countdown, FakeClock, PauseRefused, SystemClock
from interviewer.engine.interview import (
    CandidateSaved,
    Event,
    Interview,
    InterviewEnded,
    InterviewError,
    ReplyChunk,
    ReplyFinished,
    ReplyStarted,
)
from interviewer.engine.policy import FollowUpPolicy, InterviewState
from interviewer.engine.regrade import regrade_session

__all__ = [
    "CandidateSaved",
    "Clock",
    "Countdown",
    "Event",
    "FakeClock",
    "FollowUpPolicy",
    "Interview",
    "InterviewEnded",
    "InterviewError",
    "InterviewState",
    "PauseRefused",
    "ReplyChunk",
    "ReplyFinished",
    "ReplyStarted",
    "regrade_session",
    "SystemClock",
]
