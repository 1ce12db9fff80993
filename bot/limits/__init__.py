"""Abuse limits shared by Rasa's input channels and the web app: settings, limiter, addresses.

Plain Python and Sanic only, so the web app can use it without importing Rasa.
"""
