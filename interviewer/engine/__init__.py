"""The interview engine: phases, the clock, the director's policy. It never imports Textual or the store."""

from interviewer.engine.clock import Clock, FakeClock, PauseRefused, SystemClock, Timekeeper
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
from interviewer.engine.port import SessionStore

__all__ = [
    "CandidateSaved",
    "Clock",
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
    "SessionStore",
    "SystemClock",
    "Timekeeper",
]
