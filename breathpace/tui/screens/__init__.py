"""The screens of the interface, one per module."""
