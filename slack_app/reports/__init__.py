"""Spend that admins can see: summaries, the CSV audit export, the daily digest."""
