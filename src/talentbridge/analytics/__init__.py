"""Demand cube, trends, forecasts, the skill graph, supply vs demand and advice."""
