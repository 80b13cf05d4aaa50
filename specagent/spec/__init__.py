"""The Spec model, its renderers, reader, ID allocation and diff."""
