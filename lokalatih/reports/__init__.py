"""The review dashboard (laporan): reach, attendance and learning outcomes, with exports."""
