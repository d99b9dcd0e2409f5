"""Pages: export downloads, and uploads of Word and Markdown files."""
