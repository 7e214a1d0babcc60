"""Claim checks: each claim judged against official data, its own arithmetic and other
sources, with a verdict, the reasoning and citations."""
