"""Attendance: rotating check-in codes, check-in, scanner batches and attendance exports."""
