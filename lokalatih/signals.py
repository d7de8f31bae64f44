"""Events a lower feature announces so that a higher one can react, in the same transaction.

Features import each other in one direction only (docs/ARCHITECTURE.md): a lower feature never
calls up. Where a change in a lower feature must set off a higher feature's work, the lower one
sends a signal here and the higher one connects its receiver in its `receivers.py`, which
create_app loads. Receivers run at once, inside the sender's transaction, so the caller's one
commit keeps both changes (or neither). tests/test_architecture.py checks that every signal has a
receiver once the app is built.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent by workshops.services.update_workshop with the workshop, under its seat lock, after the
# capacity went up. Registrations give the new seats to the waitlist.
capacity_grew = _signals.signal("capacity-grew")

# Sent by privacy.erasure.erase_account with the user being erased, after their personal data is
# gone. Registrations cancel the ones of workshops not yet started and return how many.
account_erasing = _signals.signal("account-erasing")

# Sent by workshops.agenda.update_session with the session (and `changed`, the names of the
# fields that changed) after a change participants' calendars show, its SEQUENCE already raised.
# Registrations email each confirmed participant the change with the updated .ics.
session_changed = _signals.signal("session-changed")

ALL = (capacity_grew, account_erasing, session_changed)
