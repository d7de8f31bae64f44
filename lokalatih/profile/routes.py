from . import bp


@bp.get("/profil")
def edit():
    return "profile"
