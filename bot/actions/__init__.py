"""The rasa-sdk action server: `rasa run actions --actions bot.actions`.

Each module holds one kind of reply; all of them compose their text from the
knowledge file (bot/knowledge/careers.yml) and follow the answer contract.
"""
