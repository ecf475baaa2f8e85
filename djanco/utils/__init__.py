"""Small, dependency-free helpers shared across Djanco's layers."""
