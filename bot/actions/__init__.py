"""The rasa-sdk action server: `rasa run actions --actions bot.actions`.

Each module holds one kind of reply; all of them compose their text from the
knowledge file (bot/knowledge/careers.yml) and follow the answer contract.
"""

from bot.privacy.log_filter import keep_visitor_text_out_of_logs

# rasa-sdk configures logging before it imports the actions: the filter goes on its handlers.
keep_visitor_text_out_of_logs()
