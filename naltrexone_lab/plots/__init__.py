"""Figures built from model output (plotly FigureWidget). Plot helpers never compute a model."""
