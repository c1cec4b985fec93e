"""The web app: server-rendered pages and their JSON twins, from one query per view."""
