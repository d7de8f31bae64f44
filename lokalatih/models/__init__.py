"""All models, importable from one place: `from lokalatih.models import User`."""

from .action_plan import ActionPlanItem, ActionStatus
from .attendance import Certificate, CheckIn, CheckInMethod
from .audit import AuditEvent
from .base import UTCDateTime, utcnow
from .certificate_image import CertificateImage, ImageKind
from .consent import (
    REQUIRED_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    has_current_consent_expression,
)
from .evaluation import (
    EvaluationItem,
    EvaluationItemKind,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from .outbox import OutboxMessage, OutboxStatus
from .quiz import (
    Answer,
    Attempt,
    AttemptClosedBy,
    AttemptThemeScore,
    AttemptTopicScore,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    RegistrationTopicScore,
    question_text_key,
)
from .region import Region, RegionLevel
from .registration import ACTIVE_STATUSES, Registration, RegistrationStatus
from .scheduler import SchedulerLease
from .theme import Theme, question_themes, session_themes, workshop_themes
from .twofactor import RecoveryCode
from .user import Gender, InstitutionType, LoginSession, Profile, Role, User
from .workshop import (
    Quota,
    QuotaKind,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
    workshop_organizers,
)

__all__ = [
    "ActionPlanItem",
    "ActionStatus",
    "Theme",
    "question_themes",
    "session_themes",
    "workshop_themes",
    "Answer",
    "Attempt",
    "AttemptClosedBy",
    "AttemptThemeScore",
    "AttemptTopicScore",
    "Certificate",
    "CertificateImage",
    "ImageKind",
    "CheckIn",
    "CheckInMethod",
    "EvaluationItem",
    "EvaluationItemKind",
    "EvaluationResponse",
    "EvaluationSettings",
    "EvaluationSubmission",
    "Question",
    "QuestionKind",
    "Quiz",
    "QuizKind",
    "QuizQuestion",
    "ACTIVE_STATUSES",
    "Quota",
    "QuotaKind",
    "Registration",
    "RegistrationStatus",
    "RegistrationTopicScore",
    "question_text_key",
    "Workshop",
    "WorkshopMode",
    "WorkshopSession",
    "WorkshopStatus",
    "WorkshopTimezone",
    "WorkshopTopic",
    "workshop_organizers",
    "REQUIRED_PURPOSES",
    "has_current_consent_expression",
    "AuditEvent",
    "ConsentPurpose",
    "ConsentRecord",
    "ConsentVersion",
    "Gender",
    "InstitutionType",
    "LoginSession",
    "OutboxMessage",
    "OutboxStatus",
    "Profile",
    "Region",
    "RegionLevel",
    "RecoveryCode",
    "SchedulerLease",
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
