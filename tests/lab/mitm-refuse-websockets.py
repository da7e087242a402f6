# mitmproxy addon for the namespace lab: an inspecting proxy whose policy
# refuses WebSocket upgrades, answering 403 as such filters do.
from mitmproxy import http


def request(flow: http.HTTPFlow) -> None:
    if flow.request.headers.get("upgrade", "").lower() == "websocket":
        flow.response = http.Response.make(
            403, b"WebSocket connections are not allowed by policy\n",
            {"Content-Type": "text/plain"})
