from outreach.models.certificates import Certificate
from outreach.models.events import Audience, Campaign, Event, EventSession, ReachEntry
from outreach.models.feedback import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    Survey,
    SurveyQuestion,
)
from outreach.models.recaps import EventRecap, EventRecapPhoto
from outreach.models.registrations import Registration, new_registration_code
from outreach.models.speakers import LectureRequest, LectureTopic, SpeakerTeam
from outreach.models.venues import Venue, VenuePhoto

__all__ = [
    "Audience",
    "Campaign",
    "Certificate",
    "Event",
    "EventRecap",
    "EventRecapPhoto",
    "EventSession",
    "FeedbackAnswer",
    "FeedbackInvitation",
    "FeedbackResponse",
    "LectureRequest",
    "LectureTopic",
    "ReachEntry",
    "Registration",
    "SpeakerTeam",
    "Survey",
    "SurveyQuestion",
    "Venue",
    "VenuePhoto",
    "new_registration_code",
]
