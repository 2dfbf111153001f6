"""The 科协帮 models, one module per subdomain."""

from experts.models.achievements import Achievement, AchievementInterest
from experts.models.applications import ExpertApplication
from experts.models.engagements import Engagement, Rating, ServiceLogEntry
from experts.models.matching import RecommendationEvent
from experts.models.needs import (
    ConfidentialityAgreement,
    Invitation,
    NeedAttachment,
    NeedRecommendation,
    NeedTransition,
    TechNeed,
)
from experts.models.parties import Enterprise, Expert
from experts.models.responses import Response, ResponseMessage
from experts.models.taxonomy import Discipline, Keyword
from experts.models.workstations import Workstation, WorkstationReview

__all__ = [
    "Achievement",
    "AchievementInterest",
    "ConfidentialityAgreement",
    "Discipline",
    "Engagement",
    "Enterprise",
    "Expert",
    "ExpertApplication",
    "Invitation",
    "Keyword",
    "NeedAttachment",
    "NeedRecommendation",
    "NeedTransition",
    "Rating",
    "RecommendationEvent",
    "Response",
    "ResponseMessage",
    "ServiceLogEntry",
    "TechNeed",
    "Workstation",
    "WorkstationReview",
]
