"""Why an action-plan action was refused: each error has a code and a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import LokalatihError


class ActionPlanError(LokalatihError):
    code = "action_plan"


class PlanNotOpenError(ActionPlanError):
    code = "plan_not_open"
    message = _l("Rencana aksi dapat ditulis sejak sesi terakhir dimulai sampai tindak lanjut.")


class NoActionError(ActionPlanError):
    code = "no_action"
    message = _l("Tulis paling sedikit satu aksi.")
    field = "action_1"


class FollowUpNotDueError(ActionPlanError):
    code = "follow_up_not_due"
    message = _l("Tindak lanjut belum dibuka untuk rencana aksi ini.")


class NothingToReportError(ActionPlanError):
    code = "nothing_to_report"
    message = _l("Belum ada rencana aksi untuk dilaporkan.")
