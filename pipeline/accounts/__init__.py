"""Web users, their roles and API tokens."""
