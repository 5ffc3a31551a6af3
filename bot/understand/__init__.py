"""Understanding a message: personal data, guardrails, intents, profile and follow-ups, read once."""
