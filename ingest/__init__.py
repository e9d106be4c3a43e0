"""Turning files into archived, indexed documents: extractors, metadata, the pipeline."""
