"""The route table: every (endpoint) -> the outcome each role gets, and how to build its URL over
the security tests' World. The route matrix checks it; the fuzzing, export and every-page browser
tests walk it. A route that is not in EXPECTED fails tests/security/test_route_matrix.py.

Outcomes:
- OK: not refused for permission (see test_route_matrix.outcome).
- LOGIN: a 302 to the login page (`/masuk`).
- FORBIDDEN: 403.
- HIDDEN: 404 (the object exists, but this user must not even learn that).
"""

from __future__ import annotations

from flask import Flask

from lokalatih import create_app

from .fixtures import ROLES, World

OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "login", "403", "404"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
POST_NO_DATA_OK = {400, 409, 410, 422}

# (anonymous, participant, organizer of this workshop, organizer of another, reviewer, admin)
PUBLIC = (OK, OK, OK, OK, OK, OK)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
ADMIN = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
ORGANIZERS = (LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, OK)  # no workshop in the URL
MANAGERS = (LOGIN, FORBIDDEN, OK, HIDDEN, FORBIDDEN, OK)  # organizer of this workshop, admin
BANK = (LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, OK)  # reading the question bank
PARTICIPANT_ONLY = (LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN)  # the participant's own object


def url_values(world: World, endpoint: str) -> dict[str, object]:
    """Every URL parameter any route takes, filled from the world (this workshop, the participant's
    own registration, attempt, certificate…)."""
    owned = world.participant
    values: dict[str, object] = {
        "slug": world.workshop.slug,
        "session_id": world.session.id,
        "registration_id": owned.registration.id,
        "attempt_id": owned.attempt.id,
        "quiz_id": world.quiz.id,
        "question_id": world.question.id,
        "certificate_id": owned.certificate.id,
        "image_id": world.image.id,
        "user_id": owned.user.id,
        "message_id": world.message.id,
        "quota_id": world.quota.id,
        "theme_id": 1,
        "action": "naik",
        "code": "ABC123",
        "token": "bukan-token-yang-sah",
        "kind": "pre",
        "fmt": "xlsx" if endpoint == "quizzes.export_bank" else "csv",
        "province_code": "31",
        "filename": "css/app.css",
    }
    if endpoint == "certificates.verify":
        values["code"] = owned.certificate.code
    return values


REVIEWERS = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)  # across all workshops
# Certificates: the holder, the workshop's organizers and admins.
CERTIFICATE_OWNER = (LOGIN, OK, OK, HIDDEN, HIDDEN, OK)
# The reports blueprint: reviewers and admins everywhere, organizers within their own workshops.
REPORTS = (LOGIN, FORBIDDEN, OK, OK, OK, OK)

EXPECTED: dict[str, tuple[str, ...]] = {
    # main, auth, profile
    "main.home": PUBLIC,
    "main.set_language": PUBLIC,
    "main.health": PUBLIC,
    "auth.check_email": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.resend_verification": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.accept_invitation": PUBLIC,
    "auth.signup": PUBLIC,
    "auth.verify_email": PUBLIC,
    "auth.change_password": SIGNED_IN,
    # Without a half-way sign-in (password right, code due), /masuk/kode sends back to /masuk.
    "auth.login_code": SIGNED_IN,
    "auth.two_factor": SIGNED_IN,
    "auth.two_factor_disable": SIGNED_IN,
    "auth.two_factor_recovery_codes": SIGNED_IN,
    "privacy.consent": SIGNED_IN,
    "privacy.delete_account": SIGNED_IN,
    "privacy.delete_account_confirm": SIGNED_IN,  # acts on the signed-in user only
    "profile.edit": SIGNED_IN,
    "privacy.my_data": SIGNED_IN,
    "privacy.my_data_download": SIGNED_IN,
    "profile.regencies": PUBLIC,
    "privacy.withdraw_consent": SIGNED_IN,
    # admin
    "admin.audit": ADMIN,
    "admin.change_role": ADMIN,
    "admin.invite_staff": ADMIN,
    "admin.resend_verification": ADMIN,
    "admin.consent_versions": ADMIN,
    "admin.themes_list": ADMIN,
    "admin.add_theme": ADMIN,
    "admin.rename_theme": ADMIN,
    "admin.change_theme": ADMIN,
    "action_plans.plan": PARTICIPANT_ONLY,
    "action_plans.report": PARTICIPANT_ONLY,
    "action_plans.manage": MANAGERS,
    "action_plans.export": REPORTS,
    "admin.outbox": ADMIN,
    "admin.publish_consent": ADMIN,
    "admin.retry_email": ADMIN,
    "admin.users": ADMIN,
    # workshops
    "workshops.catalogue": PUBLIC,
    "workshops.detail": PUBLIC,
    "workshops.ics": PUBLIC,
    "workshops.create": ORGANIZERS,
    "workshops.manage_list": ORGANIZERS,
    "workshops.add_quota": MANAGERS,
    "workshops.add_session": MANAGERS,
    "workshops.delete_quota": MANAGERS,
    "workshops.delete_session": MANAGERS,
    "workshops.edit": MANAGERS,
    "workshops.edit_session": MANAGERS,
    "workshops.manage": MANAGERS,
    "workshops.move_session": MANAGERS,
    "workshops.transition": MANAGERS,
    # registrations
    "registrations.register": SIGNED_IN,
    "my_workshops.mine": SIGNED_IN,
    # transcripts: anyone signed in sees their own history (none for staff without workshops)
    "transcripts.history": SIGNED_IN,
    "transcripts.transcript_pdf": SIGNED_IN,
    "transcripts.transcript_xlsx": SIGNED_IN,
    "registrations.confirm_cancel": PARTICIPANT_ONLY,
    "registrations.cancel": PARTICIPANT_ONLY,
    "registrations.add_walk_in": MANAGERS,
    "registrations.approve": MANAGERS,
    "registrations.bulk_action": MANAGERS,
    "registrations.email_group": MANAGERS,
    "registrations.export": MANAGERS,
    "registrations.promote": MANAGERS,
    "registrations.registrants": MANAGERS,
    "registrations.reject": MANAGERS,
    # quizzes
    "quizzes.overview": PARTICIPANT_ONLY,
    "quizzes.start": PARTICIPANT_ONLY,
    "quizzes.attempt": PARTICIPANT_ONLY,
    "quizzes.result": PARTICIPANT_ONLY,
    "quizzes.save_answer": PARTICIPANT_ONLY,
    "quizzes.save_page": PARTICIPANT_ONLY,
    "quizzes.submit": PARTICIPANT_ONLY,
    "quizzes.add_questions": MANAGERS,
    "quizzes.draw_questions": MANAGERS,
    "quizzes.edit_questions": MANAGERS,
    "quizzes.manage": MANAGERS,
    "quizzes.results": MANAGERS,
    "quizzes.results_export": MANAGERS,
    "quizzes.all_results": REVIEWERS,
    "quizzes.all_results_export": REVIEWERS,
    "quizzes.bank": BANK,
    "quizzes.edit_question": ADMIN,
    "quizzes.export_bank": BANK,
    "quizzes.import_bank": ADMIN,
    "quizzes.import_moodle": ADMIN,
    "quizzes.confirm_moodle_import": ADMIN,
    "quizzes.clone_workshop": MANAGERS,
    "quizzes.copy_pre_test": MANAGERS,
    "quizzes.new_question": ADMIN,
    "quizzes.restore_question": ADMIN,
    "quizzes.retire_question": ADMIN,
    # attendance
    "attendance.enter_code": SIGNED_IN,
    "attendance.scan": PARTICIPANT_ONLY,  # a session says nothing to non-registrants
    "attendance.check_in": PARTICIPANT_ONLY,
    "attendance.checked_in": PARTICIPANT_ONLY,
    "attendance.personal_qr": PARTICIPANT_ONLY,
    "attendance.export": MANAGERS,
    "attendance.mark": MANAGERS,
    "attendance.report": MANAGERS,
    "attendance.roster": MANAGERS,
    "attendance.scan_batch": MANAGERS,
    "attendance.scanner": MANAGERS,
    "attendance.screen": MANAGERS,
    "attendance.screen_qr": MANAGERS,
    "attendance.screen_state": MANAGERS,
    "attendance.unmark": MANAGERS,
    # certificates
    "certificates.verify": PUBLIC,
    "certificates.verify_form": PUBLIC,
    "certificates.verify_upload": PUBLIC,
    "certificates.download": CERTIFICATE_OWNER,
    "certificates.issue": MANAGERS,
    "certificates.issue_all": MANAGERS,
    "certificates.send_all": MANAGERS,
    "certificates.resend": MANAGERS,
    "certificates.manage": MANAGERS,
    "certificates.reissue": MANAGERS,
    "certificates.revoke": MANAGERS,
    "certificates.settings": MANAGERS,
    "certificates.image": MANAGERS,  # a logo or signature preview on the settings page
    "certificates.remove_image": MANAGERS,  # confirm page (GET), then removing (POST)
    "certificates.zip": MANAGERS,
    # evaluations
    "evaluations.answer": PARTICIPANT_ONLY,
    "evaluations.manage": MANAGERS,
    "evaluations.save_window": MANAGERS,
    "evaluations.add_item": MANAGERS,
    "evaluations.delete_item": MANAGERS,
    "evaluations.results_page": MANAGERS,
    "evaluations.export": MANAGERS,
    # reports
    "reports.dashboard": REPORTS,
    "reports.export": REPORTS,
    "reports.export_pdf": REPORTS,
    "reports.workshops": REPORTS,
    "reports.export_csv": REPORTS,
}


def _routes() -> list[tuple[str, str, str]]:
    # The URL map does not depend on configuration: an app that never opens its database lists it.
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    return sorted(
        {
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - SKIPPED_METHODS
        }
    )


ROUTES = _routes()


def build_url(app: Flask, world: World, endpoint: str, rule: str) -> str:
    matching = next(r for r in app.url_map.iter_rules(endpoint) if r.rule == rule)
    values = {k: v for k, v in url_values(world, endpoint).items() if k in matching.arguments}
    return matching.build(values, append_unknown=False)[1]


def allowed_roles(endpoint: str) -> list[str]:
    """The roles the table lets use `endpoint`."""
    return [role for role, outcome in zip(ROLES, EXPECTED[endpoint], strict=True) if outcome == OK]
