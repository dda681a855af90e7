"""Comparing a run with an earlier one record by record (`diff`), and keeping the expected
records that the cassette tests compare against (`fixtures`)."""
