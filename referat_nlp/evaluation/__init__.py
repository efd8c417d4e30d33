"""Evaluation: parse gold documents and score the pipeline field by field.

``scoring`` matches predicted and gold items and prints precision, recall and F1
per field, grouped by municipality, layout family or format on request.
"""
