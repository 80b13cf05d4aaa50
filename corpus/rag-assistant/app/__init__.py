"""Acme support assistant: retrieval-augmented answers over the help-centre articles."""
