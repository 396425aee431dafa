"""The device itself: its clock (shifted for previews), whether to trust it, the admin PIN."""
