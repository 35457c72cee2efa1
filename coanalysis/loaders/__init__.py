"""loaders subpackage."""
