"""Organisations, people, claims and referrals: who sends what, and who may see it."""
