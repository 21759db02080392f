"""entigraph: a corpus of text in, a graph of its people, organizations and places out.

Stages, one module each: documents -> recognize -> resolve -> edges -> export;
`graph.pipeline` runs them all (`analyze`, `build`).
"""
