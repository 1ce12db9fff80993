"""The project's own web app: the embeddable chat widget, its JSON API and a demo careers page.

Visitors never talk to Rasa directly: the widget calls this app, which checks
the input and forwards it to Rasa's REST channel (see web.api).
"""
