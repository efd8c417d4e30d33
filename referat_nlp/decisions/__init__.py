"""Decisions: what the body decided about an item.

``rules`` reads a decision text by what the body did (verb families and their
inflections) and falls back to ``model``, the trained linear text model shipped in
``models/`` as JSON; ``training`` fits that model from gold files and measures it
with cross-validation grouped by municipality.
"""
