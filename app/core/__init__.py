"""Shared building blocks that know nothing about any one domain."""
