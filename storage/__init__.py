"""The processed article store: SQLModel tables, repositories and migrations."""
