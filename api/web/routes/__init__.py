"""Les routes des pages, un module par rubrique ; `app.py` les assemble."""
