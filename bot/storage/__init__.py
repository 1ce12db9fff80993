"""The conversation log: Rasa's `events` table (written through the redacting
tracker store), the console's own tables beside it, and retention."""
