"""`make fuzz`: schemathesis against the documented API of a fresh fakecampaign (not part of `make test`).

Every generated request must get an answer the OpenAPI document describes, and never a 5xx.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "demo.json"


def main(argv: list[str]) -> int:
    examples = argv[0] if argv else "100"
    with LiveServer(Settings.documented_defaults(fixtures=FIXTURES)) as server:
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            CHECKS,
            "-H",
            "Api-Token: fake-api-token",
            "--max-examples",
            examples,
        ]
        return subprocess.call(command)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
