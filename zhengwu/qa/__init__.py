"""Citizen Q&A: question -> rewrite -> search -> answer (extractive | generative + grounding) -> cite."""
