"""Keeping posted messages in step with live calls: leases, budget, updater, tracker."""
