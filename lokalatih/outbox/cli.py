from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="The email outbox.")
