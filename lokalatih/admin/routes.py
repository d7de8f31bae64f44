from . import bp


@bp.get("/pengguna")
def users():
    return "users"
