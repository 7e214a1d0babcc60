"""The self-contained report: one HTML file with its scripts, styles and data inline."""
