"""The Textual app: a face on the engine. No scoring or interview logic lives here."""
