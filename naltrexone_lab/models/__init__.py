"""The science: pure numpy/scipy models of naltrexone's pharmacology, one module per mechanism.

Nothing here knows about figures, widgets, notebooks or nbgrader. Every function validates its
input (``_validation``) and every parameter carries its unit and source. For learning, not for
dosing decisions.
"""
