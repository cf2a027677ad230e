"""Infrastructure shared by every app: no domain imports."""
