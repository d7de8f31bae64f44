from . import bp


@bp.get("/masuk")
def login():
    return "login"


@bp.get("/daftar")
def signup():
    return "signup"


@bp.post("/keluar")
def logout():
    return "logout"
