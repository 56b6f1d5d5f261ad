"""HTTP: parse the request, call one service, wrap the result in its AC envelope."""
