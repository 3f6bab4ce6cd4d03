"""Contribute: the contributor's tools around the pipeline.

Takes the model (for templates) and the loaded catalogue (for comparisons). Gives a commented
template for a new entry (scaffold.py, `paradecat new`) and what a working catalogue changes
against a git revision, field by field, with a reviewer's summary of every new entry's facts
and of what it changes elsewhere (diff.py and summary.py, `paradecat diff`).
"""
