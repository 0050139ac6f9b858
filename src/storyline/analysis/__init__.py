"""Questions analysts ask of the store: actors, and soon timelines, networks and briefings.

The CLI and the web layer call these same functions; they read the store and may use the NLP
normalisation (spelling-insensitive keys) to find what an analyst typed.
"""
