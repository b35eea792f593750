"""Hand-written layers of the lecture (page 28)."""

from layers.full_connection import full_connection_layer

__all__ = ["full_connection_layer"]
