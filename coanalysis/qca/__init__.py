"""qca subpackage."""
