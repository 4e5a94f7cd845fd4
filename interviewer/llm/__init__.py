"""Models: one small protocol, and the implementations that speak it (offline first)."""

from interviewer.llm.base import Message, Model, ModelError, ReplyRequest
from interviewer.llm.offline import OfflineModel

__all__ = ["Message", "Model", "ModelError", "OfflineModel", "ReplyRequest"]
