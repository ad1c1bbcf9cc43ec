"""The app's models live in their procedure's package; importing them here registers them with Django."""

from .calls.models import (  # noqa: F401
    ApplicantAccess, Application, ApplicationFile, CallCriterion, CallIndexPage, CallPage, Instalment,
    InstructorNote, Milestone, Review, Score,
)
from .permits.models import (  # noqa: F401
    Charter, Commune, GreeningCampaignPage, PermitRequest, ReferenceCounter, RequestEvent, RequestPhoto,
    ServiceOpinion, SupportType,
)
