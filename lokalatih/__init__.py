"""lokalatih: human-rights training workshops from registration to certificate."""

from __future__ import annotations

import logging

from flask import Flask

from config import BASE_DIR, CONFIGS, Config


def create_app(config: str | type[Config] | None = None, **overrides) -> Flask:
    """Build the application. Never migrates, never calls the network, never starts jobs."""
    import os

    config_class = _config_class(config or os.environ.get("LOKALATIH_CONFIG", "development"))
    startup_settings = config_class.check() if hasattr(config_class, "check") else {}
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(config_class.INSTANCE_DIR),
    )
    app.config.from_object(config_class)
    app.config.update(startup_settings)
    app.config.update(overrides)
    if hops := app.config.get("TRUSTED_PROXY_HOPS", 0):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("lokalatih").setLevel(logging.INFO)

    from .web import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    _init_extensions(app)
    _register_blueprints(app)
    _connect_receivers()
    _register_attachment_sources(app)

    from . import cli, compression, unit_of_work, web

    compression.init_app(app)  # first: it runs after every other after_request function
    web.init_app(app)
    unit_of_work.init_app(app)
    cli.init_app(app)
    return app


def _config_class(config: str | type[Config]) -> type[Config]:
    if isinstance(config, str):
        try:
            return CONFIGS[config]
        except KeyError:
            raise RuntimeError(f"unknown configuration {config!r}") from None
    return config


def _init_extensions(app: Flask) -> None:
    from . import i18n
    from .auth.sessions import load_user
    from .database_health import ping_idle_connections
    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from .models import sqlite_pragmas  # noqa: F401  (registers the SQLite connect hook)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_REQUIRED_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    """Load every feature's views onto its blueprint, then register the blueprints.

    The routes are imported here and nowhere else: a feature's package and services never load
    views (tests/test_architecture.py checks it), so features can import each other's services
    without dragging in pages.
    """
    from .action_plans import routes as action_plans_routes  # noqa: F401
    from .action_plans.blueprint import bp as action_plans_bp
    from .admin import audit_routes, consent_routes, theme_routes  # noqa: F401
    from .admin import routes as admin_routes  # noqa: F401
    from .admin.blueprint import bp as admin_bp
    from .attendance import routes as attendance_routes  # noqa: F401
    from .attendance import screen_routes  # noqa: F401
    from .attendance.blueprint import bp as attendance_bp
    from .auth import routes as auth_routes  # noqa: F401
    from .auth import twofactor_routes  # noqa: F401
    from .auth.blueprint import bp as auth_bp
    from .certificates import branding_routes, mailing_routes  # noqa: F401
    from .certificates import routes as certificates_routes  # noqa: F401
    from .certificates.blueprint import bp as certificates_bp
    from .evaluations import routes as evaluations_routes  # noqa: F401
    from .evaluations.blueprint import bp as evaluations_bp
    from .main import health  # noqa: F401
    from .main import routes as main_routes  # noqa: F401
    from .main.blueprint import bp as main_bp
    from .my_workshops import routes as my_workshops_routes  # noqa: F401
    from .my_workshops.blueprint import bp as my_workshops_bp
    from .privacy import erasure_routes, mydata_routes  # noqa: F401
    from .privacy import routes as privacy_routes  # noqa: F401
    from .privacy.blueprint import bp as privacy_bp
    from .profile import routes as profile_routes  # noqa: F401
    from .profile.blueprint import bp as profile_bp
    from .quizzes import bank_routes, cloning_routes, moodle_routes  # noqa: F401
    from .quizzes import routes as quizzes_routes  # noqa: F401
    from .quizzes.blueprint import bp as quizzes_bp
    from .registrations import manage_routes  # noqa: F401
    from .registrations import routes as registrations_routes  # noqa: F401
    from .registrations.blueprint import bp as registrations_bp
    from .reports import routes as reports_routes  # noqa: F401
    from .reports.blueprint import bp as reports_bp
    from .transcripts import routes as transcripts_routes  # noqa: F401
    from .transcripts.blueprint import bp as transcripts_bp
    from .workshops import routes as workshops_routes  # noqa: F401
    from .workshops.blueprint import bp as workshops_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(transcripts_bp)
    app.register_blueprint(action_plans_bp)
    app.register_blueprint(my_workshops_bp)


def _connect_receivers() -> None:
    """Higher features listen to what lower ones announce (lokalatih/signals.py)."""
    from .registrations import receivers
    from .workshops import page_cache

    receivers.connect()
    page_cache.connect()


def _register_attachment_sources(app: Flask) -> None:
    """Documents the outbox sender makes at send time (lokalatih/outbox/sources.py)."""
    from .certificates import mailing

    mailing.init_app(app)
