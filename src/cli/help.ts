/** The help page: grouped like the wizard's questions, with a CI example and the exit codes. */
export const HELP_TEXT = `create-encrypted-bucket: protect an S3 bucket with SSE-KMS and real access separation,
then apply it to your account or render it as files to review, and prove it works.

Usage
  npx create-encrypted-bucket [flags]            wizard in a terminal; flags fill answers
  npx create-encrypted-bucket verify [flags]     check an existing setup (auditors, CI)
  npx create-encrypted-bucket scan [flags]       count objects by their current encryption
  npx create-encrypted-bucket reencrypt [flags]  re-encrypt older objects with the key

Target
  --bucket NAME               bucket to protect (S3 naming rules)
  --region CODE               its region, e.g. eu-west-1
  --account-id ID             12-digit account id (apply reads it from STS when omitted)
  --create-bucket             create the bucket too (ownership enforced, public access blocked)
  --scheme sse-kms|sse-s3     sse-kms (default): customer-managed key and access separation;
                              sse-s3: AES256 default encryption, transport and SSE-C denies only

Roles (repeatable; a role name or a full role ARN in the same account)
  --app-role ROLE             reads and writes objects; may use the key only through S3
  --operator-role ROLE        manages bucket settings; can never decrypt
  --auditor-role ROLE         reads key and bucket configuration and CloudTrail; changes nothing
  --key-admin-role ROLE       administers the key and the bucket's security settings; can never
                              decrypt (needed with sse-kms; apply adds the principal running it)
  --reencrypt-role ROLE       re-encrypts existing objects through S3 and runs Batch Operations

Key
  --key-alias alias/NAME      alias of the new key (default alias/<bucket>)
  --rotation-days N           automatic rotation period, 90 to 2560 (default 365)
  --existing-key ARN          use this key (full ARN) instead of creating one

Enforcement
  --enforcement strict        deny uploads without both encryption headers (default)
  --enforcement compatible    deny only uploads naming another algorithm or key;
                              headerless uploads get the bucket default
  --requests-per-month N      uploads plus downloads, for the cost estimate (default 100000)

Output
  --render DIR                write setup.sh, verify.sh, policies/, terraform/, snippets/ (default)
  --overwrite                 allow --render into a folder that is not empty
  --apply                     change the account now (shows the diff and asks first)
  --dry-run                   with --apply: show the diff; with reencrypt: list what would
                              change; either way, change nothing
  --no-verify                 with --apply: skip the final checks
  --profile NAME              AWS profile (default: the standard credential chain)
  --endpoint-url URL          another endpoint, e.g. LocalStack or moto (or AWS_ENDPOINT_URL)

verify, scan, reencrypt
  --key ARN                   the bucket's key (required by verify and reencrypt)
  --object KEY                verify: check this existing object instead of uploading one
  --full                      scan: every object instead of a sample
  --concurrency N             scan, reencrypt: requests in flight
  --checkpoint FILE           reencrypt: progress file (resumes where it stopped)
  --batch-operations          reencrypt: hand the job to S3 Batch Operations (automatic
                              past a million objects)
  reencrypt uses the key, so run it as an application role (--profile); it asks first
  (or needs --yes), and Ctrl-C stops it cleanly: the same command continues.

Run
  -y, --yes                   ask nothing; every missing answer is an error naming its flag
  --json                      print one machine-readable result on stdout
  --debug                     more detail on errors (never credentials or request bodies)
  -h, --help                  this page
  -v, --version               the version

Non-interactive usage (CI)
  npx create-encrypted-bucket --yes --bucket acme-contracts --region eu-west-1 \\
    --account-id 111122223333 --app-role contracts-app --operator-role platform-ops \\
    --auditor-role security-audit --render ./acme-contracts-encryption

Exit codes
  0 success   1 failure (AWS error, failed verification)   2 usage error (bad flag or value)
  130 cancelled (nothing was written)
`;
