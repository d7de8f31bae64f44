"""Privacy: consent to each purpose (consent.py), "Data saya" (mydata.py), account erasure
(erasure.py) and the retention job (tasks.py)."""
