"""All models, importable from one place: `from lokalatih.models import User`."""

from .audit import AuditEvent
from .base import UTCDateTime, utcnow
from .consent import REQUIRED_PURPOSES, ConsentPurpose, ConsentRecord, ConsentVersion
from .outbox import OutboxMessage, OutboxStatus
from .region import Region, RegionLevel
from .user import Gender, InstitutionType, LoginSession, Profile, Role, User

__all__ = [
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
