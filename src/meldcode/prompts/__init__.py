"""Prompters: ask one question, return an answer or an action (design.md §1)."""
