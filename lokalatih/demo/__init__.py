"""The demo data of `flask demo load` (load.py): accounts, workshops and each role's journey
(journeys.py), the KKPHAM theme tags (themes.py), and the large generated history for the
dashboard's benchmark (large.py, large_quizzes.py, written in bulk by bulk.py). It puts the app
together, so it may use any feature; no feature imports it."""
