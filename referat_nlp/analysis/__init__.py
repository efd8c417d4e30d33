"""Analysis in Jupyter: tables of a folder of outputs, case histories and plots.

``frames`` loads JSON outputs into pandas tables (``referat_nlp.load``);
``history`` follows one case number across meetings (``referat_nlp.case_history``);
``plots`` draws decision counts, amounts and timelines with matplotlib.
"""
