"""Clustering: story clustering (:mod:`.stories`), its embedders, metrics and evaluator."""
