"""Readers: files, folders, gzip, standard input (feeds, URLs and WARC join here)."""
