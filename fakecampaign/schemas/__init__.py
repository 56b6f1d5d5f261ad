"""Wire shapes: AC's request bodies and response envelopes, with AC's key names. The only place they live."""
