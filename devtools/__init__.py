"""Tools for working on Talkety that are not the product: stand-ins for Slack and Home
Assistant, and checks. Importable from a checkout by tests, benchmarks and scripts/;
never part of the wheel."""
