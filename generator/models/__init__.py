"""Typed models of the four record kinds, exactly as the record format names them."""

from pydantic import BaseModel

from generator.models.achievement import Achievement
from generator.models.institution import Institution
from generator.models.notice import Notice
from generator.models.policy import Policy

RECORD_MODELS: dict[str, type[BaseModel]] = {
    "policy": Policy,
    "institution": Institution,
    "achievement": Achievement,
    "notice": Notice,
}

__all__ = ["RECORD_MODELS", "Achievement", "Institution", "Notice", "Policy"]
