"""Runs the rendered boto3 snippet's upload() and prints, as JSON, every HTTP request its
client would send to AWS, and whether the client itself asks for path-style addressing. A botocore before-send handler answers each one locally, so
nothing leaves the machine and the requests are exactly what botocore built (URL with the
addressing style, signed headers).

    python3 capture_boto3_upload.py SNIPPET_DIR FILE KEY
"""
import importlib.util
import json
import os
import sys

from botocore.awsrequest import AWSResponse


class _Body:
    def stream(self, **_kwargs):
        yield b""


def main() -> None:
    snippet_dir, file_name, key = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("upload_boto3", os.path.join(snippet_dir, "upload_boto3.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    sent = []

    def answer(request, **_kwargs):
        sent.append(
            {
                "method": request.method,
                "url": request.url,
                "headers": {name.lower(): value.decode() if isinstance(value, bytes) else value
                            for name, value in request.headers.items()},
            }
        )
        return AWSResponse(request.url, 200, {"ETag": '"0"'}, _Body())

    module.s3.meta.events.register("before-send.s3", answer)
    module.upload(file_name, key)
    addressing = (module.s3.meta.config.s3 or {}).get("addressing_style", "auto")
    print(json.dumps({"sent": sent, "pathStyle": addressing == "path"}))


main()
