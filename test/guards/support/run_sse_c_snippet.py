"""Runs the rendered SSE-C boto3 snippet against AWS_ENDPOINT_URL: upload, head, download,
copy and rotate, with the key from the environment (SSE_C_KEY_FILE) and, for rotate,
NEW_KEY_BASE64. Prints what download returned.

    python3 run_sse_c_snippet.py SNIPPET_DIR FILE
"""
import base64
import importlib.util
import json
import os
import sys


def main() -> None:
    snippet_dir, file_name = sys.argv[1:3]
    spec = importlib.util.spec_from_file_location("upload_boto3", os.path.join(snippet_dir, "upload_boto3.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.upload(file_name, "in/hello.txt")
    head = module.head("in/hello.txt")
    target = os.path.join(snippet_dir, "downloaded.txt")
    module.download("in/hello.txt", target)
    key = module.load_customer_key()
    module.copy("in/hello.txt", "in/copy.txt", key)
    module.rotate("in/hello.txt", key, base64.b64decode(os.environ["NEW_KEY_BASE64"]))
    with open(target, encoding="utf-8") as handle:
        body = handle.read()
    print(json.dumps({"body": body, "algorithm": head.get("SSECustomerAlgorithm"), "md5": head.get("SSECustomerKeyMD5")}))


main()
