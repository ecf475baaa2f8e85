"""Framework-wide pieces that belong to no single layer: exceptions, checks, signals."""
