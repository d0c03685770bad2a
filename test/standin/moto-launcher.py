"""moto_server with two changes, so that the stand-in in front of it can decide like AWS.

1. moto's own bucket-policy check is switched off. It ignores every Condition, so a
   Principal-"*" Deny with a condition (the HTTP deny, the SSE denies) would refuse every
   object request. The stand-in judges bucket policies with their conditions instead.
2. GetBucketEncryption answers BlockedEncryptionTypes (moto stores it but drops it on read).
3. UpdateObjectEncryption is implemented honestly: moto 5.2 answers it by overwriting the
   object with the request body. Here only the object's encryption changes; the bytes, the
   ETag, LastModified and the version stay as they are, as the S3 API reference says.

Usage: python3 moto-launcher.py -H 127.0.0.1 -p PORT (the arguments of moto_server).
"""

import sys
import xml.etree.ElementTree as ElementTree

from moto.iam.access_control import PermissionResult
from moto.s3 import models as s3_models
from moto.s3 import responses as s3_responses
from moto.core.responses import ActionResult
from moto.s3.exceptions import MissingKey, S3ClientError, ServerSideEncryptionConfigurationNotFoundError
from moto.utilities.utils import str2bool
from moto.server import main


def neutral_bucket_permission(self, action, resource):
    return PermissionResult.NEUTRAL


s3_models.FakeBucket.get_permission = neutral_bucket_permission

original_key_response_put = s3_responses.S3Response._key_response_put


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def update_object_encryption(self, query, key_name):
    version_id = query.get("versionId", [None])[0]
    key = self.backend.get_object(self.bucket_name, key_name, version_id=version_id)
    if key is None:
        raise MissingKey(key=key_name)
    if key.encryption not in ("AES256", "aws:kms"):
        raise S3ClientError(
            "InvalidRequest",
            "UpdateObjectEncryption supports only objects encrypted with SSE-S3 or SSE-KMS",
        )
    root = ElementTree.fromstring(self.body)
    sse_kms = next((child for child in root if local_name(child.tag) == "SSE-KMS"), None)
    if sse_kms is None:
        raise S3ClientError("MalformedXML", "The XML you provided was not well-formed")
    fields = {local_name(child.tag): (child.text or "") for child in sse_kms}
    key.encryption = "aws:kms"
    key.kms_key_id = fields.get("KMSKeyArn")
    key.bucket_key_enabled = fields.get("BucketKeyEnabled", "false").lower() == "true"
    return 200, {}, ""


def key_response_put(self, query, key_name):
    if "encryption" in query:
        return update_object_encryption(self, query, key_name)
    return original_key_response_put(self, query, key_name)


s3_responses.S3Response._key_response_put = key_response_put


def get_bucket_encryption(self):
    self.data["Action"] = "GetBucketEncryption"
    encryption = self.backend.get_bucket_encryption(self.bucket_name)
    if not encryption:
        raise ServerSideEncryptionConfigurationNotFoundError(bucket_name=self.bucket_name)
    rule = encryption["Rule"]
    result_rule = {
        "ApplyServerSideEncryptionByDefault": rule["ApplyServerSideEncryptionByDefault"],
        "BucketKeyEnabled": str2bool(rule.get("BucketKeyEnabled") or "false"),
    }
    blocked = (rule.get("BlockedEncryptionTypes") or {}).get("EncryptionType")
    if blocked is not None:
        result_rule["BlockedEncryptionTypes"] = {
            "EncryptionType": blocked if isinstance(blocked, list) else [blocked]
        }
    return self.serialized(
        ActionResult({"ServerSideEncryptionConfiguration": {"Rules": [result_rule]}})
    )


s3_responses.S3Response.get_bucket_encryption = get_bucket_encryption

if __name__ == "__main__":
    main(sys.argv[1:])
