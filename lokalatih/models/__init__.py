"""All models, importable from one place: `from lokalatih.models import User`."""

from .audit import AuditEvent
from .base import UTCDateTime, utcnow
from .consent import REQUIRED_PURPOSES, ConsentPurpose, ConsentRecord, ConsentVersion
from .outbox import OutboxMessage, OutboxStatus
from .region import Region, RegionLevel
from .registration import ACTIVE_STATUSES, Registration, RegistrationStatus
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
    "ACTIVE_STATUSES",
    "Quota",
    "QuotaKind",
    "Registration",
    "RegistrationStatus",
    "Workshop",
    "WorkshopMode",
    "WorkshopSession",
    "WorkshopStatus",
    "WorkshopTimezone",
    "WorkshopTopic",
    "workshop_organizers",
    "REQUIRED_PURPOSES",
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
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
