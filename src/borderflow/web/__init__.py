"""The web app: server-rendered pages, a JSON API under /api/v1/ and charts, all served
from the installed package with nothing fetched from the network."""
