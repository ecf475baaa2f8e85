"""An app with static files, installed second."""
