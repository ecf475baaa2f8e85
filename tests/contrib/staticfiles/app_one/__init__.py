"""An app with static files, installed first."""
