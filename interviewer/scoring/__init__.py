"""Scoring: answer signals, graders, the scoring rule and reports."""
